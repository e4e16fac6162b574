// 竞价: sealed-bid rounds and their bids, and who may see a bid. Amounts are held by the
// server: before a round closes only the bidder sees its own bid; after it closes the round's
// provider and the supervisors (operator, regulator, arbiter) see them all.
import type { bidRounds, bids } from '../../db/schema.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';

export type BidRoundRow = typeof bidRounds.$inferSelect;
export type BidRow = typeof bids.$inferSelect;

/** A round together with the provider whose dataset it sells. */
export type RoundWithProvider = BidRoundRow & { providerId: string };

export function supervisesAuctions(viewer: Viewer | null): boolean {
  return actsAs(viewer, 'operator') || actsAs(viewer, 'regulator') || actsAs(viewer, 'arbiter');
}

/** Whether the round has closed (bids are revealed), not merely reached its closing time. */
export function isRevealed(round: Pick<BidRoundRow, 'status'>): boolean {
  return round.status !== 'open';
}

export function canSeeBid(viewer: Viewer | null, bid: Pick<BidRow, 'buyerId'>, round: Pick<RoundWithProvider, 'status' | 'providerId'>): boolean {
  if (!viewer) return false;
  if (bid.buyerId === viewer.participantId) return true;
  return isRevealed(round) && (round.providerId === viewer.participantId || supervisesAuctions(viewer));
}
