// The listing state machine (挂牌): draft → in_review → listed → suspended → delisted, each
// move recorded with who made it and why; decisions are anchored on chain.
import { eq } from 'drizzle-orm';
import { enqueueAnchor } from '../../chain/anchoring/enqueue-anchor.ts';
import type { DbHandle, Tx } from '../../db/client.ts';
import { datasets, datasetVersions, listingEvents } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import type { CheckResult } from './listing-checks.ts';

export type DatasetRow = typeof datasets.$inferSelect;
export type DatasetVersionRow = typeof datasetVersions.$inferSelect;
export type ListingStatus = DatasetRow['status'];
export type ListingAction = (typeof listingEvents.$inferSelect)['action'];

export const LISTING_DECISION_KIND = 'catalog.listing-decision';

/** Which action moves which status where. Anything else is INVALID_STATE. */
const TRANSITIONS: Record<ListingAction, { from: ListingStatus[]; to: ListingStatus }> = {
  create: { from: ['draft'], to: 'draft' },
  revise: { from: ['draft', 'listed'], to: 'draft' },
  submit: { from: ['draft'], to: 'in_review' },
  approve: { from: ['in_review'], to: 'listed' },
  reject: { from: ['in_review'], to: 'draft' },
  suspend: { from: ['listed'], to: 'suspended' },
  reinstate: { from: ['suspended'], to: 'listed' },
  delist: { from: ['draft', 'in_review', 'listed', 'suspended'], to: 'delisted' },
};

/** Actions that are decisions about the market, not a provider's own editing: anchored. */
export const ANCHORED_LISTING_ACTIONS: readonly ListingAction[] = ['approve', 'reject', 'suspend', 'reinstate', 'delist'];

export async function lockDataset(tx: Tx, datasetId: string): Promise<DatasetRow> {
  requireUuid(datasetId, 'datasetId');
  const [row] = await tx.select().from(datasets).where(eq(datasets.id, datasetId)).for('update');
  if (!row) throw new AppError('NOT_FOUND', { field: 'datasetId' });
  return row;
}

export async function currentVersion(handle: DbHandle, dataset: DatasetRow): Promise<DatasetVersionRow> {
  const [v] = await handle.select().from(datasetVersions).where(eq(datasetVersions.id, dataset.currentVersionId!));
  return v!;
}

export function assertTransition(dataset: DatasetRow, action: ListingAction): ListingStatus {
  const t = TRANSITIONS[action];
  if (!t.from.includes(dataset.status)) {
    throw new AppError('INVALID_STATE', {
      message: `cannot ${action} a dataset that is ${dataset.status.replace('_', ' ')}`,
      details: { status: dataset.status, action },
    });
  }
  return t.to;
}

/** Applies an allowed transition: status, history row, and for decisions the anchor record. */
export async function transitionListing(
  tx: Tx,
  options: {
    dataset: DatasetRow;
    version: DatasetVersionRow;
    action: ListingAction;
    actorId: string;
    reason?: string | null;
    checks?: CheckResult[];
  },
): Promise<{ dataset: DatasetRow; eventId: string }> {
  const { dataset, version, action } = options;
  const to = assertTransition(dataset, action);
  const now = new Date();
  const [event] = await tx
    .insert(listingEvents)
    .values({
      datasetId: dataset.id,
      versionId: version.id,
      action,
      fromStatus: dataset.status,
      toStatus: to,
      actorId: options.actorId,
      reason: options.reason ?? null,
      checks: options.checks ?? null,
      createdAt: now,
    })
    .returning();
  const [updated] = await tx
    .update(datasets)
    .set({ status: to, updatedAt: now, ...(action === 'approve' ? { listedAt: now } : {}) })
    .where(eq(datasets.id, dataset.id))
    .returning();
  if (ANCHORED_LISTING_ACTIONS.includes(action)) {
    await enqueueAnchor(tx, { kind: LISTING_DECISION_KIND, recordId: event!.id, content: listingDecisionContent(event!, version) });
  }
  return { dataset: updated!, eventId: event!.id };
}

/** What a listing decision's anchor commits to; the regulator's audit rebuilds it from the rows. */
export function listingDecisionContent(event: typeof listingEvents.$inferSelect, version: Pick<DatasetVersionRow, 'version' | 'commitment' | 'grade'>) {
  return {
    eventId: event.id,
    datasetId: event.datasetId,
    versionId: event.versionId,
    version: version.version,
    commitment: version.commitment,
    grade: version.grade,
    action: event.action,
    fromStatus: event.fromStatus,
    toStatus: event.toStatus,
    actorId: event.actorId,
    reason: event.reason,
    at: event.createdAt.toISOString(),
  };
}
