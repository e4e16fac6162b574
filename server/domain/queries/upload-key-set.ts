import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { heKeySets } from '../../db/schema.ts';
import { heReadiness } from '../../privacy/he/context.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';

/** Galois keys for thousands of groups are large; nothing legitimate is larger than this. */
export const MAX_KEY_BUNDLE_BYTES = 48 * 1024 * 1024;

const b64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');
/** Exactly the public fields: anything else (a secret key above all) is refused. */
const Bundle = z.strictObject({
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  scheme: z.enum(['bfv', 'ckks']),
  paramsFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  publicKey: b64,
  relinKeys: b64,
  galoisKeys: b64,
  keysDigest: z.string().regex(/^[0-9a-f]{64}$/),
});

export type KeySetRow = typeof heKeySets.$inferSelect;

/**
 * A buyer uploads the public half of an HE key set once; queries then name it by key id.
 * The key id must be the hash of the public key and the parameters the exchange's own.
 */
export async function uploadKeySet({ db, actor, bundle }: { db: Db; actor: Viewer | null; bundle: string }): Promise<KeySetRow> {
  if (!actsAs(actor, 'buyer')) throw new AppError('FORBIDDEN');
  if (bundle.length > MAX_KEY_BUNDLE_BYTES) throw new AppError('INVALID_INPUT', { field: 'bundle', message: `bundle: larger than ${MAX_KEY_BUNDLE_BYTES / 2 ** 20} MiB` });
  let json: unknown;
  try {
    json = JSON.parse(bundle);
  } catch {
    throw new AppError('INVALID_INPUT', { field: 'bundle', message: 'bundle: not JSON' });
  }
  const keys = parseInput(Bundle, json);
  const readiness = await heReadiness();
  const params = readiness.schemes.find((s) => s.scheme === keys.scheme);
  if (!params || params.paramsFingerprint !== keys.paramsFingerprint) {
    throw new AppError('INVALID_INPUT', { field: 'bundle.paramsFingerprint', message: 'the key set was made for other encryption parameters' });
  }
  const keyId = createHash('sha256').update(Buffer.from(keys.publicKey, 'base64')).digest('hex');
  if (keyId !== keys.keyId) throw new AppError('INVALID_INPUT', { field: 'bundle.keyId', message: 'bundle.keyId: not the hash of the public key' });
  const bytes = new TextEncoder().encode(JSON.stringify(keys));
  return db.transaction(async (tx) => {
    const [existing] = await tx.select().from(heKeySets).where(eq(heKeySets.keyId, keyId));
    if (existing) {
      if (existing.participantId !== actor!.participantId) throw new AppError('INVALID_INPUT', { field: 'bundle.keyId', message: 'this key set belongs to another participant' });
      return existing;
    }
    const [row] = await tx
      .insert(heKeySets)
      .values({ keyId, participantId: actor!.participantId, scheme: keys.scheme, paramsFingerprint: keys.paramsFingerprint, bundle: bytes, bytes: bytes.length })
      .returning();
    return row!;
  });
}
