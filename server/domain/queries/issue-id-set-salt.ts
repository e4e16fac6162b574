// The hashing salt of a private ID-set match comes from the exchange, one per licence and query.
// A buyer choosing its own salt could reuse one and line up which buckets — false matches
// included — two queries hit, undoing the fresh draw that hides single rows; so the exchange
// issues every salt, and an ID-set query spends the salt it names, once.
import { randomBytes } from 'node:crypto';
import { and, count, eq, gt, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.ts';
import { idSetSalts, licences } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';

/** An unused salt expires after a day: queries are built in minutes, and stale salts pile up. */
export const ID_SET_SALT_TTL_MS = 86_400_000;
/** Unused, unexpired salts one licence may hold at once: enough for a batch of queries, not a hoard. */
export const MAX_OUTSTANDING_SALTS = 16;

export type IdSetSaltRow = typeof idSetSalts.$inferSelect;

/** Issues a fresh 128-bit salt for one ID-set query under the caller's licence. */
export async function issueIdSetSalt({ db, actor, licenceId }: { db: Db; actor: Viewer | null; licenceId: string }): Promise<IdSetSaltRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'buyer')) throw new AppError('FORBIDDEN');
  requireUuid(licenceId, 'licenceId');
  return db.transaction(async (tx) => {
    // Locking the licence serialises issuance, so the outstanding cap holds under concurrency.
    const [licence] = await tx.select().from(licences).where(eq(licences.id, licenceId)).for('update');
    if (!licence || licence.buyerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'licenceId' });
    const now = new Date();
    if (licence.status !== 'active' || now < licence.validFrom || now >= licence.validUntil) {
      throw new AppError('LICENCE_TERMS', { field: 'licenceId', message: 'the licence is not in force' });
    }
    const [outstanding] = await tx
      .select({ n: count() })
      .from(idSetSalts)
      .where(and(eq(idSetSalts.licenceId, licenceId), isNull(idSetSalts.queryId), gt(idSetSalts.expiresAt, now)));
    if (Number(outstanding!.n) >= MAX_OUTSTANDING_SALTS) {
      throw new AppError('LIMIT_REACHED', { field: 'licenceId', message: `the licence already holds ${MAX_OUTSTANDING_SALTS} unused salts; use or let them expire` });
    }
    const [row] = await tx
      .insert(idSetSalts)
      .values({ salt: randomBytes(16).toString('hex'), licenceId, issuedAt: now, expiresAt: new Date(now.getTime() + ID_SET_SALT_TTL_MS) })
      .returning();
    return row!;
  });
}

/**
 * Spends the salt an ID-set query names, in the submitting transaction: it must be one the
 * exchange issued for this licence, unexpired, and not spent by an earlier query.
 */
export async function spendIdSetSalt(tx: Tx, { licenceId, salt, queryId }: { licenceId: string; salt: unknown; queryId: string }): Promise<void> {
  const field = 'query.salt';
  if (typeof salt !== 'string') throw new AppError('INVALID_INPUT', { field, message: 'query.salt: ask the exchange for one (issueIdSetSalt)' });
  const [issued] = await tx.select().from(idSetSalts).where(eq(idSetSalts.salt, salt)).for('update');
  if (!issued || issued.licenceId !== licenceId) {
    throw new AppError('INVALID_INPUT', { field, message: 'query.salt: not a salt the exchange issued for this licence (issueIdSetSalt)' });
  }
  if (issued.queryId !== null) throw new AppError('SALT_REUSED', { field, details: { queryId: issued.queryId } });
  if (issued.expiresAt <= new Date()) throw new AppError('INVALID_INPUT', { field, message: 'query.salt: expired; ask for a fresh one' });
  await tx.update(idSetSalts).set({ queryId }).where(eq(idSetSalts.salt, salt));
}
