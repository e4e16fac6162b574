// The sdk's dataset encoding, commitment tree, rule encoding and sample derivation, off circuit:
// what the circuits' witnesses are built from. The circuits themselves are in the other files.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { poseidonHash, poseidonMerkleRoot, SNARK_SCALAR_FIELD } from '../../sdk/poseidon.ts';
import { commitDataset, datasetCommitment } from '../../sdk/zk/dataset-commitment.ts';
import {
  CellEncodingError,
  checkSchema,
  encodeRow,
  encodeValue,
  isResidentId,
  MAX_DATASET_COLUMNS,
  provedColumnIndex,
  provedColumns,
  residentIdCheckCharacter,
  restHash,
  rowHash,
  SIGNED_OFFSET,
  UnprovedColumnError,
  type ColumnSchema,
} from '../../sdk/zk/dataset-schema.ts';
import { FixedMerkleTree, zeroHashes } from '../../sdk/zk/merkle-tree.ts';
import * as parameters from '../../sdk/zk/parameters.ts';
import { sampleIndices } from '../../sdk/zk/sampled-audit.ts';
import { columnRuleHash, encodeRules, RULE_FLAG, rowViolations, rulesHash } from '../../sdk/zk/rules.ts';
import { tradeRows, tradeRules, tradeSchema, wideTradeSchema } from '../factories/compliance-datasets.ts';

const integer: ColumnSchema = { name: 'n', type: { kind: 'integer' } };
const money: ColumnSchema = { name: 'm', type: { kind: 'decimal', scale: 2 } };
const region: ColumnSchema = { name: 'r', type: { kind: 'category', codes: ['north', 'south'] } };

describe('encodeValue', () => {
  it('stores integers as x + 2^63 so that 64-bit unsigned order is signed order', () => {
    expect(encodeValue(integer, 0)).toBe(SIGNED_OFFSET);
    expect(encodeValue(integer, -1)).toBe(SIGNED_OFFSET - 1n);
    expect(encodeValue(integer, '42')).toBe(SIGNED_OFFSET + 42n);
    expect(encodeValue(integer, -(2n ** 63n))).toBe(0n);
    expect(encodeValue(integer, 2n ** 63n - 1n)).toBe(2n ** 64n - 1n);
  });

  it('refuses integers outside 64 bits and unsafe numbers', () => {
    expect(() => encodeValue(integer, 2n ** 63n)).toThrow(CellEncodingError);
    expect(() => encodeValue(integer, 2 ** 60)).toThrow(CellEncodingError);
    expect(() => encodeValue(integer, '1.5')).toThrow(CellEncodingError);
  });

  it('scales decimals and refuses digits beyond the scale instead of rounding', () => {
    expect(encodeValue(money, '12.34')).toBe(SIGNED_OFFSET + 1234n);
    expect(encodeValue(money, '-0.5')).toBe(SIGNED_OFFSET - 50n);
    expect(encodeValue(money, '7.100')).toBe(SIGNED_OFFSET + 710n);
    expect(encodeValue(money, 3n)).toBe(SIGNED_OFFSET + 300n);
    expect(() => encodeValue(money, '0.125')).toThrow(CellEncodingError);
  });

  it('stores a category as its code and refuses an unknown label', () => {
    expect(encodeValue(region, 'south')).toBe(1n);
    expect(() => encodeValue(region, 'west')).toThrow(CellEncodingError);
  });

  it('hashes text and id numbers into separate domains', () => {
    const text: ColumnSchema = { name: 't', type: { kind: 'text' } };
    const id: ColumnSchema = { name: 'i', type: { kind: 'id-number' } };
    expect(encodeValue(text, '11010519491231002X')).not.toBe(encodeValue(id, '11010519491231002x'));
    expect(encodeValue(text, 'a')).not.toBe(encodeValue(text, 'b'));
    expect(encodeValue(text, 'x'.repeat(1000))).toBeLessThan(SNARK_SCALAR_FIELD);
    expect(() => encodeValue(id, '110105194912310021')).toThrow(CellEncodingError);
  });
});

describe('resident ID check character (ISO 7064 MOD 11-2)', () => {
  it('computes the published example and rejects a wrong one', () => {
    expect(residentIdCheckCharacter('11010519491231002')).toBe('X');
    expect(isResidentId('11010519491231002X')).toBe(true);
    expect(isResidentId('110105194912310029')).toBe(false);
    expect(isResidentId('1101051949123100')).toBe(false);
  });
});

describe('encodeRow and rowHash', () => {
  it('encodes nulls as 0 with a flag, pads to the circuit width, and hashes values with the null mask', () => {
    const row = encodeRow({ columns: [integer, region] }, { n: null, r: 'north' });
    expect(row).toEqual({ values: [0n, 0n, 0n, 0n], isNull: [1, 0, 0, 0], restHash: 0n });
    expect(rowHash(row)).toBe(poseidonHash([0n, 0n, 0n, 0n, 1n, 0n]));
    // The same values without the null flag are another row.
    expect(rowHash({ values: [0n, 0n, 0n, 0n], isNull: [0, 0, 0, 0], restHash: 0n })).not.toBe(rowHash(row));
  });

  it('refuses a null cell that holds a value, and a restHash outside the field', () => {
    expect(() => rowHash({ values: [5n, 0n, 0n, 0n], isNull: [1, 0, 0, 0], restHash: 0n })).toThrow(RangeError);
    expect(() => rowHash({ values: [0n, 0n, 0n, 0n], isNull: [0, 0, 0, 0], restHash: SNARK_SCALAR_FIELD })).toThrow(RangeError);
  });
});

describe('rows wider than the proved columns', () => {
  // Six columns past the four proved ones: one Poseidon(8) fold.
  const wide = { columns: [integer, money, region, integer, money, region, integer, money, region, integer].map((c, i) => ({ ...c, name: `c${i}` })) };
  const cells = ['1', '2.50', 'south', '4', null, 'north', '-7', '8.00', null, '10'];
  const row = Object.fromEntries(cells.map((v, i) => [`c${i}`, v]));

  it('reads the first four columns as proved cells and folds the rest into restHash', () => {
    const encoded = encodeRow(wide, row);
    expect(encoded.values).toEqual([SIGNED_OFFSET + 1n, SIGNED_OFFSET + 250n, 1n, SIGNED_OFFSET + 4n]);
    expect(encoded.isNull).toEqual([0, 0, 0, 0]);
    // Rest cells c4 … c9: null, north, -7, 8.00, null, 10; null mask bits 0 and 4.
    const rest = [0n, 0n, SIGNED_OFFSET - 7n, SIGNED_OFFSET + 800n, 0n, SIGNED_OFFSET + 10n];
    expect(encoded.restHash).toBe(poseidonHash([6n, 0b10001n, ...rest]));
    expect(restHash(rest, [1, 0, 0, 0, 1, 0])).toBe(encoded.restHash);
    expect(rowHash(encoded)).toBe(poseidonHash([...encoded.values, 0n, encoded.restHash]));
  });

  it('changes the row hash with any rest cell, and tells a null from the value 0', () => {
    const base = rowHash(encodeRow(wide, row));
    expect(rowHash(encodeRow(wide, { ...row, c9: '11' }))).not.toBe(base);
    expect(rowHash(encodeRow(wide, { ...row, c8: 'north' }))).not.toBe(base);
    // 'north' is code 0: the same field element as the null, told apart by the mask.
    expect(restHash([0n], [1])).not.toBe(restHash([0n], [0]));
    // The count leads the fold: a trailing zero cell is another row.
    expect(restHash([5n, 0n], [0, 0])).not.toBe(restHash([5n], [0]));
  });

  it('folds 14 cells per Poseidon call, the count first', () => {
    const values = Array.from({ length: 20 }, (_, i) => BigInt(i + 1));
    const flags = values.map(() => 0 as const);
    const first = poseidonHash([20n, 0n, ...values.slice(0, 14)]);
    expect(restHash(values, flags)).toBe(poseidonHash([first, 0n, ...values.slice(14)]));
    expect(restHash([], [])).toBe(0n);
    expect(() => restHash([5n], [1])).toThrow(RangeError);
  });

  it(`takes up to ${MAX_DATASET_COLUMNS} columns`, () => {
    const columns = (n: number) => ({ columns: Array.from({ length: n }, (_, i) => ({ ...integer, name: `c${i}` })) });
    const widest = encodeRow(columns(MAX_DATASET_COLUMNS), Array.from({ length: MAX_DATASET_COLUMNS }, (_, i) => i));
    expect(widest.restHash).not.toBe(0n);
    expect(() => checkSchema(columns(MAX_DATASET_COLUMNS + 1))).toThrow(RangeError);
  });

  it('names the proved columns and refuses any other as an UnprovedColumnError', () => {
    expect(provedColumns(wide).map((c) => c.name)).toEqual(['c0', 'c1', 'c2', 'c3']);
    expect(provedColumnIndex(wide, 'c3')).toBe(3);
    expect(() => provedColumnIndex(wide, 'c4')).toThrow(UnprovedColumnError);
    expect(() => provedColumnIndex(wide, 'nope')).toThrow(RangeError);
  });
});

describe('FixedMerkleTree', () => {
  it('has the zero hashes of circuits/lib/merkle.circom', () => {
    const source = readFileSync(new URL('../../circuits/lib/merkle.circom', import.meta.url), 'utf8');
    const table = /var z\[33\] = \[([\s\S]*?)\];/.exec(source)![1]!.split(',').map((x) => BigInt(x.trim()));
    expect(table).toEqual(zeroHashes(32).slice());
  });

  it('pads with zero leaves: its root over 2^k slots equals poseidonMerkleRoot over the padded leaves', () => {
    const leaves = [3n, 1n, 4n, 1n, 5n];
    const tree = FixedMerkleTree.build(leaves, 3);
    expect(tree.root).toBe(poseidonMerkleRoot([...leaves, 0n, 0n, 0n]));
    expect(FixedMerkleTree.build(leaves, 5).root).not.toBe(tree.root);
  });

  it('gives paths that lead back to the root, for leaves and for chunk subtrees', () => {
    const leaves = Array.from({ length: 37 }, (_, i) => BigInt(i + 1));
    const tree = FixedMerkleTree.build(leaves, 8);
    for (const index of [0, 1, 36, 37, 255]) {
      expect(FixedMerkleTree.rootFromPath(tree.node(0, index), index, tree.siblings(index))).toBe(tree.root);
    }
    const chunkRoot = FixedMerkleTree.build(leaves.slice(32, 48), 4).root;
    expect(tree.node(4, 2)).toBe(chunkRoot);
    expect(FixedMerkleTree.rootFromPath(chunkRoot, 2, tree.siblings(2, 4))).toBe(tree.root);
  });

  it('appends leaves to the same root a fresh build over all of them has', () => {
    const leaves = Array.from({ length: 45 }, (_, i) => BigInt(1000 + i));
    const tree = FixedMerkleTree.build(leaves.slice(0, 13), 7);
    tree.append(leaves.slice(13, 32));
    tree.append(leaves.slice(32));
    const fresh = FixedMerkleTree.build(leaves, 7);
    expect(tree.root).toBe(fresh.root);
    expect(tree.siblings(44)).toEqual(fresh.siblings(44));
    expect(tree.size).toBe(45);
  });

  it('refuses more leaves than the depth holds', () => {
    expect(() => FixedMerkleTree.build([1n, 2n, 3n], 1)).toThrow(RangeError);
  });
});

describe('commitDataset', () => {
  it('commits the rows as (root, rowCount) and recomputes the same commitment from the same rows', () => {
    const rows = tradeRows(10);
    const dataset = commitDataset(tradeSchema, rows);
    expect(dataset.rowCount).toBe(10);
    expect(dataset.tree.depth).toBe(parameters.DATASET_TREE_DEPTH);
    expect(datasetCommitment(tradeSchema, rows)).toEqual({ root: dataset.root, rowCount: 10 });
    expect(datasetCommitment(tradeSchema, rows.slice(0, 9)).root).not.toBe(dataset.root);
  });
});

describe('encodeRules and rulesHash', () => {
  const rules = encodeRules(tradeSchema, tradeRules);

  it('encodes each declared rule in the column terms of the circuit', () => {
    const [age, amount, regionRule, memo] = rules;
    expect(age!.flags).toBe(RULE_FLAG.nonNull | RULE_FLAG.range | RULE_FLAG.forbidden);
    expect([age!.min, age!.max]).toEqual([SIGNED_OFFSET + 18n, SIGNED_OFFSET + 120n]);
    expect([age!.forbiddenLow, age!.forbiddenHigh]).toEqual([SIGNED_OFFSET + 10n ** 17n, SIGNED_OFFSET + 10n ** 18n]);
    expect([amount!.min, amount!.max]).toEqual([SIGNED_OFFSET - 5_000_000n, SIGNED_OFFSET + 5_000_000n]);
    // Unused enumeration slots repeat the first code, never 0 unless 0 is listed.
    expect(regionRule!.allowed).toEqual([0n, 1n, 2n, 3n, 0n, 0n, 0n, 0n]);
    expect(memo!.flags).toBe(0n);
  });

  it('is Poseidon over the column hashes and changes with any rule parameter', () => {
    expect(rulesHash(rules)).toBe(poseidonHash(rules.map(columnRuleHash)));
    const looser = encodeRules(tradeSchema, { ...tradeRules, buyer_age: { ...tradeRules.buyer_age, range: { min: 17, max: 120 } } });
    expect(rulesHash(looser)).not.toBe(rulesHash(rules));
  });

  it('refuses rules a column type cannot carry, and unknown columns', () => {
    expect(() => encodeRules(tradeSchema, { memo: { range: { min: 'a', max: 'b' } } })).toThrow(RangeError);
    expect(() => encodeRules(tradeSchema, { region: { noResidentIdNumbers: true } })).toThrow(RangeError);
    expect(() => encodeRules(tradeSchema, { nope: { nonNull: true } })).toThrow(RangeError);
    expect(() => encodeRules(tradeSchema, { region: { allowed: ['华北', 'nowhere'] } })).toThrow(CellEncodingError);
  });

  it('refuses rules on a column past the proved ones, and leaves that column out of rulesHash', () => {
    const wide = { columns: [...wideTradeSchema.columns] };
    expect(() => encodeRules(wide, { ...tradeRules, shipped_km: { range: { min: 0, max: 10 } } })).toThrow(UnprovedColumnError);
    // The proved columns are the same four as tradeSchema's: the same rule records, the same hash.
    expect(rulesHash(encodeRules(wide, tradeRules))).toBe(rulesHash(rules));
  });

  it('clamps the resident-ID interval to what a decimal column can hold', () => {
    const [, amount] = encodeRules(tradeSchema, { amount: { noResidentIdNumbers: true } });
    // 10^19 in hundredths exceeds a signed 64-bit value: the interval is empty.
    expect([amount!.forbiddenLow, amount!.forbiddenHigh]).toEqual([2n ** 64n - 1n, 2n ** 64n - 1n]);
  });

  it('finds the violations a circuit would refuse', () => {
    const ok = encodeRow(tradeSchema, tradeRows(1)[0]!);
    expect(rowViolations(ok.values, ok.isNull, rules)).toEqual([]);
    const bad = encodeRow(tradeSchema, { buyer_age: 110105194912310020n, amount: '1.00', region: '东北', memo: null });
    expect(rowViolations(bad.values, bad.isNull, rules)).toEqual([
      'column 0: out of range',
      'column 0: has the shape of a resident ID number',
      'column 2: not an allowed value',
    ]);
  });
});

describe('sampleIndices', () => {
  it('is (Poseidon(root, nonce, i) mod 2^64) mod rowCount, the circuit derivation', () => {
    const root = 123456789n;
    const indices = sampleIndices(root, 42n, 1000, 4);
    expect(indices).toEqual([0n, 1n, 2n, 3n].map((i) => Number((poseidonHash([root, 42n, i]) & (2n ** 64n - 1n)) % 1000n)));
    expect(sampleIndices(root, 43n, 1000, 4)).not.toEqual(indices);
    expect(sampleIndices(root, 42n, 1, 3)).toEqual([0, 0, 0]);
  });

  it('refuses a row count the tree cannot hold and a nonce outside the field', () => {
    expect(() => sampleIndices(1n, 1n, 0)).toThrow(RangeError);
    expect(() => sampleIndices(1n, 1n, 2 ** 20 + 1)).toThrow(RangeError);
    expect(() => sampleIndices(1n, SNARK_SCALAR_FIELD, 10)).toThrow(RangeError);
  });
});

describe('circuit parameters', () => {
  // The sizes are compile-time parameters of each circuit's main component.
  const main = (circuit: string) =>
    /component main[^=]*=\s*\w+\(([^)]*)\);/
      .exec(readFileSync(new URL(`../../circuits/${circuit}.circom`, import.meta.url), 'utf8'))![1]!
      .split(',')
      .map((x) => Number(x.trim()));

  it('match the component main lines of the circuits', () => {
    const { COMPLIANCE_COLUMNS: C, ENUMERATION_SLOTS: E, DATASET_TREE_DEPTH: depth } = parameters;
    expect(main('rule_chunk')).toEqual([parameters.RULE_CHUNK_LEVELS, C, E, depth]);
    expect(main('sampled_audit')).toEqual([parameters.AUDIT_SAMPLES, C, E, depth]);
    expect(main('min_group_size')).toEqual([parameters.GROUP_CHUNK_LEVELS, C, parameters.GROUP_CODES, depth]);
    expect(main('positive_list')).toEqual([parameters.POSITIVE_LIST_DEPTH]);
  });
});
