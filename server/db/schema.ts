// The exchange's relational schema. drizzle-kit generates migrations/ from this file
// (`npm run db:generate`); the server applies them at start on PGlite and PostgreSQL alike.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

/** 市场主体: an organisation trading on, running or supervising the exchange. */
export const participants = pgTable(
  'participants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** 'uscc' (统一社会信用代码, mainland China) or 'foreign' (the home registry's number). */
    registrationScheme: text('registration_scheme', { enum: ['uscc', 'foreign'] }).notNull(),
    registrationCode: text('registration_code').notNull(),
    jurisdiction: text('jurisdiction').notNull(),
    roles: text('roles').array().notNull(),
    status: text('status', { enum: ['pending', 'verified', 'rejected', 'suspended'] }).notNull().default('pending'),
    chainAddress: text('chain_address').notNull(),
    contactEmail: text('contact_email'),
    /** The registration code of the organisation that controls this one (实际控制人), if any: related parties share it. */
    controllerCode: text('controller_code'),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    verifiedBy: uuid('verified_by'),
    statusReason: text('status_reason'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('participants_registration_key').on(t.registrationScheme, t.registrationCode),
    uniqueIndex('participants_chain_address_key').on(t.chainAddress),
    check('participants_roles_nonempty', sql`cardinality(${t.roles}) > 0`),
  ],
);

/** Scoped API keys. Only a SHA-256 of the secret is stored; the prefix finds the row. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    label: text('label').notNull(),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [uniqueIndex('api_keys_prefix_key').on(t.prefix), index('api_keys_participant_idx').on(t.participantId)],
);

/** Contracts the exchange deployed, per chain. Deployed at start when absent. */
export const chainDeployments = pgTable(
  'chain_deployments',
  {
    chainId: bigint('chain_id', { mode: 'bigint' }).notNull(),
    contract: text('contract').notNull(),
    address: text('address').notNull(),
    txHash: text('tx_hash').notNull(),
    bytecodeHash: text('bytecode_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.chainId, t.contract] })],
);

/**
 * Every transaction the exchange signs, in order, raw. On an external chain it is the
 * record of what was sent; on the embedded chain it is what rebuilds the chain after a
 * restart (the same raw transactions at the same timestamps give the same hashes and state).
 */
export const chainJournal = pgTable(
  'chain_journal',
  {
    seq: bigserial('seq', { mode: 'bigint' }).primaryKey(),
    chainId: bigint('chain_id', { mode: 'bigint' }).notNull(),
    txHash: text('tx_hash').notNull(),
    rawTx: text('raw_tx').notNull(),
    nonce: integer('nonce').notNull(),
    purpose: text('purpose').notNull(),
    blockTimestamp: bigint('block_timestamp', { mode: 'bigint' }).notNull(),
    blockNumber: bigint('block_number', { mode: 'bigint' }),
    /** `dropped`: an external node accepted it and forgot it unmined; a retry sends it again. */
    status: text('status', { enum: ['sent', 'mined', 'reverted', 'dropped'] }).notNull().default('sent'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('chain_journal_tx_hash_key').on(t.txHash), index('chain_journal_chain_idx').on(t.chainId, t.seq)],
);

/**
 * The outbox: a state change that must reach the chain writes a row here in the same
 * database transaction; the dispatcher delivers it, retrying with backoff, idempotently.
 */
export const chainOutbox = pgTable(
  'chain_outbox',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    kind: text('kind').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: ['pending', 'done', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastError: text('last_error'),
    txHash: text('tx_hash'),
    blockNumber: bigint('block_number', { mode: 'bigint' }),
    createdAt: createdAt(),
    doneAt: timestamp('done_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    uniqueIndex('chain_outbox_dedupe_key').on(t.kind, t.dedupeKey),
    index('chain_outbox_pending_idx').on(t.status, t.nextAttemptAt),
  ],
);

/** Key-value facts about this installation (e.g. that the demo seed ran). */
export const systemState = pgTable('system_state', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});

// ---------------------------------------------------------------------------------------------
// Catalog (数据产品), listing review (挂牌 · 合规审查) and the provider's private row store

/** A data product. Its catalog description lives in versions; `currentVersionId` is what buyers see. */
export const datasets = pgTable(
  'datasets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    providerId: uuid('provider_id')
      .notNull()
      .references(() => participants.id),
    status: text('status', { enum: ['draft', 'in_review', 'listed', 'suspended', 'delisted'] }).notNull().default('draft'),
    currentVersionId: uuid('current_version_id'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    listedAt: timestamp('listed_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('datasets_provider_idx').on(t.providerId), index('datasets_status_idx').on(t.status)],
);

/** One version of a dataset's description, schema and commitment. Versions are never edited. */
export const datasetVersions = pgTable(
  'dataset_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    version: integer('version').notNull(),
    titleZh: text('title_zh').notNull(),
    titleEn: text('title_en').notNull(),
    descriptionZh: text('description_zh').notNull(),
    descriptionEn: text('description_en').notNull(),
    domain: text('domain').notNull(),
    industry: text('industry'),
    keywords: text('keywords').array().notNull(),
    columns: jsonb('columns').notNull(),
    updateFrequency: text('update_frequency').notNull(),
    rowCount: bigint('row_count', { mode: 'number' }).notNull(),
    sampleRows: jsonb('sample_rows').notNull(),
    classification: text('classification').notNull(),
    grade: text('grade', { enum: ['L1', 'L2', 'L3', 'L4'] }).notNull(),
    personalInfo: boolean('personal_info').notNull(),
    commitment: text('commitment').notNull(),
    /** Column rules the provider declares and proves in zero knowledge (sdk/zk/rules.ts DeclaredRules). */
    complianceRules: jsonb('compliance_rules'),
    /** 最小分组: encrypted queries never reveal a group of fewer rows than this (k-anonymity threshold). */
    minGroupSize: integer('min_group_size').notNull().default(5),
    /** Rows uploaded to the private store for this version, and their recomputed commitment. */
    uploadedRowCount: bigint('uploaded_row_count', { mode: 'number' }),
    uploadedCommitment: text('uploaded_commitment'),
    /** English words and Chinese bigrams, for full-text search with the 'simple' configuration. */
    searchText: text('search_text').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('dataset_versions_dataset_version_key').on(t.datasetId, t.version),
    index('dataset_versions_search_idx').using('gin', sql`to_tsvector('simple', ${t.searchText})`),
  ],
);

/** The listing history: every transition with who did it, why, and the automated checks. */
export const listingEvents = pgTable(
  'listing_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionId: uuid('version_id').notNull(),
    action: text('action', { enum: ['create', 'revise', 'submit', 'approve', 'reject', 'suspend', 'reinstate', 'delist'] }).notNull(),
    fromStatus: text('from_status').notNull(),
    toStatus: text('to_status').notNull(),
    actorId: uuid('actor_id').notNull(),
    reason: text('reason'),
    checks: jsonb('checks'),
    createdAt: createdAt(),
  },
  (t) => [index('listing_events_dataset_idx').on(t.datasetId, t.createdAt)],
);

/** The provider's private rows: used by encrypted queries and proofs, never shown in the catalog. */
export const datasetRows = pgTable(
  'dataset_rows',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    rowIndex: integer('row_index').notNull(),
    values: jsonb('values').notNull(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.rowIndex] })],
);

// ---------------------------------------------------------------------------------------------
// Rights registration (确权登记)

/** A rights certificate: who holds the control, use and income rights of a dataset version. */
export const rightsCertificates = pgTable(
  'rights_certificates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: text('number').notNull(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    previousId: uuid('previous_id'),
    kind: text('kind', { enum: ['initial', 'transfer', 're-registration'] }).notNull(),
    status: text('status', { enum: ['current', 'superseded'] }).notNull().default('current'),
    content: jsonb('content').notNull(),
    contentHash: text('content_hash').notNull(),
    issuedBy: uuid('issued_by').notNull(),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('rights_certificates_number_key').on(t.number),
    index('rights_certificates_dataset_idx').on(t.datasetId, t.issuedAt),
    // At most one current certificate per dataset: the chain of title has one head.
    uniqueIndex('rights_certificates_current_key').on(t.datasetId).where(sql`status = 'current'`),
  ],
);

/** The holdings a certificate records, one row per (right, holder), in basis points. */
export const rightsHoldings = pgTable(
  'rights_holdings',
  {
    certificateId: uuid('certificate_id')
      .notNull()
      .references(() => rightsCertificates.id),
    right: text('right', { enum: ['control', 'use', 'income'] }).notNull(),
    holderId: uuid('holder_id')
      .notNull()
      .references(() => participants.id),
    shareBps: integer('share_bps').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.certificateId, t.right, t.holderId] }),
    index('rights_holdings_holder_idx').on(t.holderId),
    check('rights_holdings_share_range', sql`${t.shareBps} > 0 and ${t.shareBps} <= 10000`),
  ],
);

export const certificateNumbers = pgTable('certificate_numbers', {
  year: integer('year').primaryKey(),
  last: integer('last').notNull(),
});

// ---------------------------------------------------------------------------------------------
// Anchoring: records that must be provable on chain, sealed into Merkle batches

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

// ---------------------------------------------------------------------------------------------
// Trading (交易撮合): price plans, orders, trades and licences (使用许可)

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

// ---------------------------------------------------------------------------------------------
// Ledger (账户 · 分类账): double entry in fen

/**
 * An account. Participants have `available` and `escrow`; the exchange has `fees`,
 * `settlement` (clearing in transit) and `gateway` (the bank or e-CNY side of deposits and
 * withdrawals, which goes negative as money comes in). Balances of participants' accounts may
 * never be negative: the database refuses it.
 */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ownerId: uuid('owner_id').references(() => participants.id),
    kind: text('kind', { enum: ['available', 'escrow', 'fees', 'settlement', 'gateway'] }).notNull(),
    balanceFen: bigint('balance_fen', { mode: 'bigint' }).notNull().default(sql`0`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('ledger_accounts_owner_kind_key').on(t.ownerId, t.kind).where(sql`owner_id is not null`),
    uniqueIndex('ledger_accounts_system_kind_key').on(t.kind).where(sql`owner_id is null`),
    check('ledger_accounts_no_overdraft', sql`${t.kind} not in ('available', 'escrow') or ${t.balanceFen} >= 0`),
  ],
);

export const ledgerTransactions = pgTable(
  'ledger_transactions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    /** What the transaction is about, e.g. `order:<id>`, `cycle:<id>`. */
    reference: text('reference').notNull(),
    /** The caller's key for money-moving mutations; the same key twice is the same transaction. */
    idempotencyKey: text('idempotency_key'),
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('ledger_transactions_idempotency_key').on(t.idempotencyKey), index('ledger_transactions_reference_idx').on(t.reference)],
);

/** One leg of a transaction: + increases the account's balance, − decreases it. Legs sum to zero. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    transactionId: uuid('transaction_id')
      .notNull()
      .references(() => ledgerTransactions.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    amountFen: bigint('amount_fen', { mode: 'bigint' }).notNull(),
  },
  (t) => [index('ledger_entries_transaction_idx').on(t.transactionId), index('ledger_entries_account_idx').on(t.accountId)],
);

// ---------------------------------------------------------------------------------------------
// Metering, clearing (清算) and settlement (结算)

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

// ---------------------------------------------------------------------------------------------
// Cross-border (数据跨境): positive list (正面清单) and security assessments (安全评估)

export const positiveListEntries = pgTable(
  'positive_list_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    destination: text('destination').notNull(),
    classification: text('classification').notNull(),
    status: text('status', { enum: ['active', 'removed'] }).notNull().default('active'),
    addedBy: uuid('added_by').notNull(),
    reason: text('reason'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('positive_list_active_key').on(t.destination, t.classification).where(sql`status = 'active'`)],
);

export const securityAssessments = pgTable(
  'security_assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    destination: text('destination').notNull(),
    status: text('status', { enum: ['requested', 'approved', 'rejected', 'revoked'] }).notNull().default('requested'),
    requestedBy: uuid('requested_by').notNull(),
    decidedBy: uuid('decided_by'),
    reason: text('reason'),
    validUntil: timestamp('valid_until', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    decidedAt: timestamp('decided_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('security_assessments_dataset_idx').on(t.datasetId, t.destination)],
);

// ---------------------------------------------------------------------------------------------
// Sealed-bid rounds (竞价) and disputes (争议 · 违约鉴定)

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

// ---------------------------------------------------------------------------------------------
// Encrypted queries (可用不可见) and zero-knowledge compliance proofs (合规证明)

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

/** A buyer's public HE key material (public, relinearisation and Galois keys), uploaded once per key id. */
export const heKeySets = pgTable(
  'he_key_sets',
  {
    /** sha256 of the public key, hex: the sdk computes the same id. */
    keyId: text('key_id').primaryKey(),
    participantId: uuid('participant_id')
      .notNull()
      .references(() => participants.id),
    scheme: text('scheme', { enum: ['bfv', 'ckks'] }).notNull(),
    paramsFingerprint: text('params_fingerprint').notNull(),
    /** The public bundle as the sdk serialised it (JSON of base64 fields). Never a secret key. */
    bundle: bytea('bundle').notNull(),
    bytes: integer('bytes').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('he_key_sets_participant_idx').on(t.participantId)],
);

/**
 * An encrypted query and its job: queued → running → done | failed. A worker (in `npm start`
 * or `npm run worker` on any machine) leases queued rows with FOR UPDATE SKIP LOCKED.
 */
export const encryptedQueries = pgTable(
  'encrypted_queries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id),
    buyerId: uuid('buyer_id').notNull(),
    datasetId: uuid('dataset_id').notNull(),
    versionId: uuid('version_id').notNull(),
    keyId: text('key_id')
      .notNull()
      .references(() => heKeySets.keyId),
    kind: text('kind').notNull(),
    /** Public parameters (columns, group count): never the buyer's selection, which is encrypted. */
    params: jsonb('params').notNull(),
    paramsHash: text('params_hash').notNull(),
    /** The encrypted query as uploaded (JSON of base64 ciphertexts). */
    request: bytea('request').notNull(),
    status: text('status', { enum: ['queued', 'running', 'done', 'failed'] }).notNull().default('queued'),
    result: bytea('result'),
    resultMeta: jsonb('result_meta'),
    errorCode: text('error_code'),
    errorMessage: text('error_message'),
    epsilonMicro: bigint('epsilon_micro', { mode: 'bigint' }),
    attempts: integer('attempts').notNull().default(0),
    leaseUntil: timestamp('lease_until', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'date' }),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [
    index('encrypted_queries_queue_idx').on(t.status, t.createdAt),
    index('encrypted_queries_buyer_idx').on(t.buyerId, t.createdAt),
    index('encrypted_queries_dataset_idx').on(t.datasetId, t.createdAt),
  ],
);

/**
 * ID-set hashing salts the exchange issued, one per licence and query: a salt is spent by the
 * ID-set query that uses it, and a second query with it is refused (a reused salt would let
 * the buyer line up bucket hits, false matches included, across queries).
 */
export const idSetSalts = pgTable(
  'id_set_salts',
  {
    /** 128 random bits, 32 lower-case hex digits (sdk/he/id-set-match.ts). */
    salt: text('salt').primaryKey(),
    licenceId: uuid('licence_id')
      .notNull()
      .references(() => licences.id),
    issuedAt: timestamp('issued_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The query that spent it; null while it is unused. */
    queryId: uuid('query_id'),
  },
  (t) => [index('id_set_salts_licence_idx').on(t.licenceId, t.queryId)],
);

/** A verified zero-knowledge compliance proof about a dataset version, recorded on chain too. */
export const complianceProofs = pgTable(
  'compliance_proofs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    circuit: text('circuit').notNull(),
    /** The decoded public signals (root, rulesHash, chunk index, nonce, …). */
    statement: jsonb('statement').notNull(),
    publicSignals: jsonb('public_signals').notNull(),
    proof: jsonb('proof').notNull(),
    /** sha256 of the proof and public signals: the same proof twice is a replay. */
    proofHash: text('proof_hash').notNull(),
    /**
     * The ComplianceRegistry's key, keccak256(circuit, dataset, version, public signals): one
     * statement once per version (a re-randomised proof of it is a replay too).
     */
    recordHash: text('record_hash').notNull(),
    vkeySha256: text('vkey_sha256').notNull(),
    submittedBy: uuid('submitted_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('compliance_proofs_proof_hash_key').on(t.proofHash),
    uniqueIndex('compliance_proofs_record_hash_key').on(t.recordHash),
    index('compliance_proofs_version_idx').on(t.versionId, t.circuit),
  ],
);

/**
 * 抽样审计: a sampled audit of a dataset version asked for by its reviewer (the operator) or its
 * provider: s samples, proved by one sampled_audit proof per exchange-issued nonce.
 */
export const complianceAuditChallenges = pgTable(
  'compliance_audit_challenges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    datasetId: uuid('dataset_id')
      .notNull()
      .references(() => datasets.id),
    versionId: uuid('version_id')
      .notNull()
      .references(() => datasetVersions.id),
    samples: integer('samples').notNull(),
    requestedBy: uuid('requested_by').notNull(),
    /** Asked for by the reviewer: the reviewer's latest s is what the listing check requires. */
    byReviewer: boolean('by_reviewer').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('compliance_audit_challenges_version_idx').on(t.versionId, t.createdAt)],
);

/** A nonce the exchange issued for a sampled audit (the provider cannot pick its samples); used once. */
export const complianceAuditNonces = pgTable(
  'compliance_audit_nonces',
  {
    /** A random field element, decimal. */
    nonce: text('nonce').primaryKey(),
    challengeId: uuid('challenge_id')
      .notNull()
      .references(() => complianceAuditChallenges.id),
    versionId: uuid('version_id').notNull(),
    position: integer('position').notNull(),
    /** The verified sampled_audit proof that used it. */
    proofId: uuid('proof_id'),
  },
  (t) => [index('compliance_audit_nonces_challenge_idx').on(t.challengeId, t.position)],
);

// ---------------------------------------------------------------------------------------------
// Supervision (监管): the audit log and surveillance alerts

/**
 * Append-only, hash-chained log of security-relevant actions: each entry's hash covers the
 * previous entry's hash, so removing or editing one breaks the chain from there on. Entries
 * are anchored on chain like other records (kind 'audit.entry').
 */
export const auditLog = pgTable(
  'audit_log',
  {
    seq: bigserial('seq', { mode: 'bigint' }).primaryKey(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    actorId: uuid('actor_id'),
    apiKeyId: uuid('api_key_id'),
    action: text('action').notNull(),
    subjectKind: text('subject_kind'),
    subjectId: text('subject_id'),
    details: jsonb('details'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('audit_log_hash_key').on(t.hash),
    index('audit_log_actor_idx').on(t.actorId, t.at),
    index('audit_log_action_idx').on(t.action, t.at),
    index('audit_log_subject_idx').on(t.subjectKind, t.subjectId),
  ],
);

/** 市场风险预警: an alert raised by a surveillance rule, once per fingerprint, acknowledged by a regulator. */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    rule: text('rule').notNull(),
    severity: text('severity', { enum: ['info', 'warning', 'critical'] }).notNull(),
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    /** What makes two raisings the same alert (rule + subject + window). */
    fingerprint: text('fingerprint').notNull(),
    evidence: jsonb('evidence').notNull(),
    status: text('status', { enum: ['open', 'acknowledged'] }).notNull().default('open'),
    acknowledgedBy: uuid('acknowledged_by'),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    note: text('note'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('alerts_fingerprint_key').on(t.fingerprint), index('alerts_status_idx').on(t.status, t.createdAt)],
);
