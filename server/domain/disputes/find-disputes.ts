// Who takes part in a dispute and who sees it: the trade's buyer and provider, arbiters,
// regulators and the operator. Reading one, many by id, and lists.
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { disputes } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { isUuid, requireUuid } from '../ids.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { TradeRow } from '../trading/accept-order.ts';
import type { DisputeRow } from './dispute-records.ts';

/** The side the viewer takes in the trade, acting in that role; null when it is not a party. */
export function partyOf(viewer: Viewer | null, trade: Pick<TradeRow, 'buyerId' | 'providerId'>): 'buyer' | 'provider' | null {
  if (!viewer) return null;
  if (trade.buyerId === viewer.participantId && actsAs(viewer, 'buyer')) return 'buyer';
  if (trade.providerId === viewer.participantId && actsAs(viewer, 'provider')) return 'provider';
  return null;
}

function supervises(viewer: Viewer | null): boolean {
  return actsAs(viewer, 'arbiter') || actsAs(viewer, 'regulator') || actsAs(viewer, 'operator');
}

export function canSeeDispute(viewer: Viewer | null, d: Pick<DisputeRow, 'openedBy' | 'respondentId'>): boolean {
  return !!viewer && (supervises(viewer) || d.openedBy === viewer.participantId || d.respondentId === viewer.participantId);
}

export async function getDispute({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }): Promise<DisputeRow> {
  requireUuid(id, 'disputeId');
  const [row] = await db.select().from(disputes).where(eq(disputes.id, id));
  if (!row || !canSeeDispute(actor, row)) throw new AppError('NOT_FOUND', { field: 'disputeId' });
  return row;
}

export async function getDisputesByIds({ db, actor, ids }: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }): Promise<(DisputeRow | null)[]> {
  const valid = ids.filter(isUuid);
  const rows = valid.length ? await db.select().from(disputes).where(inArray(disputes.id, valid)) : [];
  const byId = new Map(rows.filter((r) => canSeeDispute(actor, r)).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/**
 * Disputes newest first: `mine` those the caller opened or answers; `all` every dispute
 * (arbiters, regulators, operator). Keyset-paginated by the last row's id.
 */
export async function listDisputes(options: {
  db: DbHandle;
  actor: Viewer | null;
  scope: 'mine' | 'all';
  status?: DisputeRow['status'];
  first: number;
  after?: string;
}): Promise<DisputeRow[]> {
  const { db, actor } = options;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const where: SQL[] = [];
  if (options.scope === 'all') {
    if (!supervises(actor)) throw new AppError('FORBIDDEN');
  } else where.push(or(eq(disputes.openedBy, actor.participantId), eq(disputes.respondentId, actor.participantId))!);
  if (options.status) where.push(eq(disputes.status, options.status));
  if (options.after) {
    requireUuid(options.after, 'after');
    const [cursor] = await db.select({ createdAt: disputes.createdAt }).from(disputes).where(eq(disputes.id, options.after));
    if (!cursor) throw new AppError('INVALID_INPUT', { field: 'after', message: 'after: unknown cursor' });
    where.push(or(lt(disputes.createdAt, cursor.createdAt), and(eq(disputes.createdAt, cursor.createdAt), lt(disputes.id, options.after)))!);
  }
  return db
    .select()
    .from(disputes)
    .where(and(...where))
    .orderBy(desc(disputes.createdAt), desc(disputes.id))
    .limit(Math.min(Math.max(options.first, 1), 201));
}
