// The catalog commitment (catalog-commitment.ts) computed in slices, reporting progress between
// them, so that a browser page or a CLI can show a progress bar over a large file. Same root.
import { commitmentRow, commitmentSchema, type CatalogColumn } from './catalog-commitment.ts';
import { checkSchema, encodeRow, rowHash, type CellValue } from './zk/dataset-schema.ts';
import { MAX_DATASET_ROWS } from './zk/dataset-commitment.ts';
import { FixedMerkleTree } from './zk/merkle-tree.ts';
import { DATASET_TREE_DEPTH } from './zk/parameters.ts';

export interface CommitmentProgress {
  /** Rows hashed so far. */
  rowsHashed: number;
  rowCount: number;
  /** 0 … 1; hashing the rows is most of the work, the tree the rest. */
  fraction: number;
}

/** Share of the work taken by the tree over the row hashes (Poseidon-2 nodes are cheap next to Poseidon-6 leaves). */
const TREE_SHARE = 0.1;

/**
 * catalogCommitment(columns, rows), yielding to the caller's `onProgress` every `sliceRows`
 * rows (awaited, so a UI can repaint or a worker can post a message).
 */
export async function catalogCommitmentWithProgress(
  columns: readonly CatalogColumn[],
  rows: readonly Readonly<Record<string, CellValue>>[],
  options: { onProgress?: (p: CommitmentProgress) => void | Promise<void>; sliceRows?: number; signal?: AbortSignal } = {},
): Promise<{ root: string; rowCount: number }> {
  const schema = commitmentSchema(columns);
  checkSchema(schema);
  if (rows.length === 0) throw new RangeError('a committed dataset has at least one row');
  if (rows.length > MAX_DATASET_ROWS) throw new RangeError(`a committed dataset has at most ${MAX_DATASET_ROWS} rows`);
  const slice = Math.max(1, options.sliceRows ?? 500);
  const leaves: bigint[] = new Array(rows.length);
  const report = async (rowsHashed: number, fraction: number) => {
    options.signal?.throwIfAborted();
    await options.onProgress?.({ rowsHashed, rowCount: rows.length, fraction });
  };
  await report(0, 0);
  for (let start = 0; start < rows.length; start += slice) {
    const end = Math.min(rows.length, start + slice);
    for (let i = start; i < end; i++) leaves[i] = rowHash(encodeRow(schema, commitmentRow(columns, rows[i]!)));
    await report(end, (end / rows.length) * (1 - TREE_SHARE));
  }
  const tree = FixedMerkleTree.build(leaves, DATASET_TREE_DEPTH);
  await report(rows.length, 1);
  return { root: tree.root.toString(), rowCount: rows.length };
}
