// The checks a purchase passes before any money moves, shared by an order on a plan and a bid
// in a sealed-bid round: the dataset is listed and the plan active, the buyer is not its
// provider, the purpose is licensed, rights are registered (确权), and the buyer is inside the
// plan's territory or passes the cross-border gate (正面清单 + 安全评估).
import { and, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { datasets, datasetVersions, participants, pricePlans, rightsCertificates } from '../../db/schema.ts';
import { crossBorderClearance } from '../crossborder/cross-border-gate.ts';
import { AppError } from '../errors.ts';
import { inTerritories, isMainland, LicenceTerms } from './terms.ts';

export interface OrderEligibility {
  plan: typeof pricePlans.$inferSelect;
  dataset: typeof datasets.$inferSelect;
  version: typeof datasetVersions.$inferSelect;
  buyer: typeof participants.$inferSelect;
  terms: LicenceTerms;
  /** The buyer is outside the plan's territories and was let through by the cross-border gate. */
  crossBorder: boolean;
  /** What the licence will allow: query-only across the border (可用不出境) and for L3 data. */
  access: 'query_only' | 'delivery';
}

/**
 * Runs the purchase checks for `buyerId` on `planId` with `purpose`, throwing the first
 * refusal as a typed error (`field` names the caller's input that led to the plan).
 */
export async function checkOrderEligibility(
  tx: Tx,
  options: { buyerId: string; planId: string; purpose: string; field?: string },
): Promise<OrderEligibility> {
  const { buyerId, planId, purpose } = options;
  const field = options.field ?? 'planId';
  const [row] = await tx
    .select({ plan: pricePlans, dataset: datasets, version: datasetVersions })
    .from(pricePlans)
    .innerJoin(datasets, eq(datasets.id, pricePlans.datasetId))
    .innerJoin(datasetVersions, eq(datasetVersions.id, datasets.currentVersionId))
    .where(eq(pricePlans.id, planId));
  if (!row || row.dataset.status !== 'listed') {
    // An unlisted or suspended dataset is not for sale, and its existence is not disclosed.
    throw new AppError(row ? 'INVALID_STATE' : 'NOT_FOUND', {
      field,
      message: row ? `the dataset is ${row.dataset.status.replace('_', ' ')}, not listed` : undefined,
    });
  }
  const { plan, dataset, version } = row;
  if (plan.status !== 'active') throw new AppError('INVALID_STATE', { field, message: 'the plan is retired' });
  if (dataset.providerId === buyerId) throw new AppError('INVALID_INPUT', { field, message: `${field}: a provider cannot buy its own dataset` });
  const terms = LicenceTerms.parse(plan.terms);
  if (!terms.purposes.includes(purpose as never)) {
    throw new AppError('LICENCE_TERMS', { field: 'purpose', message: `purpose: the plan allows ${terms.purposes.join(', ')}` });
  }
  const [certificate] = await tx
    .select({ id: rightsCertificates.id })
    .from(rightsCertificates)
    .where(and(eq(rightsCertificates.datasetId, dataset.id), eq(rightsCertificates.status, 'current')));
  if (!certificate) throw new AppError('INVALID_STATE', { field, message: 'the dataset has no registered rights (确权) and cannot be traded' });

  const [buyer] = await tx.select().from(participants).where(eq(participants.id, buyerId));
  let crossBorder = false;
  let access = terms.access;
  if (!inTerritories(buyer!.jurisdiction, terms.territories)) {
    if (isMainland(buyer!.jurisdiction)) {
      throw new AppError('LICENCE_TERMS', { field, message: `the plan is licensed for ${terms.territories.join(', ')}, not ${buyer!.jurisdiction}` });
    }
    const clearance = await crossBorderClearance(tx, { destination: buyer!.jurisdiction, datasetId: dataset.id, classification: version.classification });
    if (!clearance.allowed) throw new AppError('CROSS_BORDER_DENIED', { message: clearance.reason, details: { ...clearance } });
    // 可用不出境: usable without leaving the country — encrypted queries only.
    crossBorder = true;
    access = 'query_only';
  }
  if (version.grade === 'L3') access = 'query_only';
  return { plan, dataset, version, buyer: buyer!, terms, crossBorder, access };
}
