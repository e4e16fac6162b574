// The commitment on worker threads is the commitment: the same root, tree, paths and encoded
// rows as commitDataset, whatever the number of threads and however the rows fall into blocks;
// and the pieces it is built from (subtreeLevels, fromSubtrees) rebuild FixedMerkleTree.build.
import { describe, expect, it } from 'vitest';
import { commitDataset } from '../../sdk/zk/dataset-commitment.ts';
import { CellEncodingError } from '../../sdk/zk/dataset-schema.ts';
import { FixedMerkleTree, subtreeLevels } from '../../sdk/zk/merkle-tree.ts';
import { commitDatasetInParallel } from '../../sdk/zk/parallel-commitment.ts';
import { tradeRows, tradeSchema, wideTradeRows, wideTradeSchema } from '../factories/compliance-datasets.ts';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i) * 7919n + 1n);

describe('FixedMerkleTree.fromSubtrees', () => {
  it('gives the tree build gives, for full and partial last blocks', () => {
    for (const [n, height] of [
      [16, 2],
      [13, 2],
      [1, 0],
      [9, 3],
      [64, 6],
    ] as const) {
      const all = leaves(n);
      const parts = [];
      for (let i = 0; i < n; i += 2 ** height) parts.push(subtreeLevels(all.slice(i, i + 2 ** height), height));
      const joined = FixedMerkleTree.fromSubtrees(8, height, parts);
      const built = FixedMerkleTree.build(all, 8);
      expect(joined.root).toBe(built.root);
      expect(joined.size).toBe(n);
      for (const i of [0, n - 1, Math.floor(n / 2)]) expect(joined.siblings(i)).toEqual(built.siblings(i));
    }
  });

  it('refuses a partial block that is not the last, the wrong number of levels, and too many blocks', () => {
    const partial = subtreeLevels(leaves(3), 2);
    const full = subtreeLevels(leaves(4), 2);
    expect(() => FixedMerkleTree.fromSubtrees(8, 2, [partial, full])).toThrow(/not full/);
    expect(() => FixedMerkleTree.fromSubtrees(8, 3, [full])).toThrow(/levels/);
    expect(() => FixedMerkleTree.fromSubtrees(3, 2, [full, full, full])).toThrow(/subtrees/);
    expect(() => subtreeLevels(leaves(5), 2)).toThrow(/do not fit/);
  });
});

describe('commitDatasetInParallel', () => {
  it('commits like commitDataset on 2 and 3 threads, with uneven blocks', async () => {
    const rows = tradeRows(2_500);
    const sequential = commitDataset(tradeSchema, rows);
    for (const threads of [2, 3]) {
      const parallel = await commitDatasetInParallel(tradeSchema, rows, threads);
      expect(parallel.root).toBe(sequential.root);
      expect(parallel.rowCount).toBe(2_500);
      expect(parallel.rows).toEqual(sequential.rows);
      for (const i of [0, 1_023, 1_024, 2_499]) expect(parallel.tree.siblings(i)).toEqual(sequential.tree.siblings(i));
    }
  }, 120_000);

  it('commits the rest-of-row hash of wide rows too', async () => {
    const rows = wideTradeRows(2_100);
    expect((await commitDatasetInParallel(wideTradeSchema, rows, 2)).root).toBe(commitDataset(wideTradeSchema, rows).root);
  }, 120_000);

  it('rejects a row that does not fit the schema, naming it', async () => {
    const rows = tradeRows(2_200);
    rows[2_150] = { ...rows[2_150]!, buyer_age: 'forty' };
    const error = await commitDatasetInParallel(tradeSchema, rows, 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CellEncodingError);
    expect((error as Error).message).toMatch(/^row 2151: /);
  }, 120_000);
});
