import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { apiKeys } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { newApiKeySecret } from './api-key-secret.ts';
import { SCOPES, type Scope, type Viewer } from './roles.ts';

const Input = z.object({
  label: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(SCOPES)).min(1).max(SCOPES.length),
  expiresAt: z.date().optional(),
});

/**
 * Issues another API key for the caller's own organisation, with scopes no wider than its
 * roles (a key for an integration that only reads, say). The token is returned once.
 */
export async function createApiKey({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }) {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const data = parseInput(Input, input);
  const scopes = [...new Set(data.scopes)];
  const beyond = scopes.filter((s) => s !== 'read' && !actor.roles.includes(s));
  if (beyond.length > 0) {
    throw new AppError('SCOPE_NOT_GRANTED', { field: 'scopes', message: `scopes: the participant does not hold ${beyond.join(', ')}` });
  }
  if (data.expiresAt && data.expiresAt <= new Date()) {
    throw new AppError('INVALID_INPUT', { field: 'expiresAt', message: 'expiresAt: must be in the future' });
  }
  const key = newApiKeySecret();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        participantId: actor.participantId,
        prefix: key.prefix,
        secretHash: key.secretHash,
        label: data.label,
        scopes: scopes as Scope[],
        expiresAt: data.expiresAt ?? null,
      })
      .returning();
    await recordAudit(tx, { actor, action: 'apikey.created', subjectKind: 'api-key', subjectId: row!.id, details: { scopes, label: data.label } });
    return { apiKey: row!, token: key.token };
  });
}
