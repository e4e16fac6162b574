// Rights registration (确权登记)
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { datasetVersions, datasets } from './catalog.ts';
import { participants } from './foundation.ts';

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
