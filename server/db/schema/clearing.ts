// Metering, clearing (清算) and settlement (结算)
import { sql } from 'drizzle-orm';
import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { licences } from './trading.ts';

/** A metered use of a licence (an encrypted query), priced, paid into escrow when it happened. */
export const usageRecords = pgTable(
  'usage_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id),
    buyerId: uuid('buyer_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    datasetId: uuid('dataset_id').notNull(),
    certificateId: uuid('certificate_id').notNull(),
    /** The query (or other use) it meters; one record per use. */
    usageRef: text('usage_ref').notNull(),
    kind: text('kind').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    cycleId: uuid('cycle_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('usage_records_usage_ref_key').on(t.usageRef),
    index('usage_records_uncleared_idx').on(t.createdAt).where(sql`cycle_id is null`),
    index('usage_records_licence_idx').on(t.licenceId),
  ],
);

export const clearingCycles = pgTable(
  'clearing_cycles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    seq: bigserial('seq', { mode: 'bigint' }).notNull(),
    /** Trades and usage created before this instant belong to the cycle. */
    cutoff: timestamp('cutoff', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: ['computed', 'settled'] }).notNull().default('computed'),
    trigger: text('trigger', { enum: ['schedule', 'manual'] }).notNull(),
    feeBps: integer('fee_bps').notNull(),
    totals: jsonb('totals').notNull(),
    ledgerTransactionId: uuid('ledger_transaction_id'),
    createdAt: createdAt(),
    settledAt: timestamp('settled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('clearing_cycles_seq_key').on(t.seq)],
);

/** One line of a cycle: who owes or is owed what, and why (a trade, usage, a fee, a remedy). */
export const clearingObligations = pgTable(
  'clearing_obligations',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => clearingCycles.id),
    participantId: uuid('participant_id'),
    /** receivable (income share), payable (from escrow), fee (to the exchange), remedy. */
    kind: text('kind').notNull(),
    sourceKind: text('source_kind').notNull(),
    sourceId: text('source_id').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [index('clearing_obligations_cycle_idx').on(t.cycleId, t.participantId)],
);

/** 结算: a participant's net result of a cycle, posted and anchored. */
export const settlementRecords = pgTable(
  'settlement_records',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => clearingCycles.id),
    participantId: uuid('participant_id').notNull(),
    payableFen: bigint('payable_fen', { mode: 'bigint' }).notNull(),
    receivableFen: bigint('receivable_fen', { mode: 'bigint' }).notNull(),
    netFen: bigint('net_fen', { mode: 'bigint' }).notNull(),
    content: jsonb('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('settlement_records_cycle_participant_key').on(t.cycleId, t.participantId)],
);
