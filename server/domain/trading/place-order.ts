import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { orders } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { participantAccount } from '../ledger/accounts.ts';
import { postTransaction } from '../ledger/post-transaction.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { acceptOrderInTx, type OrderRow } from './accept-order.ts';
import { checkOrderEligibility } from './order-eligibility.ts';
import { PURPOSE_NAMES } from './terms.ts';

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

  const { plan, dataset, version, buyer, crossBorder, access } = await checkOrderEligibility(tx, { buyerId: actor.participantId, planId, purpose });

  const amountFen = plan.kind === 'per_query' ? 0n : plan.priceFen;
  const [order] = await tx
    .insert(orders)
    .values({
      buyerId: actor.participantId,
      providerId: dataset.providerId,
      datasetId: dataset.id,
      versionId: version.id,
      planId: plan.id,
      purpose,
      territory: buyer.jurisdiction,
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
