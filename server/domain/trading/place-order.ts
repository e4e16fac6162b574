import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { datasets, datasetVersions, orders, participants, pricePlans, rightsCertificates } from '../../db/schema.ts';
import { crossBorderClearance } from '../crossborder/cross-border-gate.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { participantAccount } from '../ledger/accounts.ts';
import { postTransaction } from '../ledger/post-transaction.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { acceptOrderInTx, type OrderRow } from './accept-order.ts';
import { inTerritories, isMainland, LicenceTerms, PURPOSE_NAMES } from './terms.ts';

const Input = z.object({
  planId: z.string(),
  purpose: z.enum(PURPOSE_NAMES),
  idempotencyKey: z.string().trim().min(8).max(100),
});

/**
 * A verified buyer orders a listed dataset on one of its plans. The checks run first (buyer,
 * purpose, territory or the cross-border gate, grade, registered rights); then the price goes
 * from the buyer's available balance into escrow, and the order waits for the provider — or
 * is accepted at once when the plan says so. The same idempotency key returns the same order.
 */
export async function placeOrder({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<OrderRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'buyer')) throw new AppError(actor.participantStatus === 'verified' ? 'FORBIDDEN' : 'NOT_VERIFIED');
  const { planId, purpose, idempotencyKey } = parseInput(Input, input);
  requireUuid(planId, 'planId');
  try {
    return await db.transaction((tx) => placeOrderInTx(tx, actor, planId, purpose, idempotencyKey));
  } catch (err) {
    if (isUniqueViolation(err) === 'orders_buyer_idempotency_key') {
      // The same request raced itself: the first one is the order.
      return db.transaction(async (tx) => (await sameRequest(tx, actor.participantId, idempotencyKey, planId, purpose))!);
    }
    throw err;
  }
}

async function sameRequest(tx: Tx, buyerId: string, idempotencyKey: string, planId: string, purpose: string): Promise<OrderRow | undefined> {
  const [existing] = await tx.select().from(orders).where(and(eq(orders.buyerId, buyerId), eq(orders.idempotencyKey, idempotencyKey)));
  if (existing && (existing.planId !== planId || existing.purpose !== purpose)) throw new AppError('IDEMPOTENCY_CONFLICT', { field: 'idempotencyKey' });
  return existing;
}

async function placeOrderInTx(tx: Tx, actor: Viewer, planId: string, purpose: string, idempotencyKey: string): Promise<OrderRow> {
  const existing = await sameRequest(tx, actor.participantId, idempotencyKey, planId, purpose);
  if (existing) return existing;

  const [row] = await tx
    .select({ plan: pricePlans, dataset: datasets, version: datasetVersions })
    .from(pricePlans)
    .innerJoin(datasets, eq(datasets.id, pricePlans.datasetId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
    .where(eq(pricePlans.id, planId));
  if (!row || row.dataset.status !== 'listed') {
    // An unlisted or suspended dataset is not for sale, and its existence is not disclosed.
    throw new AppError(row ? 'INVALID_STATE' : 'NOT_FOUND', {
      field: 'planId',
      message: row ? `the dataset is ${row.dataset.status.replace('_', ' ')}, not listed` : undefined,
    });
  }
  const { plan, dataset, version } = row;
  if (plan.status !== 'active') throw new AppError('INVALID_STATE', { field: 'planId', message: 'the plan is retired' });
  if (dataset.providerId === actor.participantId) throw new AppError('INVALID_INPUT', { field: 'planId', message: 'planId: a provider cannot buy its own dataset' });
  const terms = LicenceTerms.parse(plan.terms);
  if (!terms.purposes.includes(purpose as never)) {
    throw new AppError('LICENCE_TERMS', { field: 'purpose', message: `purpose: the plan allows ${terms.purposes.join(', ')}` });
  }
  const [certificate] = await tx
    .select({ id: rightsCertificates.id })
    .from(rightsCertificates)
    .where(and(eq(rightsCertificates.datasetId, dataset.id), eq(rightsCertificates.status, 'current')));
  if (!certificate) throw new AppError('INVALID_STATE', { field: 'planId', message: 'the dataset has no registered rights (确权) and cannot be traded' });

  const [buyer] = await tx.select().from(participants).where(eq(participants.id, actor.participantId));
  let crossBorder = false;
  let access = terms.access;
  if (!inTerritories(buyer!.jurisdiction, terms.territories)) {
    if (isMainland(buyer!.jurisdiction)) {
      throw new AppError('LICENCE_TERMS', { field: 'planId', message: `the plan is licensed for ${terms.territories.join(', ')}, not ${buyer!.jurisdiction}` });
    }
    const clearance = await crossBorderClearance(tx, { destination: buyer!.jurisdiction, datasetId: dataset.id, classification: version!.classification });
    if (!clearance.allowed) throw new AppError('CROSS_BORDER_DENIED', { message: clearance.reason, details: { ...clearance } });
    // 可用不出境: usable without leaving the country — encrypted queries only.
    crossBorder = true;
    access = 'query_only';
  }
  if (version!.grade === 'L3') access = 'query_only';

  const amountFen = plan.kind === 'per_query' ? 0n : plan.priceFen;
  const [order] = await tx
    .insert(orders)
    .values({
      buyerId: actor.participantId,
      providerId: dataset.providerId,
      datasetId: dataset.id,
      versionId: version!.id,
      planId: plan.id,
      purpose,
      territory: buyer!.jurisdiction,
      crossBorder,
      access,
      amountFen,
      idempotencyKey,
    })
    .returning();
  if (amountFen > 0n) {
    await postTransaction(tx, {
      kind: 'escrow-reserve',
      reference: `order:${order!.id}`,
      createdBy: actor.participantId,
      legs: [
        { accountId: await participantAccount(tx, actor.participantId, 'available'), amountFen: -amountFen },
        { accountId: await participantAccount(tx, actor.participantId, 'escrow'), amountFen },
      ],
    });
  }
  if (plan.autoAccept) return (await acceptOrderInTx(tx, order!, null)).order;
  return order!;
}
