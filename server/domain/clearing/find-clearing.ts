// Reading clearing: cycles, their obligations and settlement records are for the operator and
// the regulator; a participant reads its own settlement records.
import { and, asc, desc, eq, gt, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { clearingCycles, clearingObligations, settlementRecords } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { isUuid, requireUuid } from '../ids.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { ClearingCycleRow, ObligationRow, SettlementRecordRow } from './clearing-cycle.ts';

const MAX_PAGE = 200;

function supervises(viewer: Viewer | null): boolean {
  return actsAs(viewer, 'operator') || actsAs(viewer, 'regulator');
}

function requireSupervisor(viewer: Viewer | null): void {
  if (!viewer) throw new AppError('UNAUTHENTICATED');
  if (!supervises(viewer)) throw new AppError('FORBIDDEN');
}

const pageSize = (first: number) => Math.min(Math.max(first, 1), MAX_PAGE + 1);

/** Cycles, newest first; `after` is the last cycle's id of the previous page. */
export async function listClearingCycles(options: { db: DbHandle; actor: Viewer | null; first: number; after?: string }): Promise<ClearingCycleRow[]> {
  const { db, actor, first, after } = options;
  requireSupervisor(actor);
  const where: SQL[] = [];
  if (after) {
    requireUuid(after, 'after');
    const [cursor] = await db.select({ seq: clearingCycles.seq }).from(clearingCycles).where(eq(clearingCycles.id, after));
    if (!cursor) throw new AppError('INVALID_INPUT', { field: 'after', message: 'after: unknown cursor' });
    where.push(lt(clearingCycles.seq, cursor.seq));
  }
  return db
    .select()
    .from(clearingCycles)
    .where(and(...where))
    .orderBy(desc(clearingCycles.seq))
    .limit(pageSize(first));
}

export async function getClearingCyclesByIds(options: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }): Promise<(ClearingCycleRow | null)[]> {
  if (!supervises(options.actor)) return options.ids.map(() => null);
  const valid = options.ids.filter(isUuid).map((id) => id.toLowerCase());
  const rows = valid.length ? await options.db.select().from(clearingCycles).where(inArray(clearingCycles.id, valid)) : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return options.ids.map((id) => byId.get(id.toLowerCase()) ?? null);
}

export async function getClearingCycle(options: { db: DbHandle; actor: Viewer | null; id: string }): Promise<ClearingCycleRow> {
  requireSupervisor(options.actor);
  const id = requireUuid(options.id, 'id');
  const [row] = await options.db.select().from(clearingCycles).where(eq(clearingCycles.id, id));
  if (!row) throw new AppError('NOT_FOUND', { field: 'id' });
  return row;
}

export interface ObligationSummary {
  kind: string;
  sourceKind: string;
  lines: number;
  participants: number;
  totalFen: bigint;
}

/** A cycle's lines summed by kind and source: a million uses read as a handful of rows. */
export async function summarizeObligations(options: { db: DbHandle; actor: Viewer | null; cycleId: string }): Promise<ObligationSummary[]> {
  requireSupervisor(options.actor);
  const rows = await options.db
    .select({
      kind: clearingObligations.kind,
      sourceKind: clearingObligations.sourceKind,
      lines: sql<number>`count(*)::int`,
      participants: sql<number>`count(distinct ${clearingObligations.participantId})::int`,
      total: sql<string>`sum(${clearingObligations.amountFen})::text`,
    })
    .from(clearingObligations)
    .where(eq(clearingObligations.cycleId, requireUuid(options.cycleId, 'cycleId')))
    .groupBy(clearingObligations.kind, clearingObligations.sourceKind)
    .orderBy(asc(clearingObligations.kind), asc(clearingObligations.sourceKind));
  return rows.map((r) => ({ kind: r.kind, sourceKind: r.sourceKind, lines: Number(r.lines), participants: Number(r.participants), totalFen: BigInt(r.total) }));
}

/** A cycle's lines in the order they were written, optionally one participant's; `after` is the last line's id. */
export async function listObligations(options: {
  db: DbHandle;
  actor: Viewer | null;
  cycleId: string;
  participantId?: string;
  first: number;
  after?: string;
}): Promise<ObligationRow[]> {
  requireSupervisor(options.actor);
  const where: SQL[] = [eq(clearingObligations.cycleId, requireUuid(options.cycleId, 'cycleId'))];
  if (options.participantId) where.push(eq(clearingObligations.participantId, requireUuid(options.participantId, 'participantId')));
  if (options.after) {
    if (!/^\d{1,19}$/.test(options.after)) throw new AppError('INVALID_INPUT', { field: 'after', message: 'after: unknown cursor' });
    where.push(gt(clearingObligations.id, BigInt(options.after)));
  }
  return options.db
    .select()
    .from(clearingObligations)
    .where(and(...where))
    .orderBy(asc(clearingObligations.id))
    .limit(pageSize(options.first));
}

/**
 * Settlement records, newest first: a cycle's (operator, regulator) or the caller's own
 * (`mine`). `after` is the last record's id of the previous page.
 */
export async function listSettlementRecords(options: {
  db: DbHandle;
  actor: Viewer | null;
  scope: { cycleId: string } | 'mine';
  first: number;
  after?: string;
}): Promise<SettlementRecordRow[]> {
  const { db, actor, scope } = options;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const where: SQL[] = [];
  if (scope === 'mine') where.push(eq(settlementRecords.participantId, actor.participantId));
  else {
    requireSupervisor(actor);
    where.push(eq(settlementRecords.cycleId, requireUuid(scope.cycleId, 'cycleId')));
  }
  if (options.after) {
    requireUuid(options.after, 'after');
    const [cursor] = await db.select({ createdAt: settlementRecords.createdAt }).from(settlementRecords).where(eq(settlementRecords.id, options.after));
    if (!cursor) throw new AppError('INVALID_INPUT', { field: 'after', message: 'after: unknown cursor' });
    where.push(or(lt(settlementRecords.createdAt, cursor.createdAt), and(eq(settlementRecords.createdAt, cursor.createdAt), lt(settlementRecords.id, options.after)))!);
  }
  return db
    .select()
    .from(settlementRecords)
    .where(and(...where))
    .orderBy(desc(settlementRecords.createdAt), desc(settlementRecords.id))
    .limit(pageSize(options.first));
}

/** Settlement records by id: the operator and the regulator see all, a participant its own. */
export async function getSettlementRecordsByIds(options: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }): Promise<(SettlementRecordRow | null)[]> {
  const { actor } = options;
  const valid = options.ids.filter(isUuid).map((id) => id.toLowerCase());
  const rows = actor && valid.length ? await options.db.select().from(settlementRecords).where(inArray(settlementRecords.id, valid)) : [];
  const visible = new Map(rows.filter((r) => supervises(actor) || r.participantId === actor!.participantId).map((r) => [r.id, r]));
  return options.ids.map((id) => visible.get(id.toLowerCase()) ?? null);
}
