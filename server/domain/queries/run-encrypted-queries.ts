// The query worker: leases queued encrypted queries (FOR UPDATE SKIP LOCKED, so `npm run worker`
// processes on other machines share the queue), computes the provider's side in the database,
// evaluates on the HE pool and stores the encrypted answer. A crashed worker's lease expires and
// another takes the query; an input the evaluator refuses fails the query with its code.
import { eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import { WorkerLoop } from '../../worker-loop.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import type { HeQuery } from '../../../sdk/he/query-result.ts';
import type { Db } from '../../db/client.ts';
import { rowsOf } from '../../db/client.ts';
import { datasetVersions, encryptedQueries, heKeySets } from '../../db/schema.ts';
import { HeInputError } from '../../privacy/he/errors.ts';
import type { HeTask, HeTaskOutcome } from '../../privacy/he/tasks.ts';
import type { Column } from '../catalog/dataset-input.ts';
import { declaredRange, groupColumnSums, groupTotals, idRows, type Bounds } from './plaintext-inputs.ts';
import type { GroupAggregateParams, IdSetParams, LinearScoreParams } from './query-params.ts';

export type Evaluate = (task: HeTask) => Promise<HeTaskOutcome>;

const LEASE_SECONDS = 300;
const MAX_ATTEMPTS = 3;

class QueryRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class EncryptedQueryRunner {

  private readonly loop: WorkerLoop<number>;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly evaluate: Evaluate,
    private readonly concurrency = 2,
  ) {
    this.loop = new WorkerLoop('encrypted query runner', log, () => this.drain());
  }

  /** Runs every queued query (a few at a time); returns how many finished. */
  runOnce(): Promise<number> {
    return this.loop.runOnce();
  }

  private async drain(): Promise<number> {
    let finished = 0;
    for (;;) {
      const ids = await this.claim(this.concurrency);
      if (ids.length === 0) return finished;
      await Promise.all(ids.map((id) => this.process(id)));
      finished += ids.length;
      if (this.loop.stopped) return finished;
    }
  }

  private async claim(limit: number): Promise<string[]> {
    const result = await this.db.execute(sql`
      update encrypted_queries
      set status = 'running', attempts = attempts + 1, started_at = now(), lease_until = now() + make_interval(secs => ${LEASE_SECONDS})
      where id in (
        select id from encrypted_queries
        where status = 'queued' or (status = 'running' and lease_until < now())
        order by created_at limit ${limit}
        for update skip locked)
      returning id, attempts`);
    const rows = rowsOf(result);
    const over = rows.filter((r) => Number(r.attempts) > MAX_ATTEMPTS).map((r) => String(r.id));
    for (const id of over) await this.fail(id, 'INTERNAL', 'the query failed repeatedly');
    return rows.map((r) => String(r.id)).filter((id) => !over.includes(id));
  }

  private async process(id: string): Promise<void> {
    try {
      const task = await this.taskFor(id);
      const outcome = await this.evaluate(task);
      const result = outcome.result as { suppressedGroups?: number; noise?: unknown };
      await this.db
        .update(encryptedQueries)
        .set({
          status: 'done',
          result: new TextEncoder().encode(JSON.stringify(outcome.result)),
          resultMeta: { suppressedGroups: result.suppressedGroups ?? null, noise: result.noise ?? null, evaluationMs: Math.round(outcome.ms) },
          finishedAt: new Date(),
          leaseUntil: null,
        })
        .where(eq(encryptedQueries.id, id));
    } catch (err) {
      if (err instanceof HeInputError || err instanceof QueryRefused) {
        await this.fail(id, err.code, err.message);
      } else {
        // Unexpected: leave the lease to expire so another attempt (or worker) retries.
        this.log.warn({ queryId: id, err: (err as Error).message }, 'encrypted query evaluation failed; will retry');
      }
    }
  }

  private async fail(id: string, code: string, message: string): Promise<void> {
    await this.db
      .update(encryptedQueries)
      .set({ status: 'failed', errorCode: code, errorMessage: message.slice(0, 1000), finishedAt: new Date(), leaseUntil: null })
      .where(eq(encryptedQueries.id, id));
  }

  /** The evaluator's task: the buyer's keys and ciphertexts, the provider's aggregates, the policy. */
  private async taskFor(id: string): Promise<HeTask> {
    const [row] = await this.db.select().from(encryptedQueries).where(eq(encryptedQueries.id, id));
    const [key] = await this.db.select({ bundle: heKeySets.bundle }).from(heKeySets).where(eq(heKeySets.keyId, row!.keyId));
    const [version] = await this.db.select().from(datasetVersions).where(eq(datasetVersions.id, row!.versionId));
    const keys = JSON.parse(new TextDecoder().decode(key!.bundle)) as PublicKeyBundle;
    const query = JSON.parse(new TextDecoder().decode(row!.request)) as HeQuery;
    const columns = version!.columns as Column[];
    const col = (name: string) => columns.find((c) => c.name === name)!;
    const epsilon = row!.epsilonMicro === null ? null : Number(row!.epsilonMicro) / 1e6;
    const bounds = (name: string): Bounds => {
      const b = declaredRange(version!.complianceRules, name);
      if (!b) throw new QueryRefused('NO_CLIPPING_BOUNDS', `column ${name} declares no range, so noise and normalisation cannot be calibrated`);
      return b;
    };
    const scaled = (c: Column, b: Bounds) => {
      const s = c.type === 'decimal' ? 10 ** (c.scale ?? 0) : 1;
      return { lower: BigInt(Math.round(b.lower * s)), upper: BigInt(Math.round(b.upper * s)) };
    };
    const policy = { kThreshold: version!.minGroupSize, selection: 'subset' as const };
    switch (row!.kind) {
      case 'group-aggregate': {
        const p = row!.params as GroupAggregateParams;
        const clip = epsilon === null ? null : bounds(p.valueColumn);
        const groups = await groupTotals(this.db, version!.id, col(p.groupColumn), col(p.valueColumn), clip);
        return {
          kind: 'group-aggregate',
          input: {
            keys,
            query: query as never,
            groups,
            policy,
            noise: epsilon === null ? null : { epsilon, clipping: scaled(col(p.valueColumn), clip!) },
            cacheKey: `${version!.id}:${p.groupColumn}:${p.valueColumn}:${clip ? `${clip.lower}..${clip.upper}` : 'raw'}`,
          },
        };
      }
      case 'id-set-match': {
        const p = row!.params as IdSetParams;
        const clip = epsilon === null ? null : bounds(p.valueColumn);
        const rows = await idRows(this.db, version!.id, col(p.keyColumn), col(p.valueColumn), clip);
        return {
          kind: 'id-set-match',
          input: {
            keys,
            query: query as never,
            rows,
            policy: { minSetSize: version!.minGroupSize },
            noise: epsilon === null ? null : { epsilon, clipping: scaled(col(p.valueColumn), clip!) },
            publicRowCount: version!.rowCount,
          },
        };
      }
      case 'linear-score': {
        const p = row!.params as LinearScoreParams;
        const clips = p.columns.map(bounds);
        const groups = await groupColumnSums(this.db, version!.id, col(p.groupColumn), p.columns.map(col), clips);
        return {
          kind: 'linear-score',
          input: {
            keys,
            query: query as never,
            groups,
            columns: clips,
            policy,
            noise: epsilon === null ? null : { epsilon },
            publicRowBound: version!.rowCount,
            cacheKey: `${version!.id}:${p.groupColumn}:${p.columns.join(',')}`,
          },
        };
      }
      default:
        throw new QueryRefused('INVALID_QUERY', `unknown query kind ${row!.kind}`);
    }
  }

  start(intervalMs: number): void {
    this.loop.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }
}
