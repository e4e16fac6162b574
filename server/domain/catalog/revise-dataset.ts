import { eq, max } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { datasets, datasetVersions } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { insertVersion } from './create-dataset.ts';
import { validateDatasetDescription } from './dataset-input.ts';
import { lockDataset, transitionListing, type DatasetRow, type DatasetVersionRow } from './listing-transition.ts';

/**
 * A new version of a dataset's description. Earlier versions stay as they were (licences and
 * certificates refer to them). A listed dataset goes back to draft: a changed product is
 * reviewed again before buyers see it (无合规不挂牌).
 */
export async function reviseDataset({ db, actor, datasetId, input }: { db: Db; actor: Viewer | null; datasetId: string; input: unknown }): Promise<{
  dataset: DatasetRow;
  version: DatasetVersionRow;
}> {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  const description = validateDatasetDescription(input);
  return db.transaction(async (tx) => {
    const current = await lockDataset(tx, datasetId);
    if (current.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'datasetId' });
    const [{ latest }] = (await tx.select({ latest: max(datasetVersions.version) }).from(datasetVersions).where(eq(datasetVersions.datasetId, datasetId))) as [{ latest: number | null }];
    const version = await insertVersion(tx, datasetId, (latest ?? 0) + 1, description, actor!.participantId);
    const { dataset } = await transitionListing(tx, { dataset: current, version, action: 'revise', actorId: actor!.participantId });
    const [updated] = await tx.update(datasets).set({ currentVersionId: version.id }).where(eq(datasets.id, dataset.id)).returning();
    return { dataset: updated!, version };
  });
}
