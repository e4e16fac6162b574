// The buyer's HE in a worker: SEAL (wasm) loads here, keys are generated and opened here, and
// queries are encrypted and answers decrypted here, so the page stays responsive and the secret
// key is only ever in this worker's memory and the browser's IndexedDB.
import { HeClientError } from '../../../sdk/he/errors.ts';
import { exportKeySet, importKeySet } from '../../../sdk/he/key-set-export.ts';
import { generateKeySet, type KeySet } from '../../../sdk/he/key-set.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../../../sdk/he/private-aggregate.ts';
import type { GroupAggregateResult } from '../../../sdk/he/query-result.ts';
import { getKeySet, putKeySet, summaryOf, type KeySetSummary } from './key-store.ts';

export type HeRequest =
  | { op: 'generate'; scheme: 'bfv' | 'ckks' }
  | { op: 'export'; keyId: string; passphrase: string }
  | { op: 'import'; text: string; passphrase?: string }
  | { op: 'publicBundle'; keyId: string }
  | { op: 'encryptGroupSelection'; keyId: string; groupCount: number; selected: number[] }
  | { op: 'decryptGroupAggregate'; keyId: string; result: GroupAggregateResult };

const open = new Map<string, KeySet>();

async function keySet(keyId: string): Promise<KeySet> {
  const cached = open.get(keyId);
  if (cached) return cached;
  const stored = await getKeySet(keyId);
  if (!stored) throw new Error(`no key set ${keyId} in this browser`);
  const ks = await importKeySet(stored.exported);
  open.set(keyId, ks);
  return ks;
}

async function store(ks: KeySet): Promise<KeySetSummary> {
  open.set(ks.keyId, ks);
  const stored = {
    keyId: ks.keyId,
    scheme: ks.scheme,
    queries: [...ks.queries],
    groupCapacity: ks.groupCapacity,
    createdAt: new Date().toISOString(),
    exported: await exportKeySet(ks),
  };
  await putKeySet(stored);
  return summaryOf(stored);
}

async function handle(req: HeRequest): Promise<unknown> {
  switch (req.op) {
    case 'generate':
      return store(await generateKeySet({ scheme: req.scheme }));
    case 'export':
      return exportKeySet(await keySet(req.keyId), req.passphrase);
    case 'import':
      return store(await importKeySet(req.text, req.passphrase || undefined));
    case 'publicBundle':
      return (await keySet(req.keyId)).publicBundle();
    case 'encryptGroupSelection':
      return encryptGroupSelection(await keySet(req.keyId), req.groupCount, req.selected);
    case 'decryptGroupAggregate': {
      const a = await decryptGroupAggregate(await keySet(req.keyId), req.result);
      return { ...a, count: a.count.toString(), sum: a.sum.toString() };
    }
  }
}

addEventListener('message', (e: MessageEvent<{ id: number; request: HeRequest }>) => {
  const { id, request } = e.data;
  handle(request).then(
    (result) => postMessage({ id, ok: true, result }),
    (error: unknown) =>
      postMessage({
        id,
        ok: false,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        code: error instanceof HeClientError ? error.code : null,
      }),
  );
});
