// Batch roots computed on worker threads, so an audit of millions of records hashes on every
// core while the main thread reads the next batches from the database. Each worker runs
// anchorBatchRoot (batch-root.ts); the workers are TypeScript and load with tsx's loader.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { AnchoredRecordLeaf } from './leaf.ts';
import type { BatchRootReply, BatchRootRequest } from './batch-root-worker.ts';

const WORKER_URL = new URL('./batch-root-worker.ts', import.meta.url);

export class BatchRootPool {
  readonly size: number;
  readonly #workers: Worker[] = [];
  readonly #waiting = new Map<number, { resolve: (root: string) => void; reject: (err: Error) => void }>();
  #next = 0;
  #closed = false;

  /** `size` workers; by default one per core. */
  constructor(size = os.availableParallelism()) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a pool needs at least one worker, got ${size}`);
    this.size = size;
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_URL, { execArgv: ['--import', 'tsx'], name: 'batch-root-worker' });
      worker.on('message', (reply: BatchRootReply) => {
        const waiting = this.#waiting.get(reply.id);
        if (!waiting) return;
        this.#waiting.delete(reply.id);
        this.#holdProcess();
        if ('root' in reply) waiting.resolve(reply.root);
        else waiting.reject(new TypeError(reply.error));
      });
      worker.on('error', (err) => this.#failAll(err));
      worker.unref();
      this.#workers.push(worker);
    }
  }

  /** The root buildAnchorTree(records).root would give; batches go to the workers in turn. */
  root(records: readonly AnchoredRecordLeaf[]): Promise<string> {
    if (this.#closed) return Promise.reject(new Error('the batch root pool is closed'));
    const id = this.#next++;
    const request: BatchRootRequest = {
      id,
      kinds: records.map((r) => r.kind),
      recordIds: records.map((r) => r.recordId),
      contentHashes: records.map((r) => r.contentHash),
    };
    return new Promise<string>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.#holdProcess();
      this.#workers[id % this.size]!.postMessage(request);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#failAll(new Error('the batch root pool was closed'));
    await Promise.all(this.#workers.map((w) => w.terminate()));
  }

  #failAll(err: Error): void {
    for (const waiting of this.#waiting.values()) waiting.reject(err);
    this.#waiting.clear();
    this.#holdProcess();
  }

  /** Idle workers never keep the process alive; busy ones do, or an await on them could end it. */
  #holdProcess(): void {
    const busy = this.#waiting.size > 0;
    for (const w of this.#workers) {
      if (busy) w.ref();
      else w.unref();
    }
  }
}
