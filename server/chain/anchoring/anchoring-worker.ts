// The loop that carries the exchange's state to the chain: each tick seals the pending anchor
// records into batches, then drains the outbox (the batches' anchors and every other kind).
// It runs inside `npm start` and, scaled out, in `npm run worker` processes: sealing skips
// records another worker has locked, and the dispatcher leases outbox rows.
import type { Logger } from 'pino';
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
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<AnchoringRun> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly outbox: OutboxDispatcher,
    private readonly maxBatchRecords = DEFAULT_MAX_BATCH_RECORDS,
  ) {}

  /** Seals what is pending, then delivers what is due. One run at a time. */
  runOnce(): Promise<AnchoringRun> {
    this.running ??= this.runNow().finally(() => (this.running = undefined));
    return this.running;
  }

  private async runNow(): Promise<AnchoringRun> {
    const sealed: AnchorBatch[] = [];
    for (let i = 0; i < MAX_BATCHES_PER_TICK && !this.stopped; i++) {
      const batch = await sealPendingRecords(this.db, { maxRecords: this.maxBatchRecords });
      if (!batch) break;
      sealed.push(batch);
      this.log.info({ batchId: batch.id, seq: batch.seq.toString(), records: batch.recordCount, root: batch.root }, 'anchor batch sealed');
      if (batch.recordCount < this.maxBatchRecords) break;
    }
    const delivered = this.stopped ? 0 : await this.outbox.drain();
    return { sealed, delivered };
  }

  start(intervalMs: number): void {
    const tick = async () => {
      if (this.stopped) return;
      try {
        await this.runOnce();
      } catch (err) {
        // The database is unreachable or a seal failed: the records stay pending for the next tick.
        this.log.warn({ err: (err as Error).message }, 'anchoring tick failed');
      }
      if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
