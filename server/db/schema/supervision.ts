// Supervision (监管): the audit log and surveillance alerts
import { bigserial, index, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';

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
