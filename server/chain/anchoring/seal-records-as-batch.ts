// Writes a set of records that must be provable under one root — a clearing cycle's settlement
// records — and seals them at once as a batch of their own, in the caller's transaction: the
// anchor records, the batch with its Merkle root, and the outbox row that anchors it. Nothing
// is left pending for the worker to mix with other records; the worker only delivers the row.
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client.ts';
import { anchorBatches, anchorRecords } from '../../db/schema.ts';
import { enqueueChainWork } from '../outbox.ts';
import { canonicalContentHash } from './content-hash.ts';
import type { EnqueueAnchorOptions } from './enqueue-anchor.ts';
import { buildAnchorTree } from './leaf.ts';
import { ANCHOR_BATCH_KIND, type AnchorBatch, type AnchorBatchPayload } from './seal-pending-records.ts';

const ROWS_PER_INSERT = 5000;

/**
 * Returns the sealed batch. Leaves are numbered in the order given. A (kind, recordId) that
 * was anchored before is refused by the unique index, as enqueueAnchor refuses it.
 */
export async function sealRecordsAsBatch(tx: Tx, records: readonly EnqueueAnchorOptions[]): Promise<AnchorBatch> {
  if (records.length === 0) throw new RangeError('a batch holds at least one record');
  const batchId = randomUUID();
  const leaves = records.map((r, leafIndex) => {
    if (!r.kind.trim()) throw new TypeError('an anchor record needs a kind');
    if (!r.recordId.trim()) throw new TypeError('an anchor record needs a record id');
    return { kind: r.kind, recordId: r.recordId, contentHash: canonicalContentHash(r.content), batchId, leafIndex };
  });
  const tree = buildAnchorTree(leaves);
  for (let i = 0; i < leaves.length; i += ROWS_PER_INSERT) await tx.insert(anchorRecords).values(leaves.slice(i, i + ROWS_PER_INSERT));
  const [batch] = await tx.insert(anchorBatches).values({ id: batchId, root: tree.root, recordCount: leaves.length }).returning();
  const payload: AnchorBatchPayload = { batchId, root: tree.root, recordCount: leaves.length };
  await enqueueChainWork(tx, ANCHOR_BATCH_KIND, batchId, payload);
  return batch!;
}
