// The loop every background worker runs: one pass at a time (a second caller shares the pass in
// flight), repeated on a timer once started, a failed pass logged and retried at the next tick,
// and a stop that waits for the pass in flight.
import type { Logger } from 'pino';

export class WorkerLoop<T> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<T> | undefined;
  private stopRequested = false;

  constructor(
    private readonly name: string,
    private readonly log: Logger,
    private readonly pass: () => Promise<T>,
  ) {}

  /** Whether stop() was called: a long pass checks it between steps. */
  get stopped(): boolean {
    return this.stopRequested;
  }

  /** Runs one pass now, or joins the one in flight. */
  runOnce(): Promise<T> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  start(intervalMs: number): void {
    const tick = async () => {
      if (this.stopRequested) return;
      try {
        await this.runOnce();
      } catch (err) {
        // The database or the chain is unreachable: the work stays where it is for the next tick.
        this.log.warn({ err: (err as Error).message }, `${this.name} tick failed`);
      }
      if (!this.stopRequested) this.timer = setTimeout(tick, intervalMs);
    };
    this.timer = setTimeout(tick, 0);
  }

  async stop(): Promise<void> {
    this.stopRequested = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
