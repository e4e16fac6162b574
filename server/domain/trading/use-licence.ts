// Every use of a licence is machine-checked against its terms and metered: the usage record
// (priced by the plan, paid into escrow at once) is what the clearing cycle settles.
import { and, count, eq, gt } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { datasets, licences, participants, trades, usageRecords } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { participantAccount } from '../ledger/accounts.ts';
import { postTransaction } from '../ledger/post-transaction.ts';
import type { Viewer } from '../participants/roles.ts';
import type { LicenceRow } from './accept-order.ts';
import { inTerritories } from './terms.ts';

export type UsageRow = typeof usageRecords.$inferSelect;

/** Uses of one licence per minute, whatever its quota: a brake on bursts. */
export const LICENCE_RATE_PER_MINUTE = 120;
const DAY_MS = 86_400_000;

export interface LicenceUse {
  licenceId: string;
  /** An encrypted query, or a delivery of the rows. */
  use: 'query' | 'delivery';
  /** What is being metered, unique per use (e.g. `query:<id>`). */
  usageRef: string;
  /** The query kind or delivery format, for statistics. */
  kind: string;
  /** Differential-privacy budget this use spends, in millionths of ε. */
  epsilonMicro?: bigint;
}

/**
 * Checks the caller may use the licence this way now, spends quota and ε, and meters the use
 * (paying a per-query price into escrow). Runs in the caller's transaction, so a use that fails
 * later leaves nothing behind.
 */
export async function useLicence(tx: Tx, actor: Viewer | null, use: LicenceUse): Promise<{ licence: LicenceRow; usage: UsageRow }> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  requireUuid(use.licenceId, 'licenceId');
  const [licence] = await tx.select().from(licences).where(eq(licences.id, use.licenceId)).for('update');
  if (!licence || licence.buyerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'licenceId' });
  const now = new Date();
  const refuse = (message: string, code: 'LICENCE_TERMS' | 'LIMIT_REACHED' = 'LICENCE_TERMS') => {
    throw new AppError(code, { field: 'licenceId', message });
  };
  if (licence.status !== 'active') refuse(`the licence is ${licence.status}${licence.statusReason ? `: ${licence.statusReason}` : ''}`);
  if (now < licence.validFrom || now >= licence.validUntil) refuse('the licence is outside its term');
  if (use.use === 'delivery' && licence.access !== 'delivery') refuse('the licence is for encrypted queries only (可用不可见)');
  const [buyer] = await tx.select({ jurisdiction: participants.jurisdiction, status: participants.status }).from(participants).where(eq(participants.id, actor.participantId));
  if (buyer!.status !== 'verified') refuse(`the licensee is ${buyer!.status}`);
  if (!inTerritories(buyer!.jurisdiction, licence.territories)) refuse(`the licence covers ${licence.territories.join(', ')}, not ${buyer!.jurisdiction}`);
  const [dataset] = await tx.select({ status: datasets.status }).from(datasets).where(eq(datasets.id, licence.datasetId));
  if (dataset!.status !== 'listed') refuse(`the dataset is ${dataset!.status}`);

  let { queriesUsed, periodStartedAt } = licence;
  if (licence.periodDays && periodStartedAt && now.getTime() - periodStartedAt.getTime() >= licence.periodDays * DAY_MS) {
    const periods = Math.floor((now.getTime() - periodStartedAt.getTime()) / (licence.periodDays * DAY_MS));
    periodStartedAt = new Date(periodStartedAt.getTime() + periods * licence.periodDays * DAY_MS);
    queriesUsed = 0;
  }
  if (licence.queryQuota !== null && queriesUsed >= licence.queryQuota) refuse(`the licence's quota of ${licence.queryQuota} uses is spent`, 'LIMIT_REACHED');
  const epsilon = use.epsilonMicro ?? 0n;
  if (epsilon > 0n && licence.epsilonBudgetMicro !== null && licence.epsilonUsedMicro + epsilon > licence.epsilonBudgetMicro) {
    refuse('the licence has not enough privacy budget (ε) left', 'LIMIT_REACHED');
  }
  const [recent] = await tx
    .select({ n: count() })
    .from(usageRecords)
    .where(and(eq(usageRecords.licenceId, licence.id), gt(usageRecords.createdAt, new Date(now.getTime() - 60_000))));
  if (Number(recent!.n) >= LICENCE_RATE_PER_MINUTE) refuse(`more than ${LICENCE_RATE_PER_MINUTE} uses in a minute`, 'LIMIT_REACHED');

  const [updated] = await tx
    .update(licences)
    .set({ queriesUsed: queriesUsed + 1, periodStartedAt, epsilonUsedMicro: licence.epsilonUsedMicro + epsilon })
    .where(eq(licences.id, licence.id))
    .returning();
  const [trade] = await tx.select({ certificateId: trades.certificateId }).from(trades).where(eq(trades.id, licence.tradeId));
  const [usage] = await tx
    .insert(usageRecords)
    .values({
      licenceId: licence.id,
      buyerId: licence.buyerId,
      providerId: licence.providerId,
      datasetId: licence.datasetId,
      certificateId: trade!.certificateId,
      usageRef: use.usageRef,
      kind: use.kind,
      amountFen: licence.perQueryFen,
      createdAt: now,
    })
    .returning();
  if (licence.perQueryFen > 0n) {
    await postTransaction(tx, {
      kind: 'usage-charge',
      reference: `usage:${usage!.id}`,
      createdBy: actor.participantId,
      legs: [
        { accountId: await participantAccount(tx, licence.buyerId, 'available'), amountFen: -licence.perQueryFen },
        { accountId: await participantAccount(tx, licence.buyerId, 'escrow'), amountFen: licence.perQueryFen },
      ],
    });
  }
  return { licence: updated!, usage: usage! };
}
