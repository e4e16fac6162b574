// Prover side of circuits/min_group_size.circom: every group of a categorical column holds no
// rows or at least k rows (k-anonymity of one column). Proved as a chain over the dataset's
// chunks: proof i adds chunk i's rows to running per-group counts, hidden under a salted
// commitment (the tally) that links it to proof i-1; the proof of the last chunk checks the
// totals against k. Codes are 0 … GROUP_CODES-1; nulls are counted as one more group.

import { isFieldElement, poseidonHash } from '../poseidon.ts';
import type { CommittedDataset } from './dataset-commitment.ts';
import { proveGroth16, type Groth16ProofWithSignals, type ProverArtifacts } from './groth16.ts';
import { COMPLIANCE_COLUMNS, DATASET_TREE_DEPTH, GROUP_CHUNK_LEVELS, GROUP_CHUNK_ROWS, GROUP_CODES } from './parameters.ts';
import { UnprovedColumnError } from './dataset-schema.ts';
import { chunkSlots } from './rule-chunk.ts';

/** The circuit's signals one to one: public root … tallyAfter; private values … salt. */
export interface MinGroupSizeInput {
  root: bigint;
  rowCount: bigint;
  chunkIndex: bigint;
  groupColumn: bigint;
  k: bigint;
  tallyBefore: bigint;
  tallyAfter: bigint;
  values: bigint[][];
  isNull: number[][];
  restHash: bigint[];
  siblings: bigint[];
  countsBefore: bigint[];
  salt: bigint;
}

export const MIN_GROUP_SIZE_PUBLIC_SIGNALS = [
  'root',
  'rowCount',
  'chunkIndex',
  'groupColumn',
  'k',
  'tallyBefore',
  'tallyAfter',
] as const;

/** The null group's slot in the count vector, after the codes. */
export const NULL_GROUP = GROUP_CODES;

/** tally = Poseidon(…Poseidon(Poseidon(salt, counts[0..14]), counts[15..29])…), as TallyCommitment computes it. */
export function tallyCommitment(salt: bigint, counts: readonly bigint[]): bigint {
  if (counts.length !== GROUP_CODES + 1) throw new RangeError(`a tally has ${GROUP_CODES + 1} counts`);
  let tally = salt;
  for (let i = 0; i < counts.length; i += 15) tally = poseidonHash([tally, ...counts.slice(i, i + 15)]);
  return tally;
}

/** How many min_group_size proofs a dataset needs: one per chunk, 0 … n-1. */
export function groupChunkCount(rowCount: number): number {
  return Math.ceil(rowCount / GROUP_CHUNK_ROWS);
}

/**
 * The inputs of every proof in the chain, chunk 0 first. A row whose code is not a group code is
 * left uncounted here; the circuit refuses it.
 */
export function minGroupSizeInputs(options: {
  dataset: CommittedDataset;
  /** The group column's index among the proved columns: provedColumnIndex(schema, name). */
  groupColumn: number;
  k: number;
  /** A random field element, kept secret: it hides the running counts in the public tallies. */
  salt: bigint;
}): MinGroupSizeInput[] {
  const { dataset, groupColumn, k, salt } = options;
  if (!Number.isInteger(groupColumn) || groupColumn < 0 || groupColumn >= COMPLIANCE_COLUMNS) {
    throw new UnprovedColumnError(`groupColumn must be 0 to ${COMPLIANCE_COLUMNS - 1}: one of the proved columns (provedColumnIndex names them)`);
  }
  if (!Number.isInteger(k) || k < 1 || k >= 2 ** (DATASET_TREE_DEPTH + 1)) throw new RangeError('k must be a positive integer');
  if (!isFieldElement(salt)) throw new RangeError('the salt must be a field element');

  const counts = new Array<bigint>(GROUP_CODES + 1).fill(0n);
  const inputs: MinGroupSizeInput[] = [];
  for (let chunk = 0; chunk < groupChunkCount(dataset.rowCount); chunk++) {
    const countsBefore = [...counts];
    for (const row of dataset.rows.slice(chunk * GROUP_CHUNK_ROWS, (chunk + 1) * GROUP_CHUNK_ROWS)) {
      const value = row.values[groupColumn]!;
      if (row.isNull[groupColumn] === 1) counts[NULL_GROUP]! += 1n;
      else if (value < BigInt(GROUP_CODES)) counts[Number(value)]! += 1n;
    }
    inputs.push({
      root: dataset.root,
      rowCount: BigInt(dataset.rowCount),
      chunkIndex: BigInt(chunk),
      groupColumn: BigInt(groupColumn),
      k: BigInt(k),
      tallyBefore: tallyCommitment(salt, countsBefore),
      tallyAfter: tallyCommitment(salt, counts),
      ...chunkSlots(dataset, chunk, GROUP_CHUNK_ROWS),
      siblings: dataset.tree.siblings(chunk, GROUP_CHUNK_LEVELS),
      countsBefore,
      salt,
    });
  }
  return inputs;
}

/** One link of the chain; rejects when the chunk cannot be counted, or when the last link finds a group under k. */
export function proveMinGroupSize(input: MinGroupSizeInput, artifacts: ProverArtifacts): Promise<Groth16ProofWithSignals> {
  return proveGroth16({ ...input }, artifacts);
}
