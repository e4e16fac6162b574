// Cross-border (数据跨境): positive list (正面清单) and security assessments (安全评估)
import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { datasets } from './catalog.ts';

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
