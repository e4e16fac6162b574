import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiKeys } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { actsAs, type Viewer } from './roles.ts';

/** Revokes a key of the caller's own organisation (the operator may revoke any key). */
export async function revokeApiKey({ db, actor, apiKeyId }: { db: Db; actor: Viewer | null; apiKeyId: string }) {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requireUuid(apiKeyId, 'apiKeyId');
  const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, apiKeyId));
  if (!key || (key.participantId !== actor.participantId && !actsAs(actor, 'operator'))) {
    throw new AppError('NOT_FOUND', { field: 'apiKeyId' });
  }
  if (key.revokedAt) throw new AppError('INVALID_STATE', { message: 'the key is already revoked' });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, apiKeyId), isNull(apiKeys.revokedAt)))
      .returning();
    if (!row) throw new AppError('INVALID_STATE', { message: 'the key is already revoked' });
    await recordAudit(tx, { actor, action: 'apikey.revoked', subjectKind: 'api-key', subjectId: row.id, details: { owner: row.participantId } });
    return row;
  });
}
