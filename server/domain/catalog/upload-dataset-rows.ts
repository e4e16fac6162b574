import { eq } from 'drizzle-orm';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../db/client.ts';
import { datasetRows, datasetVersions } from '../../db/schema.ts';
import { AppError } from '../errors.ts';
import { actsAs, type Viewer } from '../participants/roles.ts';
import { datasetCommitmentOf } from './dataset-commitment.ts';
import { rowProblem, type Column } from './dataset-input.ts';
import { currentVersion, lockDataset } from './listing-transition.ts';

/** Through the API; larger files go through the sdk's CLI in chunks (same checks). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
export const MAX_UPLOAD_ROWS = 200_000;
const INSERT_CHUNK = 500;

export type RowValue = string | number | null;
export type Row = Record<string, RowValue>;

/**
 * The provider uploads its rows to its private store for the current (draft) version. They
 * are checked against the schema and hashed to the commitment the sdk declared; they never
 * appear in the catalog. A new upload replaces the previous one.
 */
export async function uploadDatasetRows({
  db,
  actor,
  datasetId,
  csv,
}: {
  db: Db;
  actor: Viewer | null;
  datasetId: string;
  csv: string;
}): Promise<{ rowCount: number; commitment: string; matchesDeclaration: boolean }> {
  if (!actsAs(actor, 'provider')) throw new AppError('FORBIDDEN');
  if (Buffer.byteLength(csv) > MAX_UPLOAD_BYTES) {
    throw new AppError('INVALID_INPUT', { field: 'csv', message: `csv: larger than ${MAX_UPLOAD_BYTES / 2 ** 20} MiB; use the sdk CLI` });
  }
  return db.transaction(async (tx) => {
    const dataset = await lockDataset(tx, datasetId);
    if (dataset.providerId !== actor!.participantId) throw new AppError('NOT_FOUND', { field: 'datasetId' });
    if (dataset.status !== 'draft') throw new AppError('INVALID_STATE', { message: `rows can only be uploaded to a draft, this dataset is ${dataset.status}` });
    const version = await currentVersion(tx, dataset);
    const columns = version.columns as Column[];
    const rows = parseRows(csv, columns);
    const { root } = datasetCommitmentOf(columns, rows);
    await tx.delete(datasetRows).where(eq(datasetRows.versionId, version.id));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await tx.insert(datasetRows).values(rows.slice(i, i + INSERT_CHUNK).map((values, j) => ({ versionId: version.id, rowIndex: i + j, values })));
    }
    await tx.update(datasetVersions).set({ uploadedRowCount: rows.length, uploadedCommitment: root }).where(eq(datasetVersions.id, version.id));
    return { rowCount: rows.length, commitment: root, matchesDeclaration: root === version.commitment && rows.length === version.rowCount };
  });
}

/** CSV with a header row naming the schema's columns, in any order; empty cells are null. */
export function parseRows(csv: string, columns: Column[]): Row[] {
  let records: Record<string, string>[];
  try {
    records = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true, max_record_size: 1_000_000 });
  } catch (err) {
    throw new AppError('INVALID_INPUT', { field: 'csv', message: `csv: ${(err as Error).message}` });
  }
  if (records.length === 0) throw new AppError('INVALID_INPUT', { field: 'csv', message: 'csv: no rows' });
  if (records.length > MAX_UPLOAD_ROWS) throw new AppError('INVALID_INPUT', { field: 'csv', message: `csv: more than ${MAX_UPLOAD_ROWS} rows; use the sdk CLI` });
  const header = Object.keys(records[0]!);
  const missing = columns.filter((c) => !header.includes(c.name)).map((c) => c.name);
  if (missing.length) throw new AppError('INVALID_INPUT', { field: 'csv', message: `csv: schema columns missing from the header: ${missing.join(', ')}` });
  return records.map((record, i) => {
    const row: Row = {};
    for (const [k, v] of Object.entries(record)) row[k] = v === '' ? null : v;
    const problem = rowProblem(columns, row);
    if (problem) throw new AppError('INVALID_INPUT', { field: 'csv', message: `csv row ${i + 1}: ${problem}` });
    return row;
  });
}
