import { eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { bids } from '../../db/schema.ts';
import { participantAccount } from '../ledger/accounts.ts';
import { postTransaction } from '../ledger/post-transaction.ts';
import type { BidRow } from './bid-round-records.ts';

/** Ends a sealed bid that did not win (lost, or withdrawn by its buyer): its escrow returns to the buyer's available balance. */
export async function releaseBid(tx: Tx, bid: BidRow, status: 'lost' | 'withdrawn', by: string | null): Promise<BidRow> {
  await postTransaction(tx, {
    kind: 'escrow-release',
    reference: `bid:${bid.id}`,
    createdBy: by ?? undefined,
    legs: [
      { accountId: await participantAccount(tx, bid.buyerId, 'escrow'), amountFen: -bid.amountFen },
      { accountId: await participantAccount(tx, bid.buyerId, 'available'), amountFen: bid.amountFen },
    ],
  });
  const [row] = await tx.update(bids).set({ status }).where(eq(bids.id, bid.id)).returning();
  return row!;
}
