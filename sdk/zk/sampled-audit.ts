// Prover side of circuits/sampled_audit.circom: AUDIT_SAMPLES rows of a committed dataset, at
// indices neither side chooses (Fiat–Shamir over the root and the verifier's nonce), obey the
// declared rules. If a fraction p of the rows breaks a rule, an honest-looking proof exists only
// when every sample misses them: probability (1 − p)^s.

import { poseidonHash, SNARK_SCALAR_FIELD } from '../poseidon.ts';
import type { CommittedDataset } from './dataset-commitment.ts';
import { proveGroth16, type Groth16ProofWithSignals, type ProverArtifacts } from './groth16.ts';
import { AUDIT_SAMPLES, DATASET_TREE_DEPTH } from './parameters.ts';
import { ruleInputs, rulesHash, type EncodedColumnRule } from './rules.ts';

/** The circuit's signals one to one: public root, rulesHash, nonce, rowCount; the rest private. */
export interface SampledAuditInput {
  root: bigint;
  rulesHash: bigint;
  nonce: bigint;
  rowCount: bigint;
  indices: bigint[];
  values: bigint[][];
  isNull: number[][];
  restHash: bigint[];
  siblings: bigint[][];
  lastLeaf: bigint;
  lastSiblings: bigint[];
  flags: bigint[];
  min: bigint[];
  max: bigint[];
  forbiddenLow: bigint[];
  forbiddenHigh: bigint[];
  allowed: bigint[][];
}

export const SAMPLED_AUDIT_PUBLIC_SIGNALS = ['root', 'rulesHash', 'nonce', 'rowCount'] as const;

const LOW_64 = (1n << 64n) - 1n;

/**
 * The rows a sampled audit opens, as the circuit derives them: sample i is
 * (Poseidon(root, nonce, i) mod 2^64) mod rowCount, for i = 0 … s-1 (with repetition).
 */
export function sampleIndices(root: bigint, nonce: bigint, rowCount: number, s: number = AUDIT_SAMPLES): number[] {
  if (!Number.isSafeInteger(rowCount) || rowCount < 1 || rowCount > 2 ** DATASET_TREE_DEPTH) {
    throw new RangeError(`rowCount must be 1 to 2^${DATASET_TREE_DEPTH}`);
  }
  if (nonce < 0n || nonce >= SNARK_SCALAR_FIELD) throw new RangeError('the nonce must be a field element');
  return Array.from({ length: s }, (_, i) => Number((poseidonHash([root, nonce, BigInt(i)]) & LOW_64) % BigInt(rowCount)));
}

export function sampledAuditInput(options: {
  dataset: CommittedDataset;
  rules: readonly EncodedColumnRule[];
  /** The verifier's challenge, issued after the commitment was recorded. */
  nonce: bigint;
}): SampledAuditInput {
  const { dataset, rules, nonce } = options;
  const indices = sampleIndices(dataset.root, nonce, dataset.rowCount);
  const last = dataset.rowCount - 1;
  return {
    root: dataset.root,
    rulesHash: rulesHash(rules),
    nonce,
    rowCount: BigInt(dataset.rowCount),
    indices: indices.map(BigInt),
    values: indices.map((i) => [...dataset.rows[i]!.values]),
    isNull: indices.map((i) => [...dataset.rows[i]!.isNull]),
    restHash: indices.map((i) => dataset.rows[i]!.restHash),
    siblings: indices.map((i) => dataset.tree.siblings(i)),
    lastLeaf: dataset.tree.node(0, last),
    lastSiblings: dataset.tree.siblings(last),
    ...ruleInputs(rules),
  };
}

/** A proof that the sampled rows obey the rules; rejects when one of them breaks a rule. */
export function proveSampledAudit(input: SampledAuditInput, artifacts: ProverArtifacts): Promise<Groth16ProofWithSignals> {
  return proveGroth16({ ...input }, artifacts);
}
