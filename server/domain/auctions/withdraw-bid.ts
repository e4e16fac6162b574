import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { bidRounds, bids } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import type { Viewer } from '../participants/roles.ts';
import type { BidRow } from './bid-round-records.ts';
import { releaseBid } from './release-bid.ts';

/** The bidder withdraws its sealed bid before the round closes; the escrow comes back. */
export async function withdrawBid({ db, actor, bidId }: { db: Db; actor: Viewer | null; bidId: string }): Promise<BidRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requireUuid(bidId, 'bidId');
  return db.transaction(async (tx) => {
    const [found] = await tx.select({ roundId: bids.roundId, buyerId: bids.buyerId }).from(bids).where(eq(bids.id, bidId));
    if (!found || found.buyerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'bidId' });
    // Round first, then bid: the same order as the close, so the two never deadlock.
    const [round] = await tx.select().from(bidRounds).where(eq(bidRounds.id, found.roundId)).for('update');
    const [bid] = await tx.select().from(bids).where(eq(bids.id, bidId)).for('update');
    if (round!.status !== 'open' || round!.closesAt <= new Date()) throw new AppError('INVALID_STATE', { message: 'the round has closed' });
    if (bid!.status !== 'sealed') throw new AppError('INVALID_STATE', { message: `the bid is already ${bid!.status}` });
    return releaseBid(tx, bid!, 'withdrawn', actor.participantId);
  });
}
