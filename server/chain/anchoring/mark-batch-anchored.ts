// Records on the batch row that the chain holds its root, with the transaction that put it there.
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { anchorBatches } from '../../db/schema.ts';

export async function markBatchAnchored(
  handle: DbHandle,
  options: { batchId: string; transaction: { txHash: string; blockNumber: number } | null; anchoredAt: Date },
): Promise<void> {
  const { transaction } = options;
  await handle
    .update(anchorBatches)
    .set({
      status: 'anchored',
      // When the event could not be found, a transaction recorded by an earlier attempt stays.
      txHash: transaction ? transaction.txHash : sql`${anchorBatches.txHash}`,
      blockNumber: transaction ? BigInt(transaction.blockNumber) : sql`${anchorBatches.blockNumber}`,
      anchoredAt: options.anchoredAt,
    })
    .where(eq(anchorBatches.id, options.batchId));
}
