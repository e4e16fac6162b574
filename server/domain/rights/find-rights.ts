import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbHandle } from '../../db/client.ts';
import { rightsCertificates, rightsHoldings } from '../../db/schema.ts';
import { getDataset } from '../catalog/find-datasets.ts';
import { AppError } from '../errors.ts';
import { requireUuid } from '../ids.ts';
import type { Viewer } from '../participants/roles.ts';
import type { CertificateRow } from './issue-certificate.ts';

export type HoldingRow = typeof rightsHoldings.$inferSelect;

/** The current certificate of each dataset (null where none), in one query. */
export async function currentCertificatesByDatasetIds({ db, datasetIds }: { db: DbHandle; datasetIds: readonly string[] }) {
  const rows = datasetIds.length
    ? await db
        .select()
        .from(rightsCertificates)
        .where(and(inArray(rightsCertificates.datasetId, [...datasetIds]), eq(rightsCertificates.status, 'current')))
    : [];
  const byDataset = new Map(rows.map((r) => [r.datasetId, r]));
  return datasetIds.map((id) => byDataset.get(id) ?? null);
}

/** The holdings of each certificate, in one query. */
export async function holdingsByCertificateIds({ db, certificateIds }: { db: DbHandle; certificateIds: readonly string[] }): Promise<HoldingRow[][]> {
  const rows = certificateIds.length
    ? await db.select().from(rightsHoldings).where(inArray(rightsHoldings.certificateId, [...certificateIds])).orderBy(asc(rightsHoldings.right), asc(rightsHoldings.holderId))
    : [];
  return certificateIds.map((id) => rows.filter((r) => r.certificateId === id));
}

/** The chain of title: every certificate of a dataset, newest first. */
export async function certificateHistory({ db, actor, datasetId }: { db: DbHandle; actor: Viewer | null; datasetId: string }): Promise<CertificateRow[]> {
  await getDataset({ db, actor, id: datasetId });
  return db.select().from(rightsCertificates).where(eq(rightsCertificates.datasetId, datasetId)).orderBy(asc(rightsCertificates.issuedAt));
}

export async function getCertificate({ db, actor, id }: { db: DbHandle; actor: Viewer | null; id: string }): Promise<CertificateRow> {
  requireUuid(id, 'id');
  const [row] = await db.select().from(rightsCertificates).where(eq(rightsCertificates.id, id));
  if (!row) throw new AppError('NOT_FOUND', { field: 'id' });
  await getDataset({ db, actor, id: row.datasetId }).catch(() => {
    throw new AppError('NOT_FOUND', { field: 'id' });
  });
  return row;
}

export async function getCertificatesByIds({ db, actor, ids }: { db: DbHandle; actor: Viewer | null; ids: readonly string[] }) {
  return Promise.all(ids.map((id) => getCertificate({ db, actor, id }).catch(() => null)));
}
