import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client.ts';
import { apiKeys, participants } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { isUniqueViolation } from '../unique-violation.ts';
import { newApiKeySecret } from './api-key-secret.ts';
import { derivedChainAddress, validateParticipantInput } from './participant-input.ts';
import { actsAs, SELF_SERVICE_ROLES, type Scope, type Viewer } from './roles.ts';

export type ParticipantRow = typeof participants.$inferSelect;

export interface RegisterParticipantOptions {
  db: Db;
  /** The operator registering someone, or null for an organisation registering itself. */
  actor: Viewer | null;
  input: unknown;
}

/**
 * Registers an organisation as a pending participant and issues its first API key (shown
 * once). Organisations may register themselves as providers or buyers; other roles are
 * appointed by the operator. Nothing trades until the operator verifies the participant.
 */
export async function registerParticipant({ db, actor, input }: RegisterParticipantOptions): Promise<{
  participant: ParticipantRow;
  apiKey: { id: string; token: string; scopes: Scope[] };
}> {
  const valid = validateParticipantInput(input);
  const byOperator = actsAs(actor, 'operator');
  const appointed = valid.roles.filter((r) => !SELF_SERVICE_ROLES.includes(r));
  if (appointed.length > 0 && !byOperator) {
    throw new AppError('FORBIDDEN', {
      field: 'roles',
      message: `roles: ${appointed.join(', ')} can only be appointed by the operator`,
    });
  }
  const id = randomUUID();
  const key = newApiKeySecret();
  const scopes: Scope[] = ['read', ...valid.roles];
  try {
    return await db.transaction(async (tx) => {
      const [participant] = await tx
        .insert(participants)
        .values({
          id,
          name: valid.name,
          jurisdiction: valid.jurisdiction,
          registrationScheme: valid.registrationScheme,
          registrationCode: valid.registrationCode,
          roles: valid.roles,
          chainAddress: valid.chainAddress ?? derivedChainAddress(id),
          contactEmail: valid.contactEmail ?? null,
          controllerCode: valid.controllerCode ?? null,
        })
        .returning();
      const [row] = await tx
        .insert(apiKeys)
        .values({ participantId: id, prefix: key.prefix, secretHash: key.secretHash, label: 'initial key', scopes })
        .returning({ id: apiKeys.id });
      await recordAudit(tx, {
        actor,
        action: 'participant.registered',
        subjectKind: 'participant',
        subjectId: id,
        details: { roles: valid.roles, jurisdiction: valid.jurisdiction, byOperator },
      });
      return { participant: participant!, apiKey: { id: row!.id, token: key.token, scopes } };
    });
  } catch (err) {
    const constraint = isUniqueViolation(err);
    if (constraint === 'participants_registration_key') {
      throw new AppError(valid.registrationScheme === 'uscc' ? 'DUPLICATE_CREDIT_CODE' : 'INVALID_INPUT', {
        field: 'registrationCode',
        message: 'registrationCode: an organisation with this registration code is already registered',
      });
    }
    if (constraint === 'participants_chain_address_key') {
      throw new AppError('DUPLICATE_CHAIN_ADDRESS', { field: 'chainAddress' });
    }
    throw err;
  }
}
