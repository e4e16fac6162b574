import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { bidRounds, datasets, pricePlans, rightsCertificates } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import type { RoundWithProvider } from './bid-round-records.ts';

const MAX_ROUND_DAYS = 90;
const DAY_MS = 86_400_000;

const Input = z.object({
  planId: z.string(),
  reserveFen: z.bigint().min(1n).max(10_000_000_000n),
  closesAt: z.date(),
});

/**
 * A provider opens a sealed-bid round on an active fixed or subscription plan of its listed,
 * rights-registered dataset: a reserve price and a closing time in the future (at most 90
 * days away). The winner's licence follows the plan's terms at the price it bid.
 */
export async function openBidRound({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof Input> }): Promise<RoundWithProvider> {
  if (!actor) throw new AppError('UNAUTHENTICATED');
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  const { planId, reserveFen, closesAt } = parseInput(Input, input);
  requireUuid(planId, 'planId');
  const now = new Date();
  if (closesAt <= now) throw new AppError('INVALID_INPUT', { field: 'closesAt', message: 'closesAt: a round closes in the future' });
  if (closesAt.getTime() > now.getTime() + MAX_ROUND_DAYS * DAY_MS) {
    throw new AppError('INVALID_INPUT', { field: 'closesAt', message: `closesAt: a round lasts at most ${MAX_ROUND_DAYS} days` });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx.select({ plan: pricePlans, dataset: datasets }).from(pricePlans).innerJoin(datasets, eq(datasets.id, pricePlans.datasetId)).where(eq(pricePlans.id, planId));
    if (!row || row.dataset.providerId !== actor.participantId) throw new AppError('NOT_FOUND', { field: 'planId' });
    const { plan, dataset } = row;
    if (dataset.status !== 'listed') throw new AppError('INVALID_STATE', { field: 'planId', message: `the dataset is ${dataset.status.replace('_', ' ')}, not listed` });
    if (plan.status !== 'active') throw new AppError('INVALID_STATE', { field: 'planId', message: 'the plan is retired' });
    if (plan.kind === 'per_query') throw new AppError('INVALID_INPUT', { field: 'planId', message: 'planId: a round sells a fixed or subscription licence, not per-query use' });
    const [certificate] = await tx
      .select({ id: rightsCertificates.id })
      .from(rightsCertificates)
      .where(and(eq(rightsCertificates.datasetId, dataset.id), eq(rightsCertificates.status, 'current')));
    if (!certificate) throw new AppError('INVALID_STATE', { field: 'planId', message: 'the dataset has no registered rights (确权) and cannot be traded' });
    const [round] = await tx.insert(bidRounds).values({ datasetId: dataset.id, planId: plan.id, reserveFen, closesAt, createdAt: now }).returning();
    return { ...round!, providerId: dataset.providerId };
  });
}
