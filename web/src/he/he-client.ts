// The page's side of the HE worker: one request, one promise.
import type { GroupAggregateQuery } from '../../../sdk/he/query-result.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import type { HeRequest } from './he.worker.ts';
import type { KeySetSummary } from './key-store.ts';

let worker: Worker | null = null;
let next = 1;
const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function call<T>(request: HeRequest): Promise<T> {
  if (!worker) {
    worker = new Worker(new URL('./he.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<{ id: number; ok: boolean; result?: unknown; error?: string }>) => {
      const w = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      if (e.data.ok) w?.resolve(e.data.result);
      else w?.reject(new Error(e.data.error));
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
};
