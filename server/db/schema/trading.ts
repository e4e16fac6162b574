// Trading (交易撮合): price plans, orders, trades and licences (使用许可)
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { datasets } from './catalog.ts';
import { participants } from './foundation.ts';

/** A listed dataset's offer: a fixed licence fee, a price per query, or a subscription. */
export const pricePlans = pgTable(
  'price_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    kind: text('kind', { enum: ['fixed', 'per_query', 'subscription'] }).notNull(),
    title: text('title').notNull(),
    /** Fixed: the licence fee; per query: the price of one query; subscription: the fee per period. */
    priceFen: bigint('price_fen', { mode: 'bigint' }).notNull(),
    periodDays: integer('period_days'),
    /** Queries allowed per licence (fixed) or per period (subscription); null = unlimited. */
    queryQuota: integer('query_quota'),
    /** Licence terms: purposes, termDays, territories, access, epsilon budget. */
    terms: jsonb('terms').notNull(),
    autoAccept: boolean('auto_accept').notNull().default(false),
    status: text('status', { enum: ['active', 'retired'] }).notNull().default('active'),
    createdAt: createdAt(),
  },
  (t) => [index('price_plans_dataset_idx').on(t.datasetId), check('price_plans_price_nonnegative', sql`${t.priceFen} >= 0`)],
);

export const orders = pgTable(
  'orders',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    buyerId: uuid('buyer_id')
      .notNull()
      .references(() => participants.id),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => participants.id),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionId: uuid('version_id').notNull(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => pricePlans.id),
    purpose: text('purpose').notNull(),
    territory: text('territory').notNull(),
    crossBorder: boolean('cross_border').notNull(),
    access: text('access', { enum: ['query_only', 'delivery'] }).notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    status: text('status', { enum: ['pending', 'accepted', 'rejected', 'cancelled'] }).notNull().default('pending'),
    /** How the order came about: a plan order, or the winning bid of a sealed-bid round. */
    source: text('source', { enum: ['plan', 'auction'] }).notNull().default('plan'),
    idempotencyKey: text('idempotency_key').notNull(),
    reason: text('reason'),
    decidedBy: uuid('decided_by'),
    createdAt: createdAt(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('orders_buyer_idempotency_key').on(t.buyerId, t.idempotencyKey),
    index('orders_provider_status_idx').on(t.providerId, t.status),
    index('orders_dataset_idx').on(t.datasetId),
  ],
);

/** 成交: an accepted order. Filed for the regulator (备案) and cleared in a cycle. */
export const trades = pgTable(
  'trades',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id),
    buyerId: uuid('buyer_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    datasetId: uuid('dataset_id').notNull(),
    versionId: uuid('version_id').notNull(),
    planId: uuid('plan_id').notNull(),
    /** The rights certificate whose income shares split this trade's proceeds. */
    certificateId: uuid('certificate_id').notNull(),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
    /** Filing fields, as they were at the time of the trade. */
    domain: text('domain').notNull(),
    classification: text('classification').notNull(),
    grade: text('grade').notNull(),
    territory: text('territory').notNull(),
    crossBorder: boolean('cross_border').notNull(),
    planKind: text('plan_kind').notNull(),
    cycleId: uuid('cycle_id'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('trades_order_key').on(t.orderId),
    index('trades_uncleared_idx').on(t.createdAt).where(sql`cycle_id is null`),
    index('trades_created_idx').on(t.createdAt),
  ],
);

/** 使用许可: what a trade allows its buyer to do, machine-checked on every use. */
export const licences = pgTable(
  'licences',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tradeId: uuid('trade_id')
      .notNull()
      .references(() => trades.id),
    buyerId: uuid('buyer_id').notNull(),
    providerId: uuid('provider_id').notNull(),
    datasetId: uuid('dataset_id').notNull(),
    versionId: uuid('version_id').notNull(),
    planId: uuid('plan_id').notNull(),
    purpose: text('purpose').notNull(),
    territories: text('territories').array().notNull(),
    access: text('access', { enum: ['query_only', 'delivery'] }).notNull(),
    onwardTransfer: boolean('onward_transfer').notNull().default(false),
    validFrom: timestamp('valid_from', { withTimezone: true, mode: 'date' }).notNull(),
    validUntil: timestamp('valid_until', { withTimezone: true, mode: 'date' }).notNull(),
    /** Queries allowed (per period for subscriptions); null = unlimited (per-query plans). */
    queryQuota: integer('query_quota'),
    periodDays: integer('period_days'),
    queriesUsed: integer('queries_used').notNull().default(0),
    periodStartedAt: timestamp('period_started_at', { withTimezone: true, mode: 'date' }),
    /** Differential-privacy budget (ε) of the licence, in millionths; null = no DP noise required. */
    epsilonBudgetMicro: bigint('epsilon_budget_micro', { mode: 'bigint' }),
    epsilonUsedMicro: bigint('epsilon_used_micro', { mode: 'bigint' }).notNull().default(sql`0`),
    /** Per-query price for per-query plans (usage is metered at this price). */
    perQueryFen: bigint('per_query_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    status: text('status', { enum: ['active', 'frozen', 'revoked'] }).notNull().default('active'),
    statusReason: text('status_reason'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('licences_trade_key').on(t.tradeId), index('licences_buyer_idx').on(t.buyerId, t.datasetId)],
);
