import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '../../db/client.ts';
import { bidRounds, bids } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { participantAccount } from '../ledger/accounts.ts';
import { postTransaction } from '../ledger/post-transaction.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { checkOrderEligibility } from '../trading/order-eligibility.ts';
import { PURPOSE_NAMES } from '../trading/terms.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import type { BidRow } from './bid-round-records.ts';

const Input = z.object({
  roundId: z.string(),
  amountFen: z.bigint().min(1n).max(10_000_000_000n),
  purpose: z.enum(PURPOSE_NAMES),
  idempotencyKey: z.string().trim().min(8).max(100),
});

/**
 * A verified buyer bids once in an open round, at or above the reserve, after the same checks
 * as an order (purpose, territory or the cross-border gate, registered rights). The amount goes
 * from its available balance into escrow and stays sealed until the round closes. The same
 * idempotency key returns the same bid.
 */
export async function placeBid({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<BidRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'buyer')) throw new AppError(actor.participantStatus === 'verified' ? 'FORBIDDEN' : 'NOT_VERIFIED');
  const bid = parseInput(Input, input);
  requireUuid(bid.roundId, 'roundId');
  try {
    return await db.transaction((tx) => placeBidInTx(tx, actor, bid));
  } catch (err) {
    if (isUniqueViolation(err) === 'bids_buyer_idempotency_key') {
      // The same request raced itself: the first one is the bid.
      return db.transaction(async (tx) => (await sameRequest(tx, actor.participantId, bid))!);
    }
    throw err;
  }
}

type BidInput = z.output<typeof Input>;

async function sameRequest(tx: Tx, buyerId: string, bid: BidInput): Promise<BidRow | undefined> {
  const [existing] = await tx.select().from(bids).where(and(eq(bids.buyerId, buyerId), eq(bids.idempotencyKey, bid.idempotencyKey)));
  if (existing && (existing.roundId !== bid.roundId || existing.amountFen !== bid.amountFen || existing.purpose !== bid.purpose)) {
    throw new AppError('IDEMPOTENCY_CONFLICT', { field: 'idempotencyKey' });
  }
  return existing;
}

async function placeBidInTx(tx: Tx, actor: Viewer, bid: BidInput): Promise<BidRow> {
  const existing = await sameRequest(tx, actor.participantId, bid);
  if (existing) return existing;
  // The round's row lock orders bids against each other and against the close.
  const [round] = await tx.select().from(bidRounds).where(eq(bidRounds.id, bid.roundId)).for('update');
  if (!round) throw new AppError('NOT_FOUND', { field: 'roundId' });
  if (round.status !== 'open' || round.closesAt <= new Date()) {
    const message = round.status === 'open' ? `the round closed at ${round.closesAt.toISOString()}` : `the round is ${round.status}`;
    throw new AppError('INVALID_STATE', { field: 'roundId', message });
  }
  await checkOrderEligibility(tx, { buyerId: actor.participantId, planId: round.planId, purpose: bid.purpose, field: 'roundId' });
  if (bid.amountFen < round.reserveFen) throw new AppError('INVALID_INPUT', { field: 'amountFen', message: `amountFen: below the reserve of ${round.reserveFen} fen` });
  const [mine] = await tx.select({ status: bids.status }).from(bids).where(and(eq(bids.roundId, round.id), eq(bids.buyerId, actor.participantId)));
  if (mine) throw new AppError('INVALID_STATE', { field: 'roundId', message: `you already bid in this round (your bid is ${mine.status}); one bid per buyer` });
  const [row] = await tx
    .insert(bids)
    .values({ roundId: round.id, buyerId: actor.participantId, amountFen: bid.amountFen, purpose: bid.purpose, idempotencyKey: bid.idempotencyKey })
    .returning();
  await postTransaction(tx, {
    kind: 'escrow-reserve',
    reference: `bid:${row!.id}`,
    createdBy: actor.participantId,
    legs: [
      { accountId: await participantAccount(tx, actor.participantId, 'available'), amountFen: -bid.amountFen },
      { accountId: await participantAccount(tx, actor.participantId, 'escrow'), amountFen: bid.amountFen },
    ],
  });
  return row!;
}
