// A dataset version's commitment (root, rowCount): the Poseidon Merkle root of its rows' hashes
// in a depth-20 tree, and the number of rows. The provider computes it over its own rows and
// keeps the tree to prove from; anyone holding the rows can recompute and compare it.

import { checkSchema, encodeRow, rowHash, type DatasetRow, type DatasetSchema, type EncodedRow } from './dataset-schema.ts';
import { FixedMerkleTree } from './merkle-tree.ts';
import { DATASET_TREE_DEPTH } from './parameters.ts';

export interface DatasetCommitment {
  /** Root of the depth-20 tree whose leaves 0 … rowCount-1 are the row hashes and the rest 0. */
  root: bigint;
  rowCount: number;
}

/** A committed dataset as its provider keeps it for proving: the encoded rows and the whole tree. */
export interface CommittedDataset extends DatasetCommitment {
  rows: readonly EncodedRow[];
  tree: FixedMerkleTree;
}

export const MAX_DATASET_ROWS = 2 ** DATASET_TREE_DEPTH;

/** The tree over the encoded rows' hashes. */
export function commitEncodedRows(rows: readonly EncodedRow[]): CommittedDataset {
  if (rows.length === 0) throw new RangeError('a committed dataset has at least one row');
  if (rows.length > MAX_DATASET_ROWS) throw new RangeError(`a committed dataset has at most ${MAX_DATASET_ROWS} rows`);
  const tree = FixedMerkleTree.build(rows.map(rowHash), DATASET_TREE_DEPTH);
  return { root: tree.root, rowCount: rows.length, rows, tree };
}

/** Encodes the rows under the schema, hashes them and builds the tree. */
export function commitDataset(schema: DatasetSchema, rows: readonly DatasetRow[]): CommittedDataset {
  checkSchema(schema);
  return commitEncodedRows(rows.map((row) => encodeRow(schema, row)));
}

/** The commitment alone, for comparing with the one a dataset version recorded. */
export function datasetCommitment(schema: DatasetSchema, rows: readonly DatasetRow[]): DatasetCommitment {
  const { root, rowCount } = commitDataset(schema, rows);
  return { root, rowCount };
}
