// The page's side of the HE worker: one request, one promise.
import type { GroupAggregateQuery, GroupAggregateResult, NoiseDisclosure } from '../../../sdk/he/query-result.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import type { HeRequest } from './he.worker.ts';
import type { KeySetSummary } from './key-store.ts';

/** A refusal from the worker; `code` is sdk/he's HeClientErrorCode when the sdk refused. */
export class HeWorkerError extends Error {
  override readonly name = 'HeWorkerError';
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/** The decrypted group aggregate; count and sum as decimal strings, exact at any size. */
export interface DecryptedGroupAggregate {
  count: string;
  sum: string;
  mean: number | null;
  suppressedGroups: number;
  noise: NoiseDisclosure | null;
}

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function call<T>(request: HeRequest): Promise<T> {
  if (!worker) {
    worker = new Worker(new URL('./he.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ id: number; ok: boolean; result?: unknown; error?: string; code?: string | null }>) => {
      const w = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      if (e.data.ok) w?.resolve(e.data.result);
      else w?.reject(new HeWorkerError(e.data.error ?? 'the HE worker failed', e.data.code ?? null));
    };
  }
  const id = next++;
  return new Promise<T>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker!.postMessage({ id, request });
  });
}

export const he = {
  generate: (scheme: 'bfv' | 'ckks') => call<KeySetSummary>({ op: 'generate', scheme }),
  exportSealed: (keyId: string, passphrase: string) => call<string>({ op: 'export', keyId, passphrase }),
  import: (text: string, passphrase?: string) => call<KeySetSummary>({ op: 'import', text, passphrase }),
  publicBundle: (keyId: string) => call<PublicKeyBundle>({ op: 'publicBundle', keyId }),
  encryptGroupSelection: (keyId: string, groupCount: number, selected: number[]) => call<GroupAggregateQuery>({ op: 'encryptGroupSelection', keyId, groupCount, selected }),
  decryptGroupAggregate: (keyId: string, result: GroupAggregateResult) => call<DecryptedGroupAggregate>({ op: 'decryptGroupAggregate', keyId, result }),
};
