// A regulator acknowledges an alert with a note: it leaves the open list, and the
// acknowledgement is recorded in the audit log.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { alerts } from '../../db/schema.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { AppError } from '../errors.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { AlertRow } from './alert.ts';

const Input = z.object({
  alertId: z.uuid(),
  note: z.string().trim().min(2).max(2000),
});

export async function acknowledgeAlert({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<AlertRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'regulator')) throw new AppError('FORBIDDEN');
  const { alertId, note } = parseInput(Input, input);
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(alerts).where(eq(alerts.id, alertId)).for('update');
    if (!current) throw new AppError('NOT_FOUND', { field: 'alertId' });
    if (current.status !== 'open') throw new AppError('INVALID_STATE', { message: 'the alert is already acknowledged' });
    const [row] = await tx
      .update(alerts)
      .set({ status: 'acknowledged', acknowledgedBy: actor.participantId, acknowledgedAt: new Date(), note })
      .where(and(eq(alerts.id, alertId), eq(alerts.status, 'open')))
      .returning();
    await recordAudit(tx, { actor, action: 'alert.acknowledged', subjectKind: 'alert', subjectId: alertId, details: { rule: current.rule, note } });
    return row!;
  });
}
