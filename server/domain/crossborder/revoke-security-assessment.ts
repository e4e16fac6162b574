import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db } from '../../db/client.ts';
import { securityAssessments } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { ASSESSMENT_KIND, assessmentDecisionContent, assessmentDecisionRecordId, type SecurityAssessmentRow } from './crossborder-records.ts';

const Input = z.object({
  assessmentId: z.string(),
  reason: z.string().trim().min(2).max(2000),
});

/**
 * The regulator withdraws an approval, with a reason; anchored. Orders and bids relying on it
 * are refused from now on. The row keeps the revocation as its latest decision.
 */
export async function revokeSecurityAssessment({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<SecurityAssessmentRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'regulator')) throw new AppError('FORBIDDEN');
  const { assessmentId, reason } = parseInput(Input, input);
  requireUuid(assessmentId, 'assessmentId');
  return db.transaction(async (tx) => {
    const [assessment] = await tx.select().from(securityAssessments).where(eq(securityAssessments.id, assessmentId)).for('update');
    if (!assessment) throw new AppError('NOT_FOUND', { field: 'assessmentId' });
    if (assessment.status !== 'approved') throw new AppError('INVALID_STATE', { message: `only an approved assessment can be revoked; this one is ${assessment.status}` });
    const [revoked] = await tx
      .update(securityAssessments)
      .set({ status: 'revoked', decidedBy: actor.participantId, decidedAt: new Date(), reason })
      .where(eq(securityAssessments.id, assessment.id))
      .returning();
    await enqueueAnchor(tx, { kind: ASSESSMENT_KIND, recordId: assessmentDecisionRecordId(revoked!)!, content: assessmentDecisionContent(revoked!) });
    return revoked!;
  });
}
