// The commitment to a version's rows, recomputed from an upload to check the provider's
// declaration, with the sdk's function that providers run on their own files.
import { catalogCommitment } from '../../../sdk/catalog-commitment.ts';
import { AppError } from '../errors.ts';
import type { Column } from './dataset-input.ts';
import type { Row } from './upload-dataset-rows.ts';

export function datasetCommitmentOf(columns: Column[], rows: Row[]): { root: string } {
  try {
    return { root: catalogCommitment(columns, rows).root };
  } catch (err) {
    throw new AppError('INVALID_INPUT', { field: 'csv', message: `csv: ${(err as Error).message}` });
  }
}
