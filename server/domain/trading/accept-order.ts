import { and, eq } from 'drizzle-orm';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db, Tx } from '../../db/client.ts';
import { datasetVersions, licences, orders, pricePlans, rightsCertificates, trades } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { participantAccount } from '../ledger/accounts.ts';
import { postTransaction } from '../ledger/post-transaction.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { LicenceTerms } from './terms.ts';

export type OrderRow = typeof orders.$inferSelect;
export type TradeRow = typeof trades.$inferSelect;
export type LicenceRow = typeof licences.$inferSelect;

export const TRADE_FILING_KIND = 'trading.trade-filing';
const DAY_MS = 86_400_000;

async function lockOrder(tx: Tx, orderId: string): Promise<OrderRow> {
  requireUuid(orderId, 'orderId');
  const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
  if (!order) throw new AppError('NOT_FOUND', { field: 'orderId' });
  return order;
}

function assertPending(order: OrderRow): void {
  if (order.status !== 'pending') throw new AppError('INVALID_STATE', { message: `the order is already ${order.status}` });
}

/** The provider accepts a pending order: it becomes a trade (filed and anchored) and a licence. */
export async function acceptOrder({ db, actor, orderId }: { db: Db; actor: Viewer | null; orderId: string }) {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (order.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'orderId' });
    return acceptOrderInTx(tx, order, actor!.participantId);
  });
}

/** Accepts a locked pending order (by its provider, or automatically when actorId is null). */
export async function acceptOrderInTx(tx: Tx, order: OrderRow, actorId: string | null): Promise<{ order: OrderRow; trade: TradeRow; licence: LicenceRow }> {
  assertPending(order);
  const now = new Date();
  const [plan] = await tx.select().from(pricePlans).where(eq(pricePlans.id, order.planId));
  const [version] = await tx.select().from(datasetVersions).where(eq(datasetVersions.id, order.versionId));
  const [certificate] = await tx
    .select({ id: rightsCertificates.id })
    .from(rightsCertificates)
    .where(and(eq(rightsCertificates.datasetId, order.datasetId), eq(rightsCertificates.status, 'current')));
  if (!certificate) throw new AppError('INVALID_STATE', { message: 'the dataset has no registered rights' });
  const terms = LicenceTerms.parse(plan!.terms);
  const [accepted] = await tx
    .update(orders)
    .set({ status: 'accepted', decidedAt: now, decidedBy: actorId })
    .where(eq(orders.id, order.id))
    .returning();
  const [trade] = await tx
    .insert(trades)
    .values({
      orderId: order.id,
      buyerId: order.buyerId,
      providerId: order.providerId,
      datasetId: order.datasetId,
      versionId: order.versionId,
      planId: order.planId,
      certificateId: certificate.id,
      amountFen: order.amountFen,
      domain: version!.domain,
      classification: version!.classification,
      grade: version!.grade,
      territory: order.territory,
      crossBorder: order.crossBorder,
      planKind: plan!.kind,
      createdAt: now,
    })
    .returning();
  const [licence] = await tx
    .insert(licences)
    .values({
      tradeId: trade!.id,
      buyerId: order.buyerId,
      providerId: order.providerId,
      datasetId: order.datasetId,
      versionId: order.versionId,
      planId: order.planId,
      purpose: order.purpose,
      territories: order.crossBorder ? [order.territory] : terms.territories,
      access: order.access,
      validFrom: now,
      validUntil: new Date(now.getTime() + terms.termDays * DAY_MS),
      queryQuota: plan!.queryQuota,
      periodDays: plan!.periodDays,
      periodStartedAt: now,
      epsilonBudgetMicro: terms.epsilon === undefined ? null : BigInt(Math.round(terms.epsilon * 1e6)),
      perQueryFen: plan!.kind === 'per_query' ? plan!.priceFen : 0n,
    })
    .returning();
  await enqueueAnchor(tx, { kind: TRADE_FILING_KIND, recordId: trade!.id, content: tradeFilingContent(trade!) });
  return { order: accepted!, trade: trade!, licence: licence! };
}

/** 备案: what the regulator's filing of a trade commits to. */
export function tradeFilingContent(trade: TradeRow) {
  return {
    tradeId: trade.id,
    orderId: trade.orderId,
    buyerId: trade.buyerId,
    providerId: trade.providerId,
    datasetId: trade.datasetId,
    versionId: trade.versionId,
    planKind: trade.planKind,
    amountFen: trade.amountFen,
    domain: trade.domain,
    classification: trade.classification,
    grade: trade.grade,
    territory: trade.territory,
    crossBorder: trade.crossBorder,
    at: trade.createdAt.toISOString(),
  };
}

/** The provider declines a pending order with a reason; the buyer's escrow is released. */
export async function rejectOrder({ db, actor, orderId, reason }: { db: Db; actor: Viewer | null; orderId: string; reason: string }) {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  if (!reason?.trim()) throw new AppError('INVALID_INPUT', { field: 'reason', message: 'reason: a rejection needs a reason' });
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (order.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'orderId' });
    return closeOrder(tx, order, 'rejected', actor!.participantId, reason.trim().slice(0, 2000));
  });
}

/** The buyer withdraws its pending order; the escrow comes back to its available balance. */
export async function cancelOrder({ db, actor, orderId }: { db: Db; actor: Viewer | null; orderId: string }) {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return db.transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (order.buyerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'orderId' });
    return closeOrder(tx, order, 'cancelled', actor.participantId, null);
  });
}

async function closeOrder(tx: Tx, order: OrderRow, status: 'rejected' | 'cancelled', by: string, reason: string | null): Promise<OrderRow> {
  assertPending(order);
  if (order.amountFen > 0n) {
    await postTransaction(tx, {
      kind: 'escrow-release',
      reference: `order:${order.id}`,
      createdBy: by,
      legs: [
        { accountId: await participantAccount(tx, order.buyerId, 'escrow'), amountFen: -order.amountFen },
        { accountId: await participantAccount(tx, order.buyerId, 'available'), amountFen: order.amountFen },
      ],
    });
  }
  const [row] = await tx.update(orders).set({ status, decidedAt: new Date(), decidedBy: by, reason }).where(eq(orders.id, order.id)).returning();
  return row!;
}
