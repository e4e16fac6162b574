import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { AnchorRegistry } from '../../chain/anchoring/anchor-registry.ts';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db } from '../../db/client.ts';
import { disputes, trades } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import type { Viewer } from '../participants/roles.ts';
import { DISPUTE_OPENED_KIND, disputeOpenedContent, type DisputeRow } from './dispute-records.ts';
import { assembleEvidence } from './evidence-bundle.ts';
import { partyOf } from './find-disputes.ts';

const Input = z.object({
  tradeId: z.string(),
  claim: z.string().trim().min(2).max(5000),
});

/**
 * Either party of a trade opens a dispute against the other with a claim. The exchange
 * assembles the evidence bundle from its records at once; the opening is anchored. A party
 * has at most one open dispute per trade.
 */
export async function openDispute({
  db,
  anchorRegistry,
  actor,
  input,
}: {
  db: Db;
  anchorRegistry: AnchorRegistry;
  actor: Viewer | null;
  input: z.input<typeof Input>;
}): Promise<DisputeRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  const { tradeId, claim } = parseInput(Input, input);
  requireUuid(tradeId, 'tradeId');
  return db.transaction(async (tx) => {
    // The trade's row lock serialises a party's openings, so it cannot open the same dispute twice.
    const [trade] = await tx.select().from(trades).where(eq(trades.id, tradeId)).for('update');
    const side = trade ? partyOf(actor, trade) : null;
    if (!trade || !side) throw new AppError('NOT_FOUND', { field: 'tradeId' });
    const [open] = await tx
      .select({ id: disputes.id })
      .from(disputes)
      .where(and(eq(disputes.tradeId, trade.id), eq(disputes.openedBy, actor.participantId), eq(disputes.status, 'open')));
    if (open) throw new AppError('INVALID_STATE', { field: 'tradeId', message: 'you already have an open dispute on this trade' });
    const evidence = await assembleEvidence(tx, anchorRegistry, trade);
    const [dispute] = await tx
      .insert(disputes)
      .values({
        tradeId: trade.id,
        openedBy: actor.participantId,
        respondentId: side === 'buyer' ? trade.providerId : trade.buyerId,
        claim,
        evidence,
        createdAt: new Date(evidence.assembledAt),
      })
      .returning();
    await enqueueAnchor(tx, { kind: DISPUTE_OPENED_KIND, recordId: dispute!.id, content: disputeOpenedContent(dispute!) });
    return dispute!;
  });
}
