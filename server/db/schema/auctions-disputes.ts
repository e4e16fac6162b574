// Sealed-bid rounds (竞价) and disputes (争议 · 违约鉴定)
import { bigint, boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { datasets } from './catalog.ts';
import { pricePlans, trades } from './trading.ts';

export const bidRounds = pgTable(
  'bid_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    planId: uuid('plan_id')
      .notNull()
      .references(() => pricePlans.id),
    reserveFen: bigint('reserve_fen', { mode: 'bigint' }).notNull(),
    closesAt: timestamp('closes_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: ['open', 'closed', 'cancelled'] }).notNull().default('open'),
    winningBidId: uuid('winning_bid_id'),
    createdAt: createdAt(),
  },
  (t) => [index('bid_rounds_dataset_idx').on(t.datasetId)],
);

/** A bid, held by the server unseen by anyone until the round closes; its amount is in escrow. */
export const bids = pgTable(
  'bids',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    roundId: uuid('round_id')
      .notNull()
      .references(() => bidRounds.id),
    buyerId: uuid('buyer_id').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    purpose: text('purpose').notNull(),
    status: text('status', { enum: ['sealed', 'won', 'lost', 'withdrawn'] }).notNull().default('sealed'),
    idempotencyKey: text('idempotency_key').notNull(),
    orderId: uuid('order_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('bids_round_buyer_key').on(t.roundId, t.buyerId), uniqueIndex('bids_buyer_idempotency_key').on(t.buyerId, t.idempotencyKey)],
);

export const disputes = pgTable(
  'disputes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tradeId: uuid('trade_id')
      .notNull()
      .references(() => trades.id),
    openedBy: uuid('opened_by').notNull(),
    respondentId: uuid('respondent_id').notNull(),
    claim: text('claim').notNull(),
    status: text('status', { enum: ['open', 'ruled', 'withdrawn'] }).notNull().default('open'),
    evidence: jsonb('evidence'),
    arbiterId: uuid('arbiter_id'),
    breach: boolean('breach'),
    remedy: text('remedy', { enum: ['none', 'refund', 'penalty', 'licence_revocation'] }),
    remedyFen: bigint('remedy_fen', { mode: 'bigint' }),
    ruling: text('ruling'),
    remedyCycleId: uuid('remedy_cycle_id'),
    createdAt: createdAt(),
    ruledAt: timestamp('ruled_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('disputes_trade_idx').on(t.tradeId), index('disputes_respondent_idx').on(t.respondentId)],
);
