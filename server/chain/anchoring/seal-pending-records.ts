// Seals pending anchor records into a batch: one database transaction takes the oldest
// pending records (skipping any another worker holds), numbers their leaves, stores the
// batch's Merkle root and writes the outbox row that will anchor it.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import { anchorBatches } from '../../db/schema.ts';
import { enqueueChainWork } from '../outbox.ts';
import { buildAnchorTree } from './leaf.ts';

export const ANCHOR_BATCH_KIND = 'anchor.batch';

export type AnchorBatch = typeof anchorBatches.$inferSelect;

/** The outbox payload of kind 'anchor.batch'. */
export interface AnchorBatchPayload {
  batchId: string;
  root: string;
  recordCount: number;
}

export const DEFAULT_MAX_BATCH_RECORDS = 1000;

/** Returns the sealed batch, or null when no record was pending. */
export async function sealPendingRecords(db: Db, options: { maxRecords?: number } = {}): Promise<AnchorBatch | null> {
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_BATCH_RECORDS;
  if (!Number.isInteger(maxRecords) || maxRecords < 1) throw new RangeError(`maxRecords must be a positive integer, got ${maxRecords}`);
  return db.transaction(async (tx) => {
    const batchId = randomUUID();
    // One statement, whatever the batch size: lock, number in id order, and assign.
    const result = await tx.execute(sql`
      with picked as (
        select id from anchor_records
        where batch_id is null
        order by id
        limit ${maxRecords}
        for update skip locked
      ), numbered as (
        select id, (row_number() over (order by id) - 1)::int as leaf_index from picked
      )
      update anchor_records r
      set batch_id = ${batchId}, leaf_index = numbered.leaf_index
      from numbered
      where r.id = numbered.id
      returning r.kind, r.record_id, r.content_hash, r.leaf_index`);
    const records = rowsOf(result)
      .map((r) => ({ kind: String(r.kind), recordId: String(r.record_id), contentHash: String(r.content_hash), leafIndex: Number(r.leaf_index) }))
      .sort((a, b) => a.leafIndex - b.leafIndex);
    if (records.length === 0) return null;
    const tree = buildAnchorTree(records);
    const [batch] = await tx.insert(anchorBatches).values({ id: batchId, root: tree.root, recordCount: records.length }).returning();
    const payload: AnchorBatchPayload = { batchId, root: tree.root, recordCount: records.length };
    await enqueueChainWork(tx, ANCHOR_BATCH_KIND, batchId, payload);
    return batch!;
  });
}
