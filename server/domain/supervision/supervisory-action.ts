// 监管措施: a supervisory action (a participant suspended or reinstated, a licence frozen or
// unfrozen, a listing supervised) is an entry of the audit log naming the parties it affects,
// and is anchored on its own as a 'supervision.action' record, so the affected party can prove
// what was done to it, by whom, when and why.
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Tx } from '../../db/client.ts';
import { recordAudit, type AuditEntryRow } from '../audit/audit-log.ts';
import type { Viewer } from '../participants/roles.ts';

export const SUPERVISION_ACTION_KIND = 'supervision.action';

/** Audit actions that are supervisory actions (and visible to the parties they affect). */
export const SUPERVISORY_ACTIONS = ['participant.suspended', 'participant.reinstated', 'licence.frozen', 'licence.unfrozen', 'listing.supervised'] as const;
export type SupervisoryActionName = (typeof SUPERVISORY_ACTIONS)[number];

export interface SupervisoryActionDetails {
  reason: string;
  /** The participants the action affects: they see it in `supervisoryActions`. */
  affected: string[];
  fromStatus: string;
  toStatus: string;
  [more: string]: unknown;
}

/** The anchor record id of a supervisory action: its audit-log sequence number. */
export function supervisionRecordId(entry: Pick<AuditEntryRow, 'seq'>): string {
  return entry.seq.toString();
}

/** What a supervisory action's anchor commits to; rebuilt from its audit-log row. */
export function supervisoryActionContent(entry: AuditEntryRow) {
  return {
    entrySeq: entry.seq,
    entryHash: entry.hash,
    action: entry.action,
    subjectKind: entry.subjectKind,
    subjectId: entry.subjectId,
    actorId: entry.actorId,
    details: entry.details,
    at: entry.at.toISOString(),
  };
}

/** Records the action in the audit log and anchors it, in the caller's transaction. */
export async function recordSupervisoryAction(
  tx: Tx,
  options: { actor: Viewer; action: SupervisoryActionName; subjectKind: string; subjectId: string; details: SupervisoryActionDetails },
): Promise<AuditEntryRow> {
  const entry = await recordAudit(tx, {
    actor: options.actor,
    action: options.action,
    subjectKind: options.subjectKind,
    subjectId: options.subjectId,
    details: options.details,
  });
  await enqueueAnchor(tx, { kind: SUPERVISION_ACTION_KIND, recordId: supervisionRecordId(entry), content: supervisoryActionContent(entry) });
  return entry;
}
