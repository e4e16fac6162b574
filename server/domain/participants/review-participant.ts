import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { enqueueChainWork } from '../../chain/outbox.ts';
import type { RegisterParticipantPayload } from '../../chain/registry.ts';
import type { Db } from '../../db/client.ts';
import { participants } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { profileHash } from './participant-input.ts';
import { actsAs, type Viewer } from './roles.ts';
import type { ParticipantRow } from './register-participant.ts';

export const REGISTRY_REGISTER = 'registry.register';

const Decision = z.object({
  participantId: z.uuid(),
  approve: z.boolean(),
  reason: z.string().trim().max(2000).optional(),
});

export interface ReviewParticipantOptions {
  db: Db;
  actor: Viewer | null;
  input: z.input<typeof Decision>;
}

/**
 * The operator's identity review. Approval marks the participant verified and, in the same
 * database transaction, queues its admission to the on-chain registry. A rejection needs a reason.
 */
export async function reviewParticipant({ db, actor, input }: ReviewParticipantOptions): Promise<ParticipantRow> {
  if (!actsAs(actor, 'operator')) throw new AppError('FORBIDDEN');
  const { participantId, approve, reason } = parseInput(Decision, input);
  if (!approve && !reason) throw new AppError('INVALID_INPUT', { field: 'reason', message: 'reason: a rejection needs a reason' });

  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(participants).where(eq(participants.id, participantId)).for('update');
    if (!current) throw new AppError('NOT_FOUND', { field: 'participantId' });
    if (current.status !== 'pending') {
      throw new AppError('INVALID_STATE', { message: `participant is ${current.status}, only a pending participant can be reviewed` });
    }
    const [updated] = await tx
      .update(participants)
      .set(
        approve
          ? { status: 'verified', verifiedAt: new Date(), verifiedBy: actor!.participantId, statusReason: reason ?? null }
          : { status: 'rejected', statusReason: reason! },
      )
      .where(eq(participants.id, participantId))
      .returning();
    await recordAudit(tx, { actor, action: 'participant.reviewed', subjectKind: 'participant', subjectId: participantId, details: { approve, reason: reason ?? null } });
    if (approve) {
      const payload: RegisterParticipantPayload = {
        participantId,
        account: current.chainAddress,
        profileHash: profileHash(current),
        roles: current.roles as RegisterParticipantPayload['roles'],
      };
      await enqueueChainWork(tx, REGISTRY_REGISTER, participantId, payload);
    }
    return updated!;
  });
}
