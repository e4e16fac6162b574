// Suspending and reinstating a participant (暂停 / 恢复市场主体资格): a regulator or the operator,
// with a reason. The participant's keys still authenticate, but a suspended participant acts
// in no role (actsAs requires 'verified'); the registry contract marks it inactive through the
// outbox; the action is recorded, anchored and shown to the participant.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { enqueueChainWork } from '../../chain/outbox.ts';
import { REGISTRY_REINSTATE, REGISTRY_SUSPEND, type ParticipantStatusPayload } from '../../chain/registry.ts';
import type { Db } from '../../db/client.ts';
import { participants } from '../../db/schema.ts';
import type { AuditEntryRow } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import type { ParticipantRow } from '../participants/register-participant.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { recordSupervisoryAction } from './supervisory-action.ts';

const Input = z.object({
  participantId: z.uuid(),
  reason: z.string().trim().min(2).max(2000),
});

export interface ParticipantSupervision {
  participant: ParticipantRow;
  action: AuditEntryRow;
}

/** Regulators and the operator supervise; anyone else is refused before anything is read. */
export function assertSupervisor(actor: Viewer | null): asserts actor is Viewer {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'regulator') && !actsAs(actor, 'operator')) throw new AppError('FORBIDDEN');
}

export function suspendParticipant(options: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<ParticipantSupervision> {
  return changeStanding(options, { from: 'verified', to: 'suspended' });
}

export function reinstateParticipant(options: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<ParticipantSupervision> {
  return changeStanding(options, { from: 'suspended', to: 'verified' });
}

async function changeStanding(
  { db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> },
  move: { from: 'verified' | 'suspended'; to: 'verified' | 'suspended' },
): Promise<ParticipantSupervision> {
  assertSupervisor(actor);
  const { participantId, reason } = parseInput(Input, input);
  const suspending = move.to === 'suspended';
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(participants).where(eq(participants.id, participantId)).for('update');
    if (!current) throw new AppError('NOT_FOUND', { field: 'participantId' });
    if (current.id === actor.participantId) throw new AppError('INVALID_STATE', { field: 'participantId', message: 'a supervisor cannot change its own standing' });
    if (current.status !== move.from) {
      throw new AppError('INVALID_STATE', { message: `the participant is ${current.status}; only a ${move.from} participant can be ${suspending ? 'suspended' : 'reinstated'}` });
    }
    const [updated] = await tx.update(participants).set({ status: move.to, statusReason: reason }).where(eq(participants.id, participantId)).returning();
    const action = await recordSupervisoryAction(tx, {
      actor,
      action: suspending ? 'participant.suspended' : 'participant.reinstated',
      subjectKind: 'participant',
      subjectId: participantId,
      details: { reason, affected: [participantId], fromStatus: move.from, toStatus: move.to },
    });
    // One outbox row per action: a later suspension after a reinstatement is a new row.
    const payload: ParticipantStatusPayload = { participantId, account: current.chainAddress };
    await enqueueChainWork(tx, suspending ? REGISTRY_SUSPEND : REGISTRY_REINSTATE, `${participantId}:${action.seq}`, payload);
    return { participant: updated!, action };
  });
}
