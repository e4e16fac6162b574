import { and, asc, desc, eq, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { bidRounds, bids, datasets, orders, participants } from '../../db/schema.ts';
import { AppError, isAppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import type { Viewer } from '../participants/roles.ts';
import { acceptOrderInTx, type LicenceRow, type OrderRow, type TradeRow } from '../trading/accept-order.ts';
import { checkOrderEligibility, type OrderEligibility } from '../trading/order-eligibility.ts';
import type { BidRoundRow, BidRow, RoundWithProvider } from './bid-round-records.ts';
import { releaseBid } from './release-bid.ts';

export interface RoundOutcome {
  round: RoundWithProvider;
  winner: { bid: BidRow; order: OrderRow; trade: TradeRow; licence: LicenceRow } | null;
  /** Bids that lost, their escrow released. */
  lost: BidRow[];
}

/** Anyone signed in closes a round once its closing time has passed. */
export async function closeBidRound({ db, actor, roundId }: { db: Db; actor: Viewer | null; roundId: string }): Promise<RoundOutcome> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requireUuid(roundId, 'roundId');
  return db.transaction(async (tx) => {
    const [round] = await tx.select().from(bidRounds).where(eq(bidRounds.id, roundId)).for('update');
    if (!round) throw new AppError('NOT_FOUND', { field: 'roundId' });
    if (round.status !== 'open') throw new AppError('INVALID_STATE', { message: `the round is already ${round.status}` });
    if (round.closesAt > new Date()) throw new AppError('INVALID_STATE', { message: `the round closes at ${round.closesAt.toISOString()}` });
    return closeRoundInTx(tx, round, actor.participantId);
  });
}

/**
 * The scheduler's tick: closes every open round whose time has passed, each in its own
 * transaction. Rounds another worker is closing are skipped. Returns the outcomes.
 */
export async function closeDueBidRounds({ db, now = new Date() }: { db: Db; now?: Date }): Promise<RoundOutcome[]> {
  const due = await db
    .select({ id: bidRounds.id })
    .from(bidRounds)
    .where(and(eq(bidRounds.status, 'open'), lte(bidRounds.closesAt, now)))
    .orderBy(asc(bidRounds.closesAt))
    .limit(100);
  const outcomes: RoundOutcome[] = [];
  for (const { id } of due) {
    const outcome = await db.transaction(async (tx) => {
      const [round] = await tx.select().from(bidRounds).where(eq(bidRounds.id, id)).for('update', { skipLocked: true });
      if (!round || round.status !== 'open' || round.closesAt > now) return null;
      return closeRoundInTx(tx, round, null);
    });
    if (outcome) outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * The highest sealed bid (ties: the earliest) whose buyer still passes the order checks wins:
 * it becomes an order from the auction at its amount — already in escrow — accepted at once
 * into a trade and a licence. Every other sealed bid loses and its escrow is released.
 */
async function closeRoundInTx(tx: Tx, round: BidRoundRow, closedBy: string | null): Promise<RoundOutcome> {
  const sealed = await tx
    .select()
    .from(bids)
    .where(and(eq(bids.roundId, round.id), eq(bids.status, 'sealed')))
    .orderBy(desc(bids.amountFen), asc(bids.createdAt), asc(bids.id))
    .for('update');
  let winner: RoundOutcome['winner'] = null;
  const lost: BidRow[] = [];
  for (const bid of sealed) {
    const eligibility: OrderEligibility | null = winner ? null : await stillEligible(tx, round, bid);
    if (!eligibility) {
      lost.push(await releaseBid(tx, bid, 'lost', closedBy));
      continue;
    }
    const [order]: OrderRow[] = await tx
      .insert(orders)
      .values({
        buyerId: bid.buyerId,
        providerId: eligibility.dataset.providerId,
        datasetId: eligibility.dataset.id,
        versionId: eligibility.version.id,
        planId: eligibility.plan.id,
        purpose: bid.purpose,
        territory: eligibility.buyer.jurisdiction,
        crossBorder: eligibility.crossBorder,
        access: eligibility.access,
        amountFen: bid.amountFen,
        source: 'auction',
        idempotencyKey: `bid:${bid.id}`,
      })
      .returning();
    const accepted = await acceptOrderInTx(tx, order!, null);
    const [won]: BidRow[] = await tx.update(bids).set({ status: 'won', orderId: order!.id }).where(eq(bids.id, bid.id)).returning();
    winner = { bid: won!, ...accepted };
  }
  const [closed] = await tx
    .update(bidRounds)
    .set({ status: 'closed', winningBidId: winner?.bid.id ?? null })
    .where(eq(bidRounds.id, round.id))
    .returning();
  const [dataset] = await tx.select({ providerId: datasets.providerId }).from(datasets).where(eq(datasets.id, round.datasetId));
  return { round: { ...closed!, providerId: dataset!.providerId }, winner, lost };
}

/** The bid's buyer is still verified and still passes the order checks (the market may have moved since it bid). */
async function stillEligible(tx: Tx, round: BidRoundRow, bid: BidRow): Promise<OrderEligibility | null> {
  const [buyer] = await tx.select({ status: participants.status }).from(participants).where(eq(participants.id, bid.buyerId));
  if (buyer?.status !== 'verified') return null;
  try {
    return await checkOrderEligibility(tx, { buyerId: bid.buyerId, planId: round.planId, purpose: bid.purpose, field: 'roundId' });
  } catch (err) {
    if (isAppError(err)) return null;
    throw err;
  }
}
