// 挂牌价格: a provider's offers on its listed dataset.
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbHandle } from '../../db/client.ts';
import { datasetVersions, pricePlans } from '../../db/schema.ts';
import { lockDataset } from '../catalog/listing-transition.ts';
import { getDataset } from '../catalog/find-datasets.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import { parseInput } from '../parse-input.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { LicenceTerms } from './terms.ts';

export type PricePlanRow = typeof pricePlans.$inferSelect;

const PlanInput = z
  .object({
    datasetId: z.string(),
    kind: z.enum(['fixed', 'per_query', 'subscription']),
    title: z.string().trim().min(2).max(200),
    priceFen: z.bigint().min(0n).max(10_000_000_000n),
    periodDays: z.number().int().min(1).max(366).optional(),
    queryQuota: z.number().int().min(1).max(100_000_000).optional(),
    terms: LicenceTerms,
    autoAccept: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    if (p.kind === 'subscription' && !p.periodDays) ctx.addIssue({ code: 'custom', path: ['periodDays'], message: 'a subscription has a period' });
    if (p.kind !== 'subscription' && p.periodDays) ctx.addIssue({ code: 'custom', path: ['periodDays'], message: 'only subscriptions have a period' });
    if (p.kind === 'per_query' && p.priceFen === 0n) ctx.addIssue({ code: 'custom', path: ['priceFen'], message: 'a per-query plan has a price' });
  });

/**
 * The provider offers its dataset on a plan. Sensitive (L3) data is offered for encrypted
 * queries only: a delivery plan on it is refused.
 */
export async function createPricePlan({ db, actor, input }: { db: Db; actor: Viewer | null; input: z.input<typeof PlanInput> }): Promise<PricePlanRow> {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  const plan = parseInput(PlanInput, input);
  return db.transaction(async (tx) => {
    const dataset = await lockDataset(tx, plan.datasetId);
    if (dataset.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'datasetId' });
    if (dataset.status === 'delisted') throw new AppError('INVALID_STATE', { message: 'the dataset is delisted' });
    const [version] = await tx.select().from(datasetVersions).where(eq(datasetVersions.id, dataset.currentVersionId!));
    if (version!.grade === 'L3' && plan.terms.access === 'delivery') {
      throw new AppError('INVALID_INPUT', { field: 'terms.access', message: 'terms.access: L3 data is offered for encrypted queries only' });
    }
    const [row] = await tx
      .insert(pricePlans)
      .values({
        datasetId: dataset.id,
        kind: plan.kind,
        title: plan.title,
        priceFen: plan.priceFen,
        periodDays: plan.periodDays ?? null,
        queryQuota: plan.queryQuota ?? null,
        terms: plan.terms,
        autoAccept: plan.autoAccept,
      })
      .returning();
    return row!;
  });
}

export async function retirePricePlan({ db, actor, planId }: { db: Db; actor: Viewer | null; planId: string }): Promise<PricePlanRow> {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  requireUuid(planId, 'planId');
  return db.transaction(async (tx) => {
    const [plan] = await tx.select().from(pricePlans).where(eq(pricePlans.id, planId)).for('update');
    if (!plan) throw new AppError('NOT_FOUND', { field: 'planId' });
    const dataset = await lockDataset(tx, plan.datasetId);
    if (dataset.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'planId' });
    if (plan.status === 'retired') throw new AppError('INVALID_STATE', { message: 'the plan is already retired' });
    const [row] = await tx.update(pricePlans).set({ status: 'retired' }).where(eq(pricePlans.id, planId)).returning();
    return row!;
  });
}

export async function pricePlansOf({ db, actor, datasetId }: { db: DbHandle; actor: Viewer | null; datasetId: string }): Promise<PricePlanRow[]> {
  const dataset = await getDataset({ db, actor, id: datasetId });
  const owner = actor?.participantId === dataset.providerId;
  return db
    .select()
    .from(pricePlans)
    .where(owner ? eq(pricePlans.datasetId, datasetId) : and(eq(pricePlans.datasetId, datasetId), eq(pricePlans.status, 'active')));
}

