import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { apiKeys, participants } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseApiKey, secretMatches } from './api-key-secret.ts';
import type { ParticipantStatus, Role, Scope, Viewer } from './roles.ts';

/** Last-used times are written at most this often per key, not on every request. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Turns a bearer token into the viewer behind it. A malformed, unknown, revoked or expired
 * key, or one of a rejected participant, is UNAUTHENTICATED: the caller learns nothing more.
 */
export async function authenticateApiKey({ db, token, recordUse = true }: { db: Db; token: string; /** False on a read-only replica (the regulator's node), which writes nothing. */ recordUse?: boolean }): Promise<Viewer> {
  const parsed = parseApiKey(token);
  if (!parsed) throw new AppError('UNAUTHENTICATED', { message: 'the API key is malformed' });
  const [row] = await db
    .select({ key: apiKeys, participant: participants })
    .from(apiKeys)
    .innerJoin(participants, eq(apiKeys.participantId, participants.id))
    .where(eq(apiKeys.prefix, parsed.prefix));
  const now = new Date();
  if (
    !row ||
    !secretMatches(parsed.secret, row.key.secretHash) ||
    row.key.revokedAt !== null ||
    (row.key.expiresAt !== null && row.key.expiresAt <= now) ||
    row.participant.status === 'rejected'
  ) {
    throw new AppError('UNAUTHENTICATED', { message: 'the API key is unknown, revoked or expired' });
  }
  if (recordUse && (!row.key.lastUsedAt || now.getTime() - row.key.lastUsedAt.getTime() > TOUCH_EVERY_MS)) {
    // A sign-in by key, recorded at most once a minute per key.
    await db.transaction(async (tx) => {
      await tx.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.key.id));
      await recordAudit(tx, { actor: { participantId: row.participant.id, apiKeyId: row.key.id }, action: 'auth.key-used', subjectKind: 'api-key', subjectId: row.key.id });
    });
  }
  return {
    participantId: row.participant.id,
    participantStatus: row.participant.status as ParticipantStatus,
    roles: row.participant.roles as Role[],
    apiKeyId: row.key.id,
    scopes: row.key.scopes as Scope[],
  };
}
