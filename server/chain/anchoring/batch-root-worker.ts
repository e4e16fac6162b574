// A worker thread of BatchRootPool: computes batch roots (batch-root.ts) as the pool sends them.
import { parentPort } from 'node:worker_threads';
import { anchorBatchRoot } from './batch-root.ts';

/** Pool → worker: a batch's records, column by column (cheaper to copy than objects). */
export interface BatchRootRequest {
  id: number;
  kinds: string[];
  recordIds: string[];
  contentHashes: string[];
}

/** Worker → pool. */
export type BatchRootReply = { id: number; root: string } | { id: number; error: string };

const port = parentPort;
if (!port) throw new Error('batch-root-worker.ts runs as a worker thread of BatchRootPool');

port.on('message', (request: BatchRootRequest) => {
  try {
    const records = request.kinds.map((kind, i) => ({ kind, recordId: request.recordIds[i]!, contentHash: request.contentHashes[i]! }));
    port.postMessage({ id: request.id, root: anchorBatchRoot(records) } satisfies BatchRootReply);
  } catch (err) {
    port.postMessage({ id: request.id, error: (err as Error).message } satisfies BatchRootReply);
  }
});
