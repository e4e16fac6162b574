// The min_group_size circuit: a two-link chain over a 100-row dataset whose four regions hold
// 25 rows each, proved once; every refusal is a witness that does not satisfy the circuit.

import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitDataset, commitEncodedRows, type CommittedDataset } from '../../sdk/zk/dataset-commitment.ts';
import { encodeRow, UnprovedColumnError } from '../../sdk/zk/dataset-schema.ts';
import type { Groth16ProofWithSignals, ProverArtifacts } from '../../sdk/zk/groth16.ts';
import { minGroupSizeInputs, proveMinGroupSize, tallyCommitment, type MinGroupSizeInput } from '../../sdk/zk/min-group-size.ts';
import { GROUP_CHUNK_ROWS, GROUP_CODES } from '../../sdk/zk/parameters.ts';
import { decodePublicSignals, groupSizeChainGaps, verifyStatement, type Statement } from '../../server/privacy/zk/statements.ts';
import { closeZk, verifyGroth16 } from '../../server/privacy/zk/verify.ts';
import { proverArtifacts, tradeRows, tradeSchema, wideTradeRows, wideTradeSchema, withRow } from '../factories/compliance-datasets.ts';

// Two links; the region column takes 华北, 华东, 华南, 西部 in turn, ROWS / 4 rows each.
const ROWS = 2 * GROUP_CHUNK_ROWS;
const REGION = 2;
const K = ROWS / 4;
const PER_CHUNK = BigInt(GROUP_CHUNK_ROWS / 4);
const SALT = 0x7a11_5a17n;

let artifacts: ProverArtifacts;
let dataset: CommittedDataset;
let chain: Groth16ProofWithSignals[];
let statements: Statement<'min_group_size'>[];

beforeAll(async () => {
  artifacts = await proverArtifacts('min_group_size');
  dataset = commitDataset(tradeSchema, tradeRows(ROWS));
  chain = [];
  for (const input of minGroupSizeInputs({ dataset, groupColumn: REGION, k: K, salt: SALT })) {
    chain.push(await proveMinGroupSize(input, artifacts));
  }
  statements = await Promise.all(chain.map((p) => verifyStatement('min_group_size', p.publicSignals, p.proof))) as Statement<'min_group_size'>[];
});

afterAll(async () => {
  await closeZk();
});

function witness(input: MinGroupSizeInput): Promise<void> {
  return snarkjs.wtns.calculate({ ...input }, artifacts.wasm, { type: 'mem' });
}

const failsIn = (template: string) => new RegExp(`Assert Failed\\.\\s*Error in template ${template}_`);
const expected = () => ({ root: dataset.root, rowCount: BigInt(ROWS), groupColumn: BigInt(REGION), k: BigInt(K) });

describe('proveMinGroupSize', () => {
  it('proves a chain of one link per chunk, each continuing the tally of the one before', () => {
    expect(statements.every((s) => s !== null)).toBe(true);
    const [first, last] = statements;
    expect(first).toMatchObject({ root: dataset.root, rowCount: BigInt(ROWS), chunkIndex: 0n, groupColumn: 2n, k: BigInt(K) });
    expect(last!.chunkIndex).toBe(1n);
    expect(last!.tallyBefore).toBe(first!.tallyAfter);
    // Link 0 starts from zero counts; the counts themselves stay behind the salt.
    expect(first!.tallyBefore).toBe(tallyCommitment(SALT, new Array(GROUP_CODES + 1).fill(0n)));
    expect(groupSizeChainGaps(statements, expected())).toEqual([]);
  });

  it('decodes the public signals by name', () => {
    expect(Object.keys(decodePublicSignals('min_group_size', chain[0]!.publicSignals))).toEqual([
      'root',
      'rowCount',
      'chunkIndex',
      'groupColumn',
      'k',
      'tallyBefore',
      'tallyAfter',
    ]);
  });

  it('finds the gaps in an incomplete or broken chain', () => {
    const [first, last] = statements as [Statement<'min_group_size'>, Statement<'min_group_size'>];
    expect(groupSizeChainGaps([first], expected())).toEqual(['the chain has 1 links, the dataset 2 chunks']);
    expect(groupSizeChainGaps([first, { ...last, tallyBefore: 1n }], expected())).toEqual(['chunk 1 does not continue chunk 0']);
    expect(groupSizeChainGaps([first, first], expected())).toEqual(['link 1 is chunk 0', 'chunk 0 does not continue chunk 0']);
    expect(groupSizeChainGaps(statements, { ...expected(), k: 5n })).toEqual([
      'chunk 0 proves another column or k',
      'chunk 1 proves another column or k',
    ]);
  });
});

describe('min_group_size refuses', () => {
  it('a group one row under k, in the last link', async () => {
    const links = minGroupSizeInputs({ dataset, groupColumn: REGION, k: K + 1, salt: SALT });
    await expect(witness(links[0]!)).resolves.toBeUndefined();
    await expect(witness(links[1]!)).rejects.toThrow(failsIn('MinGroupSize'));
  });

  it.each([
    { case: 'a group of one row', change: { region: '东北' } },
    { case: 'a null group of one row', change: { region: null } },
  ])('$case', async ({ change }) => {
    const small = commitDataset(tradeSchema, withRow(tradeRows(ROWS), ROWS - 2, change));
    const links = minGroupSizeInputs({ dataset: small, groupColumn: REGION, k: 2, salt: SALT });
    await expect(witness(links[1]!)).rejects.toThrow(failsIn('MinGroupSize'));
  });

  it(`a code past the ${GROUP_CODES} groups it counts, fed directly`, async () => {
    const rows = tradeRows(ROWS).map((row) => encodeRow(tradeSchema, row));
    rows[1] = { ...rows[1]!, values: rows[1]!.values.map((v, c) => (c === REGION ? BigInt(GROUP_CODES) : v)) };
    const links = minGroupSizeInputs({ dataset: commitEncodedRows(rows), groupColumn: REGION, k: 1, salt: SALT });
    await expect(witness(links[0]!)).rejects.toThrow(failsIn('MinGroupSize'));
  });

  it('a first link that does not start from zero counts', async () => {
    const [link] = minGroupSizeInputs({ dataset, groupColumn: REGION, k: K, salt: SALT });
    const countsBefore = link!.countsBefore.map((c, g) => (g === 0 ? 30n : c));
    const input = { ...link!, countsBefore, tallyBefore: tallyCommitment(SALT, countsBefore) };
    input.tallyAfter = tallyCommitment(SALT, countsBefore.map((c, g) => c + (g < 4 ? PER_CHUNK : 0n)));
    await expect(witness(input)).rejects.toThrow(failsIn('MinGroupSize'));
  });

  it('a link whose counts do not open its tallyBefore', async () => {
    const [, link] = minGroupSizeInputs({ dataset, groupColumn: REGION, k: K, salt: SALT });
    const input = { ...link!, countsBefore: link!.countsBefore.map((c, g) => (g === 1 ? c + 10n : c)) };
    await expect(witness(input)).rejects.toThrow(failsIn('MinGroupSize'));
  });

  it('a group column past the row width', async () => {
    const [link] = minGroupSizeInputs({ dataset, groupColumn: REGION, k: K, salt: SALT });
    await expect(witness({ ...link!, groupColumn: 4n })).rejects.toThrow(failsIn('MinGroupSize'));
  });

  it('a group column past the proved ones, on entry', () => {
    expect(() => minGroupSizeInputs({ dataset, groupColumn: 4, k: K, salt: SALT })).toThrow(UnprovedColumnError);
  });

  it('a row whose other cells changed after the commitment', async () => {
    const wide = commitDataset(wideTradeSchema, wideTradeRows(ROWS));
    const [link] = minGroupSizeInputs({ dataset: wide, groupColumn: REGION, k: K, salt: SALT });
    await expect(witness(link!)).resolves.toBeUndefined();
    await expect(witness({ ...link!, restHash: link!.restHash.map((h, j) => (j === 0 ? h + 1n : h)) })).rejects.toThrow(/DatasetChunk/);
  });
});

describe('verifyGroth16 on min_group_size', () => {
  it.each([
    { signal: 'root', index: 0 },
    { signal: 'rowCount', index: 1 },
    { signal: 'chunkIndex', index: 2 },
    { signal: 'groupColumn', index: 3 },
    { signal: 'k', index: 4 },
    { signal: 'tallyBefore', index: 5 },
    { signal: 'tallyAfter', index: 6 },
  ])('fails for another $signal', async ({ index }) => {
    const proof = chain[1]!;
    const altered = proof.publicSignals.map((s, i) => (i === index ? (BigInt(s) + 1n).toString() : s));
    expect(await verifyGroth16('min_group_size', altered, proof.proof)).toBe(false);
  });
});
