// The exchange's relational schema. drizzle-kit generates migrations/ from this file
// (`npm run db:generate`); the server applies them at start on PGlite and PostgreSQL alike.
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
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
    status: text('status', { enum: ['sent', 'mined', 'reverted'] }).notNull().default('sent'),
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
