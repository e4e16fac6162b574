// Freezing and unfreezing a licence (冻结 / 解冻使用许可): a regulator or the operator, with a
// reason. A frozen licence allows no query or delivery (useLicence requires 'active'); the
// action is recorded, anchored and shown to the licence's buyer and provider.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { licences } from '../../db/schema.ts';
import type { AuditEntryRow } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import type { Viewer } from '../participants/roles.ts';
import type { LicenceRow } from '../trading/accept-order.ts';
import { assertSupervisor } from './supervise-participant.ts';
import { recordSupervisoryAction } from './supervisory-action.ts';

const Input = z.object({
  licenceId: z.uuid(),
  reason: z.string().trim().min(2).max(2000),
});

export interface LicenceSupervision {
  licence: LicenceRow;
  action: AuditEntryRow;
}

export function freezeLicence(options: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<LicenceSupervision> {
  return changeLicence(options, { from: 'active', to: 'frozen' });
}

export function unfreezeLicence(options: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<LicenceSupervision> {
  return changeLicence(options, { from: 'frozen', to: 'active' });
}

async function changeLicence(
  { db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> },
  move: { from: 'active' | 'frozen'; to: 'active' | 'frozen' },
): Promise<LicenceSupervision> {
  assertSupervisor(actor);
  const { licenceId, reason } = parseInput(Input, input);
  const freezing = move.to === 'frozen';
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(licences).where(eq(licences.id, licenceId)).for('update');
    if (!current) throw new AppError('NOT_FOUND', { field: 'licenceId' });
    if (current.status !== move.from) {
      throw new AppError('INVALID_STATE', { message: `the licence is ${current.status}; only an ${move.from} licence can be ${freezing ? 'frozen' : 'unfrozen'}` });
    }
    const [updated] = await tx
      .update(licences)
      .set({ status: move.to, statusReason: freezing ? reason : null })
      .where(eq(licences.id, licenceId))
      .returning();
    const action = await recordSupervisoryAction(tx, {
      actor,
      action: freezing ? 'licence.frozen' : 'licence.unfrozen',
      subjectKind: 'licence',
      subjectId: licenceId,
      details: { reason, affected: [...new Set([current.buyerId, current.providerId])], fromStatus: move.from, toStatus: move.to, datasetId: current.datasetId },
    });
    return { licence: updated!, action };
  });
}
