// Anchoring: records that must be provable on chain, sealed into Merkle batches
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

/**
 * A record to anchor, written in the same transaction as the state change it proves. The
 * leaf commits to (kind, record id, content hash); the anchoring worker seals pending
 * records into a batch and anchors the batch's Merkle root.
 */
export const anchorRecords = pgTable(
  'anchor_records',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    kind: text('kind').notNull(),
    recordId: text('record_id').notNull(),
    contentHash: text('content_hash').notNull(),
    batchId: uuid('batch_id'),
    leafIndex: integer('leaf_index'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('anchor_records_kind_record_key').on(t.kind, t.recordId),
    index('anchor_records_pending_idx').on(t.id).where(sql`batch_id is null`),
    index('anchor_records_batch_idx').on(t.batchId, t.leafIndex),
  ],
);

export const anchorBatches = pgTable(
  'anchor_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigserial('seq', { mode: 'bigint' }).notNull(),
    root: text('root').notNull(),
    recordCount: integer('record_count').notNull(),
    status: text('status', { enum: ['sealed', 'anchored'] }).notNull().default('sealed'),
    txHash: text('tx_hash'),
    blockNumber: bigint('block_number', { mode: 'bigint' }),
    sealedAt: timestamp('sealed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    anchoredAt: timestamp('anchored_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('anchor_batches_seq_key').on(t.seq)],
);
