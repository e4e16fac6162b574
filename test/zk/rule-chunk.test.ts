// The rule_chunk circuit end to end: the sdk witness and prover, the server's verifier and
// statement checks, and the circuit refusing each kind of bad row or bad opening. Two proofs
// (chunk 0 and the last chunk of a 1½-chunk dataset) are made once and reused; every refusal is
// a witness that does not satisfy the circuit, which costs no proof.

import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNARK_SCALAR_FIELD } from '../../sdk/poseidon.ts';
import { commitDataset, commitEncodedRows, datasetCommitment, type CommittedDataset } from '../../sdk/zk/dataset-commitment.ts';
import { encodeRow, SIGNED_OFFSET, type EncodedRow } from '../../sdk/zk/dataset-schema.ts';
import type { Groth16ProofWithSignals, ProverArtifacts } from '../../sdk/zk/groth16.ts';
import { proveRuleChunk, ruleChunkCount, ruleChunkInput, type RuleChunkInput } from '../../sdk/zk/rule-chunk.ts';
import { encodeRules, rulesHash, type EncodedColumnRule } from '../../sdk/zk/rules.ts';
import { decodePublicSignals, ruleChunkCoverageGaps, verifyStatement, type Statement } from '../../server/privacy/zk/statements.ts';
import { RULE_CHUNK_ROWS } from '../../sdk/zk/parameters.ts';
import { closeZk, verifyGroth16 } from '../../server/privacy/zk/verify.ts';
import { proverArtifacts, tradeRows, tradeRules, tradeSchema, wideTradeRows, wideTradeSchema, withRow } from '../factories/compliance-datasets.ts';

// Chunk 0 full; chunk 1 (the last) half full, its other slots empty.
const ROWS = RULE_CHUNK_ROWS + RULE_CHUNK_ROWS / 2;
const BAD_ROW = RULE_CHUNK_ROWS + 1;

let artifacts: ProverArtifacts;
let dataset: CommittedDataset;
let rules: EncodedColumnRule[];
let first: Groth16ProofWithSignals;
let last: Groth16ProofWithSignals;

beforeAll(async () => {
  artifacts = await proverArtifacts('rule_chunk');
  dataset = commitDataset(tradeSchema, tradeRows(ROWS));
  rules = encodeRules(tradeSchema, tradeRules);
  first = await proveRuleChunk(ruleChunkInput({ dataset, rules, chunkIndex: 0 }), artifacts);
  last = await proveRuleChunk(ruleChunkInput({ dataset, rules, chunkIndex: 1 }), artifacts);
});

afterAll(async () => {
  await closeZk();
});

/** Resolves when the input satisfies the circuit; rejects with the failing template otherwise. */
function witness(input: RuleChunkInput): Promise<void> {
  return snarkjs.wtns.calculate({ ...input }, artifacts.wasm, { type: 'mem' });
}

/** The last chunk's input for the dataset with row BAD_ROW changed. */
function lastChunkWith(change: Record<string, unknown>, ruleSet = rules): RuleChunkInput {
  const changed = commitDataset(tradeSchema, withRow(tradeRows(ROWS), BAD_ROW, change));
  return ruleChunkInput({ dataset: changed, rules: ruleSet, chunkIndex: 1 });
}

/** The last chunk's input over encoded rows, cell (BAD_ROW, 0) set to a raw field element. */
function lastChunkWithRawAge(value: bigint, ruleSet: EncodedColumnRule[]): RuleChunkInput {
  const rows: EncodedRow[] = tradeRows(ROWS).map((row) => encodeRow(tradeSchema, row));
  rows[BAD_ROW] = { ...rows[BAD_ROW]!, values: [value, ...rows[BAD_ROW]!.values.slice(1)] };
  return ruleChunkInput({ dataset: commitEncodedRows(rows), rules: ruleSet, chunkIndex: 1 });
}

describe('proveRuleChunk', () => {
  it('proves the last chunk, padding included, with public signals root, rulesHash, chunkIndex, rowCount', async () => {
    expect(decodePublicSignals('rule_chunk', last.publicSignals)).toEqual({
      root: dataset.root,
      rulesHash: rulesHash(rules),
      chunkIndex: 1n,
      rowCount: BigInt(ROWS),
    });
    expect(await verifyGroth16('rule_chunk', last.publicSignals, last.proof)).toBe(true);
  });

  it('covers the dataset with one verified proof per chunk, all against the same root and rules', async () => {
    expect(ruleChunkCount(ROWS)).toBe(2);
    const statements = await Promise.all(
      [first, last].map((p) => verifyStatement('rule_chunk', p.publicSignals, p.proof) as Promise<Statement<'rule_chunk'>>),
    );
    const expected = { root: dataset.root, rowCount: BigInt(ROWS), rulesHash: rulesHash(rules) };
    expect(ruleChunkCoverageGaps(statements, expected)).toEqual([]);
    expect(ruleChunkCoverageGaps(statements.slice(1), expected)).toEqual(['chunk 0 is not proved']);
    expect(ruleChunkCoverageGaps(statements, { ...expected, rulesHash: 1n })).toEqual([
      'chunk 0 was proved under other rules',
      'chunk 1 was proved under other rules',
      'chunk 0 is not proved',
      'chunk 1 is not proved',
    ]);
  });

  it('refuses a chunk outside the dataset on entry', () => {
    expect(() => ruleChunkInput({ dataset, rules, chunkIndex: 2 })).toThrow(RangeError);
  });
});

describe('rule_chunk refuses a row that breaks a rule', () => {
  it.each([
    { case: 'an age just below the range', change: { buyer_age: 17 } },
    { case: 'an age just above the range', change: { buyer_age: 121 } },
    { case: 'a region outside the enumeration', change: { region: '东北' } },
    { case: 'a null in a non-null column', change: { region: null } },
    { case: 'an amount just outside its range', change: { amount: '50000.01' } },
  ])('$case', async ({ change }) => {
    await expect(witness(lastChunkWith(change))).rejects.toThrow(/CellObeysRule|RowObeysRules/);
  });

  it('accepts the range bounds themselves and a null where nulls are allowed', async () => {
    await expect(witness(lastChunkWith({ buyer_age: 18, amount: '-50000', memo: null }))).resolves.toBeUndefined();
    await expect(witness(lastChunkWith({ buyer_age: 120, amount: null }))).resolves.toBeUndefined();
  });

  describe('the resident-ID shape in a non-personal column', () => {
    const idRules = encodeRules(tradeSchema, { buyer_age: { noResidentIdNumbers: true } });

    it.each([
      { case: 'a valid-looking ID number', age: 110105194912310020n },
      { case: 'the smallest 18-digit value', age: 10n ** 17n },
      { case: 'the largest 18-digit value', age: 10n ** 18n - 1n },
    ])('refuses $case', async ({ age }) => {
      await expect(witness(lastChunkWith({ buyer_age: age }, idRules))).rejects.toThrow(/CellObeysRule/);
    });

    it.each([
      { case: '17 digits', age: 10n ** 17n - 1n },
      { case: '19 digits', age: 10n ** 18n },
      { case: 'a negative 18-digit value', age: -(10n ** 17n) },
    ])('accepts $case', async ({ age }) => {
      await expect(witness(lastChunkWith({ buyer_age: age }, idRules))).resolves.toBeUndefined();
    });
  });

  describe('values past 64 bits, fed directly (the sdk encoding bypassed)', () => {
    // The full signed range: any encoded value below 2^64 is inside it.
    const fullRange = encodeRules(tradeSchema, { buyer_age: { range: { min: -(2n ** 63n), max: 2n ** 63n - 1n } } });

    it('accepts the largest encoded value, 2^64 - 1', async () => {
      await expect(witness(lastChunkWithRawAge(2n ** 64n - 1n, fullRange))).resolves.toBeUndefined();
    });

    it.each([
      { case: '2^64', value: 2n ** 64n },
      { case: 'p - 1, a field-wrapped -1', value: SNARK_SCALAR_FIELD - 1n },
      { case: 'p - 2^63, a field-wrapped -2^63', value: SNARK_SCALAR_FIELD - SIGNED_OFFSET },
    ])('refuses $case', async ({ value }) => {
      await expect(witness(lastChunkWithRawAge(value, fullRange))).rejects.toThrow(/CellObeysRule/);
    });
  });
});

describe('rule_chunk refuses an opening that does not match the commitment', () => {
  it('a wrong Merkle path', async () => {
    const input = ruleChunkInput({ dataset, rules, chunkIndex: 1 });
    input.siblings[5] = input.siblings[5]! + 1n;
    await expect(witness(input)).rejects.toThrow(/DatasetChunk/);
  });

  it('a wrong root', async () => {
    const other = commitDataset(tradeSchema, tradeRows(ROWS + 1));
    await expect(witness({ ...ruleChunkInput({ dataset, rules, chunkIndex: 1 }), root: other.root })).rejects.toThrow(/DatasetChunk/);
  });

  it('a row changed after the commitment', async () => {
    const input = ruleChunkInput({ dataset, rules, chunkIndex: 1 });
    input.values[0]![0] = input.values[0]![0]! + 1n;
    await expect(witness(input)).rejects.toThrow(/DatasetChunk/);
  });

  it('rules other than those rulesHash names', async () => {
    const looser = encodeRules(tradeSchema, { ...tradeRules, buyer_age: { range: { min: 0, max: 200 } } });
    const input = { ...ruleChunkInput({ dataset, rules: looser, chunkIndex: 1 }), rulesHash: rulesHash(rules) };
    // RuleChunk's own assertion (rules.hash === rulesHash), not one of the components' inside it.
    await expect(witness(input)).rejects.toThrow(/Assert Failed\.\s*Error in template RuleChunk_/);
  });

  it('a row count below the rows the tree holds, claimed in the chunk that would be last', async () => {
    // Chunk 0 as the last chunk of a one-chunk dataset: chunk 1's subtree to its right is not empty.
    const input = { ...ruleChunkInput({ dataset, rules, chunkIndex: 0 }), rowCount: BigInt(RULE_CHUNK_ROWS) };
    await expect(witness(input)).rejects.toThrow(/NothingToTheRight/);
  });

  it('a row count that leaves real rows in the chunk as padding', async () => {
    const input = { ...ruleChunkInput({ dataset, rules, chunkIndex: 1 }), rowCount: 90n };
    await expect(witness(input)).rejects.toThrow(/DatasetChunk/);
  });
});

describe('rule_chunk over a dataset wider than the proved columns', () => {
  // Ten columns: the rules' four first, six more bound only through each row's restHash.
  const wide = () => commitDataset(wideTradeSchema, wideTradeRows(ROWS));

  it('proves the rules on the first four columns against the commitment of all ten', async () => {
    const dataset = wide();
    expect(dataset.root).toBe(datasetCommitment(wideTradeSchema, wideTradeRows(ROWS)).root);
    expect(dataset.rows.every((row) => row.restHash !== 0n)).toBe(true);
    const rules = encodeRules(wideTradeSchema, tradeRules);
    const proof = await proveRuleChunk(ruleChunkInput({ dataset, rules, chunkIndex: 1 }), artifacts);
    expect(decodePublicSignals('rule_chunk', proof.publicSignals)).toMatchObject({ root: dataset.root, rulesHash: rulesHash(rules) });
    expect(await verifyGroth16('rule_chunk', proof.publicSignals, proof.proof)).toBe(true);
  });

  it('refuses a row whose other cells changed after the commitment', async () => {
    const input = ruleChunkInput({ dataset: wide(), rules, chunkIndex: 1 });
    input.restHash[0] = encodeRow(wideTradeSchema, { ...wideTradeRows(ROWS)[RULE_CHUNK_ROWS]!, note: 'changed' }).restHash;
    await expect(witness(input)).rejects.toThrow(/DatasetChunk/);
  });
});

describe('verifyGroth16 on rule_chunk', () => {
  it.each([
    { signal: 'root', index: 0 },
    { signal: 'rulesHash', index: 1 },
    { signal: 'chunkIndex', index: 2 },
    { signal: 'rowCount', index: 3 },
  ])('fails for another $signal', async ({ index }) => {
    const altered = last.publicSignals.map((s, i) => (i === index ? (BigInt(s) + 1n).toString() : s));
    expect(await verifyGroth16('rule_chunk', altered, last.proof)).toBe(false);
  });

  it("fails for chunk 0's signals with chunk 1's proof", async () => {
    expect(await verifyGroth16('rule_chunk', first.publicSignals, last.proof)).toBe(false);
  });
});
