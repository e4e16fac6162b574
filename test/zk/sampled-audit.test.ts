// The sampled_audit circuit: one proof over a 1,000-row dataset, made once and reused; every
// refusal is a witness that does not satisfy the circuit.

import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitDataset, type CommittedDataset } from '../../sdk/zk/dataset-commitment.ts';
import type { Groth16ProofWithSignals, ProverArtifacts } from '../../sdk/zk/groth16.ts';
import { AUDIT_SAMPLES } from '../../sdk/zk/parameters.ts';
import { encodeRules, rulesHash, type EncodedColumnRule } from '../../sdk/zk/rules.ts';
import { proveSampledAudit, sampledAuditInput, sampleIndices, type SampledAuditInput } from '../../sdk/zk/sampled-audit.ts';
import { decodePublicSignals } from '../../server/privacy/zk/statements.ts';
import { closeZk, verifyGroth16 } from '../../server/privacy/zk/verify.ts';
import { proverArtifacts, tradeRows, tradeRules, tradeSchema, wideTradeRows, wideTradeSchema } from '../factories/compliance-datasets.ts';

const ROWS = 1000;
const NONCE = 0x5eed_2026_0001n;

let artifacts: ProverArtifacts;
let dataset: CommittedDataset;
let rules: EncodedColumnRule[];
let honest: Groth16ProofWithSignals;

beforeAll(async () => {
  artifacts = await proverArtifacts('sampled_audit');
  dataset = commitDataset(tradeSchema, tradeRows(ROWS));
  rules = encodeRules(tradeSchema, tradeRules);
  honest = await proveSampledAudit(sampledAuditInput({ dataset, rules, nonce: NONCE }), artifacts);
});

afterAll(async () => {
  await closeZk();
});

function witness(input: SampledAuditInput): Promise<void> {
  return snarkjs.wtns.calculate({ ...input }, artifacts.wasm, { type: 'mem' });
}

/** Fails in the named template's own assertion, not in a component inside it. */
const failsIn = (template: string) => new RegExp(`Assert Failed\\.\\s*Error in template ${template}_`);

describe('proveSampledAudit', () => {
  it('proves the sampled rows obey the rules, with public signals root, rulesHash, nonce, rowCount', async () => {
    expect(decodePublicSignals('sampled_audit', honest.publicSignals)).toEqual({
      root: dataset.root,
      rulesHash: rulesHash(rules),
      nonce: NONCE,
      rowCount: BigInt(ROWS),
    });
    expect(await verifyGroth16('sampled_audit', honest.publicSignals, honest.proof)).toBe(true);
  });

  it('opens exactly the rows sampleIndices derives from the root and the nonce', () => {
    const input = sampledAuditInput({ dataset, rules, nonce: NONCE });
    expect(input.indices.map(Number)).toEqual(sampleIndices(dataset.root, NONCE, ROWS));
    expect(input.indices).toHaveLength(AUDIT_SAMPLES);
  });
});

describe('sampled_audit refuses', () => {
  it('a sample index the provider chose instead of the derived one, even with a valid opening', async () => {
    const input = sampledAuditInput({ dataset, rules, nonce: NONCE });
    const chosen = (Number(input.indices[0]) + 1) % ROWS;
    input.indices[0] = BigInt(chosen);
    input.values[0] = [...dataset.rows[chosen]!.values];
    input.isNull[0] = [...dataset.rows[chosen]!.isNull];
    input.restHash[0] = dataset.rows[chosen]!.restHash;
    input.siblings[0] = dataset.tree.siblings(chosen);
    await expect(witness(input)).rejects.toThrow(failsIn('SampleIndex'));
  });

  it('rows sampled for another nonce than the public one', async () => {
    const input = { ...sampledAuditInput({ dataset, rules, nonce: NONCE + 1n }), nonce: NONCE };
    await expect(witness(input)).rejects.toThrow(failsIn('SampleIndex'));
  });

  it('a sampled row that breaks a rule', async () => {
    // Every other row has an under-age buyer: the samples miss them all with probability 2^-s.
    // The reviewer's nonce decides the samples; take the first nonce whose samples hit one.
    const bad = commitDataset(
      tradeSchema,
      tradeRows(ROWS).map((row, i) => (i % 2 === 0 ? { ...row, buyer_age: 17 } : row)),
    );
    let nonce = NONCE;
    while (!sampleIndices(bad.root, nonce, ROWS).some((i) => i % 2 === 0)) nonce++;
    await expect(witness(sampledAuditInput({ dataset: bad, rules, nonce }))).rejects.toThrow(/CellObeysRule/);
  });

  it('a wrong Merkle path for a sample', async () => {
    const input = sampledAuditInput({ dataset, rules, nonce: NONCE });
    const last = input.siblings.length - 1;
    input.siblings[last]![7] = input.siblings[last]![7]! + 1n;
    await expect(witness(input)).rejects.toThrow(failsIn('SampledAudit'));
  });

  it('a wrong root', async () => {
    const other = commitDataset(tradeSchema, tradeRows(ROWS - 1));
    const input = { ...sampledAuditInput({ dataset, rules, nonce: NONCE }), root: other.root };
    await expect(witness(input)).rejects.toThrow();
  });

  it('a row count below the rows the tree holds', async () => {
    const input = sampledAuditInput({ dataset: { ...dataset, rowCount: ROWS - 1 }, rules, nonce: NONCE });
    await expect(witness(input)).rejects.toThrow(failsIn('NothingToTheRight'));
  });
});

describe('sampled_audit over a dataset wider than the proved columns', () => {
  it('opens rows of ten columns, and refuses one whose other cells changed after the commitment', async () => {
    const wide = commitDataset(wideTradeSchema, wideTradeRows(ROWS));
    const input = sampledAuditInput({ dataset: wide, rules: encodeRules(wideTradeSchema, tradeRules), nonce: NONCE });
    await expect(witness(input)).resolves.toBeUndefined();
    input.restHash[1] = input.restHash[1]! + 1n;
    await expect(witness(input)).rejects.toThrow(failsIn('SampledAudit'));
  });
});

describe('what sampling does not see', () => {
  it('accepts a dataset whose one bad row no sample hits: the (1 − p)^s limit', async () => {
    const rows = tradeRows(ROWS);
    const unsampled = [...Array(ROWS).keys()].find((i) => {
      const candidate = commitDataset(tradeSchema, rows.map((row, j) => (j === i ? { ...row, buyer_age: 17 } : row)));
      return !sampleIndices(candidate.root, NONCE, ROWS).includes(i);
    })!;
    const bad = commitDataset(tradeSchema, rows.map((row, j) => (j === unsampled ? { ...row, buyer_age: 17 } : row)));
    await expect(witness(sampledAuditInput({ dataset: bad, rules, nonce: NONCE }))).resolves.toBeUndefined();
  });
});

describe('verifyGroth16 on sampled_audit', () => {
  it.each([
    { signal: 'root', index: 0 },
    { signal: 'rulesHash', index: 1 },
    { signal: 'nonce', index: 2 },
    { signal: 'rowCount', index: 3 },
  ])('fails for another $signal', async ({ index }) => {
    const altered = honest.publicSignals.map((s, i) => (i === index ? (BigInt(s) + 1n).toString() : s));
    expect(await verifyGroth16('sampled_audit', altered, honest.proof)).toBe(false);
  });
});
