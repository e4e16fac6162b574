import { eq } from 'drizzle-orm';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db } from '../../db/client.ts';
import { disputes } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import type { Viewer } from '../participants/roles.ts';
import { DISPUTE_WITHDRAWN_KIND, disputeWithdrawnContent, type DisputeRow } from './dispute-records.ts';
import { canSeeDispute } from './find-disputes.ts';

/** The party that opened a dispute withdraws it while it is open; the withdrawal is anchored. */
export async function withdrawDispute({ db, actor, disputeId }: { db: Db; actor: Viewer | null; disputeId: string }): Promise<DisputeRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requireUuid(disputeId, 'disputeId');
  return db.transaction(async (tx) => {
    const [dispute] = await tx.select().from(disputes).where(eq(disputes.id, disputeId)).for('update');
    if (!dispute || !canSeeDispute(actor, dispute)) throw new AppError('NOT_FOUND', { field: 'disputeId' });
    if (dispute.openedBy !== actor.participantId) throw new AppError('FORBIDDEN', { message: 'only the party that opened a dispute withdraws it' });
    if (dispute.status !== 'open') throw new AppError('INVALID_STATE', { message: `the dispute is already ${dispute.status}` });
    const [withdrawn] = await tx.update(disputes).set({ status: 'withdrawn' }).where(eq(disputes.id, dispute.id)).returning();
    await enqueueAnchor(tx, { kind: DISPUTE_WITHDRAWN_KIND, recordId: withdrawn!.id, content: disputeWithdrawnContent(withdrawn!) });
    return withdrawn!;
  });
}
