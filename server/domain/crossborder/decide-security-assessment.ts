import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db } from '../../db/client.ts';
import { securityAssessments } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { ASSESSMENT_KIND, assessmentDecisionContent, assessmentDecisionRecordId, MAX_ASSESSMENT_DAYS, type SecurityAssessmentRow } from './crossborder-records.ts';

const DAY_MS = 86_400_000;

const Input = z
  .object({
    assessmentId: z.string(),
    approve: z.boolean(),
    /** Until when an approval holds; required to approve. */
    validUntil: z.date().optional(),
    /** Why; required to reject. */
    reason: z.string().trim().max(2000).optional(),
  })
  .superRefine((d, ctx) => {
    if (d.approve && !d.validUntil) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'an approval needs a validUntil' });
    if (!d.approve && d.validUntil) ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'a rejection has no validUntil' });
    if (!d.approve && (d.reason ?? '').length < 2) ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a rejection needs a reason' });
  });

/**
 * The regulator's decision on a requested assessment: approve until a date (in the future, at
 * most three years away), or reject with a reason. Anchored either way.
 */
export async function decideSecurityAssessment({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<SecurityAssessmentRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'regulator')) throw new AppError('FORBIDDEN');
  const decision = parseInput(Input, input);
  const now = new Date();
  if (decision.approve && decision.validUntil) {
    if (decision.validUntil <= now) throw new AppError('INVALID_INPUT', { field: 'validUntil', message: 'validUntil: an approval must end in the future' });
    if (decision.validUntil.getTime() > now.getTime() + MAX_ASSESSMENT_DAYS * DAY_MS) {
      throw new AppError('INVALID_INPUT', { field: 'validUntil', message: `validUntil: an approval lasts at most ${MAX_ASSESSMENT_DAYS} days` });
    }
  }
  requireUuid(decision.assessmentId, 'assessmentId');
  return db.transaction(async (tx) => {
    const [assessment] = await tx.select().from(securityAssessments).where(eq(securityAssessments.id, decision.assessmentId)).for('update');
    if (!assessment) throw new AppError('NOT_FOUND', { field: 'assessmentId' });
    if (assessment.status !== 'requested') throw new AppError('INVALID_STATE', { message: `the assessment is already ${assessment.status}` });
    const [decided] = await tx
      .update(securityAssessments)
      .set({
        status: decision.approve ? 'approved' : 'rejected',
        decidedBy: actor.participantId,
        decidedAt: now,
        reason: decision.reason || null,
        validUntil: decision.approve ? decision.validUntil! : null,
      })
      .where(eq(securityAssessments.id, assessment.id))
      .returning();
    await enqueueAnchor(tx, { kind: ASSESSMENT_KIND, recordId: assessmentDecisionRecordId(decided!)!, content: assessmentDecisionContent(decided!) });
    return decided!;
  });
}
