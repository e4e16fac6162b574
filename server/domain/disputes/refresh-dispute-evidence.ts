import { eq } from 'drizzle-orm';
import type { AnchorRegistry } from '../../chain/anchoring/anchor-registry.ts';
import type { Db } from '../../db/client.ts';
import { disputes, trades } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { DisputeRow } from './dispute-records.ts';
import { assembleEvidence } from './evidence-bundle.ts';
import { canSeeDispute, partyOf } from './find-disputes.ts';

/**
 * Re-assembles an open dispute's evidence from the records as they are now (more usage,
 * proofs that have since been anchored). A party or an arbiter asks; a closed dispute's
 * evidence is what it was ruled or withdrawn on, and stays.
 */
export async function refreshDisputeEvidence({
  db,
  anchorRegistry,
  actor,
  disputeId,
}: {
  db: Db;
  anchorRegistry: AnchorRegistry;
  actor: Viewer | null;
  disputeId: string;
}): Promise<DisputeRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requireUuid(disputeId, 'disputeId');
  return db.transaction(async (tx) => {
    const [dispute] = await tx.select().from(disputes).where(eq(disputes.id, disputeId)).for('update');
    const [trade] = dispute ? await tx.select().from(trades).where(eq(trades.id, dispute.tradeId)) : [];
    if (!dispute || !trade || !canSeeDispute(actor, dispute)) throw new AppError('NOT_FOUND', { field: 'disputeId' });
    if (!(partyOf(actor, trade) || actsAs(actor, 'arbiter'))) throw new AppError('FORBIDDEN');
    if (dispute.status !== 'open') throw new AppError('INVALID_STATE', { message: `the dispute is ${dispute.status}; its evidence is final` });
    const evidence = await assembleEvidence(tx, anchorRegistry, trade);
    const [row] = await tx.update(disputes).set({ evidence }).where(eq(disputes.id, dispute.id)).returning();
    return row!;
  });
}
