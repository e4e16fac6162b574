// The supervisory actions a participant is subject to (its own suspension, its licences
// frozen, its datasets supervised), for that participant; and every action, for supervisors.
import { and, desc, inArray, lt, sql, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { auditLog } from '../../db/schema.ts';
import type { AuditEntryRow } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { SUPERVISORY_ACTIONS } from './supervisory-action.ts';

export async function listSupervisoryActions(options: {
  db: DbHandle;
  actor: Viewer | null;
  /** Whose actions; supervisors may leave it out for all, anyone else sees only its own. */
  participantId?: string;
  /** Actions before this audit-log sequence number (newest first paging). */
  before?: bigint;
  first?: number;
}): Promise<AuditEntryRow[]> {
  const { actor } = options;
  // A suspended participant still sees why: authentication is enough for its own actions.
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const supervisor = actsAs(actor, 'regulator') || actsAs(actor, 'operator');
  const participantId = options.participantId ? requireUuid(options.participantId, 'participantId') : supervisor ? undefined : actor.participantId;
  if (!supervisor && participantId !== actor.participantId) throw new AppError('FORBIDDEN');

  const where: SQL[] = [inArray(auditLog.action, [...SUPERVISORY_ACTIONS])];
  if (participantId) {
    where.push(sql`(
      ${auditLog.details} -> 'affected' @> jsonb_build_array(${participantId}::text)
      or (${auditLog.subjectKind} = 'dataset' and ${auditLog.subjectId} in (select id::text from datasets where provider_id = ${participantId}))
    )`);
  }
  if (options.before !== undefined) where.push(lt(auditLog.seq, options.before));
  return options.db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.seq))
    .limit(Math.min(Math.max(options.first ?? 50, 1), 500));
}
