// The tamper check: a batch's root rebuilt from the content hashes the database holds now.
// Equal to the anchored root when no record of the batch was altered, added or removed.
import type { DbHandle } from '../../db/client.ts';
import { loadBatchRecords } from './batch-records.ts';
import { buildAnchorTree } from './leaf.ts';

/** The recomputed root, or null when the database holds no record of the batch at all. */
export async function recomputeBatchRoot(handle: DbHandle, batchId: string): Promise<string | null> {
  const records = await loadBatchRecords(handle, batchId);
  return records.length === 0 ? null : buildAnchorTree(records).root;
}
