import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { participants } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { actsAs, type ParticipantStatus, type Viewer } from './roles.ts';
import type { ParticipantRow } from './register-participant.ts';

/** Operators and regulators see every participant; anyone else sees verified ones and itself. */
function canSee(viewer: Viewer | null, p: ParticipantRow): boolean {
  if (actsAs(viewer, 'operator') || actsAs(viewer, 'regulator')) return true;
  return p.status === 'verified' || p.id === viewer?.participantId;
}

export async function getParticipant({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }): Promise<ParticipantRow> {
  requireUuid(id, 'id');
  const [row] = await db.select().from(participants).where(eq(participants.id, id));
  if (!row || !canSee(actor, row)) throw new AppError('NOT_FOUND', { field: 'id' });
  return row;
}

/** Many participants by id in one query, in the order asked, for dataloaders. */
export async function getParticipantsByIds({ db, actor, ids }: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }) {
  const rows = ids.length === 0 ? [] : await db.select().from(participants).where(inArray(participants.id, [...ids]));
  const byId = new Map(rows.filter((r) => canSee(actor, r)).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The operator's and regulator's register, in creation order, keyset-paginated by id. */
export async function listParticipants({
  db,
  actor,
  status,
  after,
  first,
}: {
  db: DbHandle;
  actor: Viewer | null;
  status?: ParticipantStatus;
  after?: string;
  first: number;
}): Promise<ParticipantRow[]> {
  if (!actsAs(actor, 'operator') && !actsAs(actor, 'regulator')) throw new AppError('FORBIDDEN');
  const where: SQL[] = [];
  if (status) where.push(eq(participants.status, status));
  if (after) where.push(gt(participants.id, requireUuid(after, 'after')));
  return db
    .select()
    .from(participants)
    .where(where.length ? and(...where) : undefined)
    .orderBy(asc(participants.id))
    .limit(Math.min(Math.max(first, 1), 200));
}
