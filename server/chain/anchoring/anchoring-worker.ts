// The loop that carries the exchange's state to the chain: each tick seals the pending anchor
// records into batches, then drains the outbox (the batches' anchors and every other kind).
// It runs inside `npm start` and, scaled out, in `npm run worker` processes: sealing skips
// records another worker has locked, and the dispatcher leases outbox rows.
import type { Logger } from 'pino';
import { WorkerLoop } from '../../worker-loop.ts';
import type { Db } from '../../db/client.ts';
import type { OutboxDispatcher } from '../outbox.ts';
import { DEFAULT_MAX_BATCH_RECORDS, sealPendingRecords, type AnchorBatch } from './seal-pending-records.ts';

/** Batches sealed per tick at most, so a flood of records cannot hold the outbox back. */
const MAX_BATCHES_PER_TICK = 10;

export interface AnchoringRun {
  sealed: AnchorBatch[];
  delivered: number;
}

export class AnchoringWorker {

  private readonly loop: WorkerLoop<AnchoringRun>;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly outbox: OutboxDispatcher,
    private readonly maxBatchRecords = DEFAULT_MAX_BATCH_RECORDS,
  ) {
    this.loop = new WorkerLoop('anchoring', log, () => this.runNow());
  }

  /** Seals what is pending, then delivers what is due. One run at a time. */
  runOnce(): Promise<AnchoringRun> {
    return this.loop.runOnce();
  }

  private async runNow(): Promise<AnchoringRun> {
    const sealed: AnchorBatch[] = [];
    for (let i = 0; i < MAX_BATCHES_PER_TICK && !this.loop.stopped; i++) {
      const batch = await sealPendingRecords(this.db, { maxRecords: this.maxBatchRecords });
      if (!batch) break;
      sealed.push(batch);
      this.log.info({ batchId: batch.id, seq: batch.seq.toString(), records: batch.recordCount, root: batch.root }, 'anchor batch sealed');
      if (batch.recordCount < this.maxBatchRecords) break;
    }
    const delivered = this.loop.stopped ? 0 : await this.outbox.drain();
    return { sealed, delivered };
  }

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
