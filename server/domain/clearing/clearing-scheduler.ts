// Clearing on a timer: a run at start (which settles a cycle a crash left computed) and then
// one every CLEARING_INTERVAL_MS. Runs in `npm start` and in each `npm run worker`; the
// clearing lock makes the processes take turns, and whoever comes second finds nothing to do.
import type { Logger } from 'pino';
import type { Db } from '../../db/client.ts';
import { runClearingCycle, type ClearingRun } from './run-clearing-cycle.ts';

export class ClearingScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ClearingRun> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly options: { feeBps: number; intervalMs: number },
  ) {}

  /** One scheduled run now; concurrent calls share it. */
  runOnce(): Promise<ClearingRun> {
    this.running ??= runClearingCycle({ db: this.db, actor: null, trigger: 'schedule', feeBps: this.options.feeBps }).finally(
      () => (this.running = undefined),
    );
    return this.running;
  }

  /** Starts the timer; with an interval of 0, cycles run only on the operator's demand. */
  start(): void {
    if (this.options.intervalMs <= 0) {
      this.log.info('clearing runs on demand only (CLEARING_INTERVAL_MS=0)');
      return;
    }
    const tick = async () => {
      if (this.stopped) return;
      try {
        const run = await this.runOnce();
        if (run.cycle || run.resumed.length > 0) {
          this.log.info(
            { cycle: run.cycle?.seq.toString() ?? null, resumed: run.resumed.map((c) => c.seq.toString()), totals: run.cycle?.totals },
            'clearing cycle settled',
          );
        } else this.log.debug('clearing: nothing to clear');
      } catch (err) {
        // Nothing was half-done: a computed cycle stays for the next tick to settle.
        this.log.error({ err: (err as Error).message }, 'clearing run failed');
      }
      if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
