// A pool worker (pool.ts): loads SEAL and the exchange's parameters once, keeps its own
// plaintext and key caches (SEAL objects live in this thread's wasm memory), and runs one task
// at a time as the pool sends them.

import { parentPort, workerData } from 'node:worker_threads';
import { getHeContext } from './context.ts';
import { HeInputError } from './errors.ts';
import { SealCache } from './seal-cache.ts';
import { runHeTask, type HeTask } from './tasks.ts';

export interface HeWorkerData {
  plaintextCacheBytes: number;
  keyCacheBytes: number;
}

/** Pool → worker. */
export interface HeWorkerRequest {
  id: number;
  task: HeTask;
}

/** Worker → pool. */
export type HeWorkerMessage =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcome: unknown }
  | { type: 'failed'; id: number; error: { name: string; message: string; code?: string; stack?: string } };

const port = parentPort;
if (!port) throw new Error('he-worker.ts runs as a worker thread of the HE pool');
const { plaintextCacheBytes, keyCacheBytes } = workerData as HeWorkerData;
const caches = { plaintexts: new SealCache(plaintextCacheBytes), keys: new SealCache(keyCacheBytes) };

await getHeContext();

port.on('message', async ({ id, task }: HeWorkerRequest) => {
  let reply: HeWorkerMessage;
  try {
    reply = { type: 'done', id, outcome: await runHeTask(task, caches) };
  } catch (error) {
    const { name, message, stack } = error instanceof Error ? error : new Error(String(error));
    reply = {
      type: 'failed',
      id,
      error: error instanceof HeInputError ? { name, message, code: error.code } : { name, message, stack },
    };
  }
  port.postMessage(reply);
});
port.postMessage({ type: 'ready' } satisfies HeWorkerMessage);
