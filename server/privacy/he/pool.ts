// The HE worker pool: evaluations run off the main thread, one per worker at a time, on as many
// workers as the machine has cores. Each worker loads SEAL once and keeps its own plaintext and
// key caches; tasks wait in a bounded queue (a full queue refuses at once, so callers can shed
// load instead of piling up megabytes of ciphertexts); close() lets queued and running tasks
// finish before the workers stop. A worker that dies fails its task and is replaced.
//
// The worker is TypeScript: it runs with tsx's loader (`--import tsx`), under `node --import
// tsx`, vitest and `npm start` alike.

import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { GroupAggregateResult, IdSetMatchResult, LinearScoreResult } from '../../../sdk/he/query-result.ts';
import { HeInputError, HE_INPUT_ERROR_CODES, type HeInputErrorCode } from './errors.ts';
import type { GroupAggregateInput } from './evaluate-group-aggregate.ts';
import type { IdSetMatchInput } from './evaluate-id-set.ts';
import type { LinearScoreInput } from './evaluate-linear-score.ts';
import type { HeWorkerData, HeWorkerMessage, HeWorkerRequest } from './he-worker.ts';
import type { HeTask, HeTaskKind, HeTaskOutcome } from './tasks.ts';

export type HePoolErrorCode =
  /** The queue is full: try again later (map to a "busy" error, not a failure). */
  | 'QUEUE_FULL'
  /** The pool is closing or closed. */
  | 'CLOSED'
  /** The worker running the task died (out of memory, a crash in SEAL); it has been replaced. */
  | 'WORKER_FAILED';

export class HePoolError extends Error {
  override readonly name = 'HePoolError';

  constructor(
    readonly code: HePoolErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface HePoolOptions {
  /** Workers; by default one per core (os.availableParallelism()). */
  size?: number;
  /** Tasks that may wait for a worker; by default 4 per worker. */
  maxQueue?: number;
  /** Per worker: bytes of encoded provider data kept between queries (default 256 MiB). */
  plaintextCacheBytes?: number;
  /** Per worker: bytes of loaded evaluation keys kept between queries (default 256 MiB). */
  keyCacheBytes?: number;
}

export interface HePoolStats {
  size: number;
  busy: number;
  queued: number;
  completed: number;
  failedWorkers: number;
}

interface Job {
  id: number;
  task: HeTask;
  resolve: (outcome: HeTaskOutcome) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

const WORKER_URL = new URL('./he-worker.ts', import.meta.url);
const MiB = 2 ** 20;

function toError(error: { name: string; message: string; code?: string; stack?: string }): Error {
  if (error.name === 'HeInputError' && HE_INPUT_ERROR_CODES.includes(error.code as HeInputErrorCode)) {
    return new HeInputError(error.code as HeInputErrorCode, error.message);
  }
  const rebuilt = new Error(error.message);
  rebuilt.name = error.name;
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

export class HeWorkerPool {
  readonly size: number;
  readonly maxQueue: number;
  readonly #workerData: HeWorkerData;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #nextId = 1;
  #completed = 0;
  #failedWorkers = 0;
  #closing = false;
  #closed?: Promise<void>;
  #drained?: () => void;

  private constructor(options: HePoolOptions) {
    this.size = options.size ?? os.availableParallelism();
    this.maxQueue = options.maxQueue ?? 4 * this.size;
    if (!Number.isSafeInteger(this.size) || this.size < 1) throw new RangeError('size must be a positive integer');
    if (!Number.isSafeInteger(this.maxQueue) || this.maxQueue < 0) throw new RangeError('maxQueue must be a non-negative integer');
    this.#workerData = {
      plaintextCacheBytes: options.plaintextCacheBytes ?? 256 * MiB,
      keyCacheBytes: options.keyCacheBytes ?? 256 * MiB,
    };
  }

  /** Starts the workers and resolves once every one has loaded SEAL. */
  static async start(options: HePoolOptions = {}): Promise<HeWorkerPool> {
    const pool = new HeWorkerPool(options);
    try {
      await Promise.all(Array.from({ length: pool.size }, () => pool.#spawn()));
    } catch (error) {
      await Promise.all(pool.#slots.map(({ worker }) => worker.terminate()));
      throw error;
    }
    return pool;
  }

  /** Runs a task on the next free worker; rejects with HePoolError when the queue is full or the pool closed. */
  run<K extends HeTaskKind>(task: Extract<HeTask, { kind: K }>): Promise<HeTaskOutcome<K>> {
    if (this.#closing) return Promise.reject(new HePoolError('CLOSED', 'the HE pool is closed'));
    const idle = this.#slots.find((slot) => !slot.job);
    if (!idle && this.#queue.length >= this.maxQueue) {
      return Promise.reject(new HePoolError('QUEUE_FULL', `the HE pool has ${this.#queue.length} tasks waiting`));
    }
    return new Promise<HeTaskOutcome<K>>((resolve, reject) => {
      const job: Job = { id: this.#nextId++, task, resolve: resolve as Job['resolve'], reject };
      if (idle) this.#assign(idle, job);
      else this.#queue.push(job);
    });
  }

  async evaluateGroupAggregate(input: GroupAggregateInput): Promise<GroupAggregateResult> {
    return (await this.run({ kind: 'group-aggregate', input })).result;
  }

  async evaluateIdSetMatch(input: IdSetMatchInput): Promise<IdSetMatchResult> {
    return (await this.run({ kind: 'id-set-match', input })).result;
  }

  async evaluateLinearScore(input: LinearScoreInput): Promise<LinearScoreResult> {
    return (await this.run({ kind: 'linear-score', input })).result;
  }

  stats(): HePoolStats {
    return {
      size: this.#slots.length,
      busy: this.#slots.filter((slot) => slot.job).length,
      queued: this.#queue.length,
      completed: this.#completed,
      failedWorkers: this.#failedWorkers,
    };
  }

  /** Refuses new tasks, lets queued and running ones finish, then stops the workers. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      if (this.#queue.length > 0 || this.#slots.some((slot) => slot.job)) {
        await new Promise<void>((resolve) => (this.#drained = resolve));
      }
      await Promise.all(this.#slots.splice(0).map(({ worker }) => worker.terminate()));
    })();
    return this.#closed;
  }

  #spawn(): Promise<void> {
    const worker = new Worker(WORKER_URL, {
      execArgv: ['--import', 'tsx'],
      workerData: this.#workerData,
      name: 'he-worker',
    });
    const slot: Slot = { worker };
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (message: HeWorkerMessage) => {
        if (message.type === 'ready') {
          ready = true;
          this.#slots.push(slot);
          resolve();
          this.#next(slot);
          return;
        }
        const job = slot.job;
        if (!job || job.id !== message.id) return;
        slot.job = undefined;
        this.#completed++;
        if (message.type === 'done') job.resolve(message.outcome as HeTaskOutcome);
        else job.reject(toError(message.error));
        this.#next(slot);
      });
      const onFailure = (cause: unknown) => {
        if (!ready) {
          reject(new HePoolError('WORKER_FAILED', 'an HE worker failed to start', { cause }));
          return;
        }
        this.#replace(slot, cause);
      };
      // After close() has taken the slot out, its exit is expected and #replace ignores it.
      worker.on('error', onFailure);
      worker.on('exit', (code) => onFailure(new Error(`HE worker exited with code ${code}`)));
    });
  }

  #replace(slot: Slot, cause: unknown): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    this.#slots.splice(index, 1);
    this.#failedWorkers++;
    const job = slot.job;
    slot.job = undefined;
    job?.reject(new HePoolError('WORKER_FAILED', 'the HE worker running this task failed', { cause }));
    void slot.worker.terminate();
    if (this.#closing) {
      this.#checkDrained();
      return;
    }
    this.#spawn().catch(() => {
      // A replacement that cannot start leaves the pool smaller; queued tasks still run on the others.
      this.#checkDrained();
    });
  }

  #assign(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.postMessage({ id: job.id, task: job.task } satisfies HeWorkerRequest);
  }

  #next(slot: Slot): void {
    const job = this.#queue.shift();
    if (job) this.#assign(slot, job);
    else this.#checkDrained();
  }

  #checkDrained(): void {
    if (this.#slots.length === 0 && this.#queue.length > 0) {
      for (const job of this.#queue.splice(0)) job.reject(new HePoolError('WORKER_FAILED', 'no HE worker is left to run this task'));
    }
    if (this.#closing && this.#queue.length === 0 && !this.#slots.some((slot) => slot.job)) this.#drained?.();
  }
}
