// The outbox: state changes that must reach the chain are written as rows in the same
// database transaction as the change; the dispatcher delivers them with retries and backoff.
// Each handler is idempotent (it checks the chain before sending), so a row delivered twice
// after a crash changes nothing the second time.
import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { rowsOf, type Db, type DbHandle } from '../db/client.ts';
import { chainOutbox } from '../db/schema.ts';
import { WorkerLoop } from '../worker-loop.ts';

/** Delivers one row's payload; returns the transaction that did it, or null when already done. */
export type OutboxHandler = (payload: unknown) => Promise<{ txHash: string; blockNumber: number } | null>;

export type OutboxRow = typeof chainOutbox.$inferSelect;

const LEASE_SECONDS = 120;
const MAX_BACKOFF_MS = 5 * 60_000;
const MAX_ATTEMPTS = 50;

/** Writes an outbox row; the same (kind, dedupeKey) twice is one row. */
export async function enqueueChainWork(handle: DbHandle, kind: string, dedupeKey: string, payload: unknown): Promise<void> {
  await handle.insert(chainOutbox).values({ kind, dedupeKey, payload }).onConflictDoNothing();
}

export async function findChainWork(handle: DbHandle, kind: string, dedupeKey: string): Promise<OutboxRow | undefined> {
  const [row] = await handle
    .select()
    .from(chainOutbox)
    .where(and(eq(chainOutbox.kind, kind), eq(chainOutbox.dedupeKey, dedupeKey)));
  return row;
}

export class OutboxDispatcher {

  private readonly loop: WorkerLoop<number>;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly handlers: Record<string, OutboxHandler>,
  ) {
    this.loop = new WorkerLoop('outbox dispatcher', log, () => this.drainNow());
  }

  /** Delivers every row that is due now; returns how many were delivered. One drain at a time. */
  drain(): Promise<number> {
    return this.loop.runOnce();
  }

  private async drainNow(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const batch = await this.claim(20);
      if (batch.length === 0) return delivered;
      for (const row of batch) {
        if (this.loop.stopped) return delivered;
        if (await this.deliver(row)) delivered++;
      }
    }
  }

  /** Leases due rows so that a second dispatcher (another worker process) skips them. */
  private async claim(limit: number): Promise<OutboxRow[]> {
    const result = await this.db.execute(sql`
      update chain_outbox set next_attempt_at = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      where id in (
        select id from chain_outbox
        where status = 'pending' and next_attempt_at <= now()
        order by id limit ${limit}
        for update skip locked)
      returning id`);
    const ids = rowsOf(result).map((r) => BigInt(r.id as string | number));
    if (ids.length === 0) return [];
    const rows = await this.db.select().from(chainOutbox).where(sql`${chainOutbox.id} in ${ids}`).orderBy(chainOutbox.id);
    return rows;
  }

  private async deliver(row: OutboxRow): Promise<boolean> {
    const handler = this.handlers[row.kind];
    try {
      if (!handler) throw new Error(`no outbox handler for kind ${row.kind}`);
      const result = await handler(row.payload);
      await this.db
        .update(chainOutbox)
        .set({
          status: 'done',
          doneAt: new Date(),
          lastError: null,
          ...(result ? { txHash: result.txHash, blockNumber: BigInt(result.blockNumber) } : {}),
        })
        .where(eq(chainOutbox.id, row.id));
      this.log.debug({ id: row.id.toString(), kind: row.kind, txHash: result?.txHash }, 'outbox row delivered');
      return true;
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      const giveUp = row.attempts >= MAX_ATTEMPTS;
      const backoff = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(row.attempts, 20));
      await this.db
        .update(chainOutbox)
        .set({
          status: giveUp ? 'failed' : 'pending',
          lastError: message.slice(0, 2000),
          nextAttemptAt: new Date(Date.now() + backoff),
        })
        .where(eq(chainOutbox.id, row.id));
      this.log.warn({ id: row.id.toString(), kind: row.kind, attempts: row.attempts, err: message }, 'outbox delivery failed');
      return false;
    }
  }

  /**
   * Makes every pending row due now. Only for a process that knows it is the sole dispatcher:
   * a lease (LEASE_SECONDS) outlives the process that took it, and a backoff is only a delay,
   * so a restart retries the work at once.
   */
  async releaseLeases(): Promise<number> {
    const released = await this.db
      .update(chainOutbox)
      .set({ nextAttemptAt: sql`now()` })
      .where(and(eq(chainOutbox.status, 'pending'), sql`${chainOutbox.nextAttemptAt} > now()`))
      .returning({ id: chainOutbox.id });
    if (released.length > 0) this.log.info({ rows: released.length }, 'outbox rows left leased or backed off by an earlier process are due again');
    return released.length;
  }

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}

export async function outboxBacklog(db: Db): Promise<{ pending: number; failed: number }> {
  const result = await db.execute(sql`
    select count(*) filter (where status = 'pending') as pending, count(*) filter (where status = 'failed') as failed
    from chain_outbox`);
  const r = rowsOf(result)[0] ?? {};
  return { pending: Number(r.pending ?? 0), failed: Number(r.failed ?? 0) };
}
