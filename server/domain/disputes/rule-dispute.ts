import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { Db } from '../../db/client.ts';
import { disputes, licences, trades } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { DISPUTE_RULING_KIND, disputeRulingContent, REMEDIES, type DisputeRow } from './dispute-records.ts';
import { canSeeDispute } from './find-disputes.ts';

/** 100 million yuan in fen: a sanity bound on a penalty, not a legal limit. */
const MAX_PENALTY_FEN = 10_000_000_000n;

const Input = z.object({
  disputeId: z.string(),
  breach: z.boolean(),
  remedy: z.enum(REMEDIES),
  remedyFen: z.bigint().optional(),
  ruling: z.string().trim().min(2).max(10_000),
});

/**
 * 违约鉴定: an arbiter who is not a party rules on an open dispute — breach or no breach, and a
 * remedy. No breach means no remedy. Money remedies are owed by a provider found in breach to
 * its buyer — a refund (at most the trade's amount) or a penalty (违约金) — and are left for
 * the next clearing cycle to post; a buyer found in breach loses its licence (revocation takes
 * effect at once). The ruling is anchored with the hash of the evidence it was made on.
 */
export async function ruleDispute({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<DisputeRow> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'arbiter')) throw new AppError('FORBIDDEN');
  const { disputeId, breach, remedy, remedyFen, ruling } = parseInput(Input, input);
  requireUuid(disputeId, 'disputeId');
  if (!breach && remedy !== 'none') throw new AppError('INVALID_INPUT', { field: 'remedy', message: 'remedy: without a breach there is no remedy' });
  const moneyRemedy = remedy === 'refund' || remedy === 'penalty';
  if (!moneyRemedy && remedyFen !== undefined && remedyFen !== 0n) {
    throw new AppError('INVALID_INPUT', { field: 'remedyFen', message: `remedyFen: a ${remedy.replace('_', ' ')} remedy moves no money` });
  }
  if (moneyRemedy && (remedyFen === undefined || remedyFen <= 0n)) {
    throw new AppError('INVALID_INPUT', { field: 'remedyFen', message: `remedyFen: a ${remedy} needs a positive amount` });
  }
  if (remedy === 'penalty' && remedyFen! > MAX_PENALTY_FEN) throw new AppError('INVALID_INPUT', { field: 'remedyFen', message: 'remedyFen: out of range' });

  return db.transaction(async (tx) => {
    const [dispute] = await tx.select().from(disputes).where(eq(disputes.id, disputeId)).for('update');
    if (!dispute || !canSeeDispute(actor, dispute)) throw new AppError('NOT_FOUND', { field: 'disputeId' });
    if (dispute.status !== 'open') throw new AppError('INVALID_STATE', { message: `the dispute is already ${dispute.status}` });
    const [trade] = await tx.select().from(trades).where(eq(trades.id, dispute.tradeId));
    if (trade!.buyerId === actor.participantId || trade!.providerId === actor.participantId) {
      throw new AppError('FORBIDDEN', { message: 'an arbiter cannot rule on a trade it is a party to' });
    }
    if (moneyRemedy && dispute.respondentId !== trade!.providerId) {
      throw new AppError('INVALID_INPUT', { field: 'remedy', message: `remedy: a ${remedy} is owed by the provider to the buyer, and this dispute is against the buyer` });
    }
    if (remedy === 'refund') {
      if (remedyFen! > trade!.amountFen) {
        throw new AppError('INVALID_INPUT', { field: 'remedyFen', message: `remedyFen: a refund is at most the trade's amount (${trade!.amountFen} fen)` });
      }
    }
    const now = new Date();
    if (remedy === 'licence_revocation') {
      await tx
        .update(licences)
        .set({ status: 'revoked', statusReason: `revoked by the ruling on dispute ${dispute.id}` })
        .where(eq(licences.tradeId, trade!.id));
    }
    const [ruled] = await tx
      .update(disputes)
      .set({ status: 'ruled', arbiterId: actor.participantId, breach, remedy, remedyFen: moneyRemedy ? remedyFen! : null, ruling, ruledAt: now })
      .where(eq(disputes.id, dispute.id))
      .returning();
    await enqueueAnchor(tx, { kind: DISPUTE_RULING_KIND, recordId: ruled!.id, content: disputeRulingContent(ruled!) });
    return ruled!;
  });
}
