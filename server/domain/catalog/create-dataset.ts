import type { Db, Tx } from '../../db/client.ts';
import { datasets, datasetVersions } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { validateDatasetDescription, type DatasetDescription } from './dataset-input.ts';
import { transitionListing, type DatasetRow, type DatasetVersionRow } from './listing-transition.ts';
import { searchDocument } from './search-text.ts';

/** A verified provider describes a new data product; it starts as a draft at version 1. */
export async function createDataset({ db, actor, input }: { db: Db; actor: Viewer | null; input: unknown }): Promise<{
  dataset: DatasetRow;
  version: DatasetVersionRow;
}> {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN', { message: 'only a verified provider can create datasets' });
  const description = validateDatasetDescription(input);
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(datasets).values({ providerId: actor!.participantId }).returning();
    const version = await insertVersion(tx, created!.id, 1, description, actor!.participantId);
    await tx.update(datasets).set({ currentVersionId: version.id }).where(eq(datasets.id, created!.id));
    const { dataset } = await transitionListing(tx, {
      dataset: { ...created!, currentVersionId: version.id },
      version,
      action: 'create',
      actorId: actor!.participantId,
    });
    return { dataset, version };
  });
}

export async function insertVersion(
  tx: Tx,
  datasetId: string,
  version: number,
  d: DatasetDescription,
  createdBy: string,
): Promise<DatasetVersionRow> {
  const [row] = await tx
    .insert(datasetVersions)
    .values({
      datasetId,
      version,
      titleZh: d.titleZh,
      titleEn: d.titleEn,
      descriptionZh: d.descriptionZh,
      descriptionEn: d.descriptionEn,
      domain: d.domain,
      industry: d.industry ?? null,
      keywords: d.keywords,
      columns: d.columns,
      updateFrequency: d.updateFrequency,
      rowCount: d.rowCount,
      sampleRows: d.sampleRows,
      classification: d.classification,
      grade: d.grade,
      personalInfo: d.personalInfo,
      commitment: d.commitment,
      complianceRules: d.complianceRules ?? null,
      minGroupSize: d.minGroupSize,
      searchText: searchDocument([d.titleZh, d.titleEn, d.descriptionZh, d.descriptionEn, d.industry, ...d.keywords]),
      createdBy,
    })
    .returning();
  return row!;
}
