// Catalog (数据产品), listing review (挂牌 · 合规审查) and the provider's private row store
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { participants } from './foundation.ts';

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
