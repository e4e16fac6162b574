import { and, desc, eq, lt } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { encryptedQueries, heKeySets } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import type { Viewer } from '../participants/roles.ts';
import type { EncryptedQueryRow } from './submit-encrypted-query.ts';

/** A query is its buyer's: nobody else, not the operator, reads its (encrypted) answer. */
export async function getEncryptedQuery({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }): Promise<EncryptedQueryRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requireUuid(id, 'id');
  const [row] = await db.select().from(encryptedQueries).where(eq(encryptedQueries.id, id));
  if (!row || row.buyerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'id' });
  return row;
}

export async function listEncryptedQueries({ db, actor, first, before }: { db: DbHandle; actor: Viewer | null; first: number; before?: Date }) {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return db
    .select()
    .from(encryptedQueries)
    .where(and(eq(encryptedQueries.buyerId, actor.participantId), before ? lt(encryptedQueries.createdAt, before) : undefined))
    .orderBy(desc(encryptedQueries.createdAt))
    .limit(Math.min(Math.max(first, 1), 200));
}

export async function listKeySets({ db, actor }: { db: DbHandle; actor: Viewer | null }) {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return db
    .select({ keyId: heKeySets.keyId, scheme: heKeySets.scheme, bytes: heKeySets.bytes, createdAt: heKeySets.createdAt, revokedAt: heKeySets.revokedAt })
    .from(heKeySets)
    .where(eq(heKeySets.participantId, actor.participantId))
    .orderBy(desc(heKeySets.createdAt));
}
