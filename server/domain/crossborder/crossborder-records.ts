// The records of the cross-border regime (数据跨境): positive-list entries and security
// assessments, the destinations they name, and what each regulator decision anchors on chain.
import { z } from 'zod';
import type { positiveListEntries, securityAssessments } from '../../db/schema.ts';
import { CLASSIFICATIONS } from '../catalog/taxonomy.ts';
import { isMainland } from '../trading/terms.ts';

export type PositiveListEntryRow = typeof positiveListEntries.$inferSelect;
export type SecurityAssessmentRow = typeof securityAssessments.$inferSelect;

export const POSITIVE_LIST_KIND = 'crossborder.positive-list';
export const ASSESSMENT_KIND = 'crossborder.assessment';

/** An approval lasts at most three years (数据出境安全评估办法, as amended in 2024). */
export const MAX_ASSESSMENT_DAYS = 3 * 365;

/** A destination jurisdiction: an ISO 3166-1 alpha-2 country code outside the mainland (HK, MO and TW count as outside). */
export const Destination = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as SG')
  .refine((d) => !isMainland(d), 'the mainland (CN) is not a cross-border destination');

export const Classification = z.string().refine((c) => CLASSIFICATIONS.includes(c), 'not a classification of the taxonomy (e.g. finance.credit)');

/** The anchor record ids of a positive-list entry: its addition, and its removal once removed. */
export function positiveListRecordIds(entry: Pick<PositiveListEntryRow, 'id'>) {
  return { addition: entry.id, removal: `${entry.id}:removed` };
}

export function positiveListDecisionContent(
  entry: PositiveListEntryRow,
  decision: { action: 'add' | 'remove'; actorId: string; reason: string | null; at: Date },
) {
  return {
    entryId: entry.id,
    destination: entry.destination,
    classification: entry.classification,
    action: decision.action,
    actorId: decision.actorId,
    reason: decision.reason,
    at: decision.at.toISOString(),
  };
}

/** The anchor record id of an assessment's latest decision (approved, rejected, revoked), or null while requested. */
export function assessmentDecisionRecordId(row: Pick<SecurityAssessmentRow, 'id' | 'status'>): string | null {
  return row.status === 'requested' ? null : `${row.id}:${row.status}`;
}

export function assessmentDecisionContent(row: SecurityAssessmentRow) {
  return {
    assessmentId: row.id,
    datasetId: row.datasetId,
    destination: row.destination,
    status: row.status,
    requestedBy: row.requestedBy,
    decidedBy: row.decidedBy,
    reason: row.reason,
    validUntil: row.validUntil ? row.validUntil.toISOString() : null,
    at: row.decidedAt!.toISOString(),
  };
}
