// A sealed batch's records as the database holds them now, in leaf order.
import { asc, eq } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { anchorRecords } from '../../db/schema.ts';
import type { AnchoredRecordLeaf } from './leaf.ts';

export async function loadBatchRecords(handle: DbHandle, batchId: string): Promise<(AnchoredRecordLeaf & { leafIndex: number })[]> {
  const rows = await handle
    .select({ kind: anchorRecords.kind, recordId: anchorRecords.recordId, contentHash: anchorRecords.contentHash, leafIndex: anchorRecords.leafIndex })
    .from(anchorRecords)
    .where(eq(anchorRecords.batchId, batchId))
    .orderBy(asc(anchorRecords.leafIndex));
  return rows.map((r) => ({ ...r, leafIndex: r.leafIndex ?? -1 }));
}
