// Prover side of circuits/rule_chunk.circom: chunk `chunkIndex` (RULE_CHUNK_ROWS rows) of a
// committed dataset obeys the declared column rules. One proof per chunk, every chunk against the
// same (root, rowCount), covers the whole dataset.

import type { CommittedDataset } from './dataset-commitment.ts';
import { proveGroth16, type Groth16ProofWithSignals, type ProverArtifacts } from './groth16.ts';
import { COMPLIANCE_COLUMNS, RULE_CHUNK_LEVELS, RULE_CHUNK_ROWS } from './parameters.ts';
import { ruleInputs, rulesHash, type EncodedColumnRule } from './rules.ts';

/** The circuit's signals one to one: public root, rulesHash, chunkIndex, rowCount; the rest private. */
export interface RuleChunkInput {
  root: bigint;
  rulesHash: bigint;
  chunkIndex: bigint;
  rowCount: bigint;
  values: bigint[][];
  isNull: number[][];
  restHash: bigint[];
  siblings: bigint[];
  flags: bigint[];
  min: bigint[];
  max: bigint[];
  forbiddenLow: bigint[];
  forbiddenHigh: bigint[];
  allowed: bigint[][];
}

export const RULE_CHUNK_PUBLIC_SIGNALS = ['root', 'rulesHash', 'chunkIndex', 'rowCount'] as const;

/** How many rule_chunk proofs cover a dataset of `rowCount` rows: chunks 0 … n-1. */
export function ruleChunkCount(rowCount: number): number {
  return Math.ceil(rowCount / RULE_CHUNK_ROWS);
}

/** The R slots of a chunk: its rows, then empty slots (zero values, no null flags, restHash 0) past the last row. */
export function chunkSlots(dataset: CommittedDataset, chunkIndex: number, rowsPerChunk: number) {
  const values: bigint[][] = [];
  const isNull: number[][] = [];
  const restHash: bigint[] = [];
  for (let j = 0; j < rowsPerChunk; j++) {
    const row = dataset.rows[chunkIndex * rowsPerChunk + j];
    values.push(row ? [...row.values] : new Array<bigint>(COMPLIANCE_COLUMNS).fill(0n));
    isNull.push(row ? [...row.isNull] : new Array<number>(COMPLIANCE_COLUMNS).fill(0));
    restHash.push(row ? row.restHash : 0n);
  }
  return { values, isNull, restHash };
}

export function ruleChunkInput(options: {
  dataset: CommittedDataset;
  rules: readonly EncodedColumnRule[];
  chunkIndex: number;
}): RuleChunkInput {
  const { dataset, rules, chunkIndex } = options;
  if (!Number.isInteger(chunkIndex) || chunkIndex < 0 || chunkIndex >= ruleChunkCount(dataset.rowCount)) {
    throw new RangeError(`chunk ${chunkIndex} is not one of the dataset's ${ruleChunkCount(dataset.rowCount)} chunks`);
  }
  return {
    root: dataset.root,
    rulesHash: rulesHash(rules),
    chunkIndex: BigInt(chunkIndex),
    rowCount: BigInt(dataset.rowCount),
    ...chunkSlots(dataset, chunkIndex, RULE_CHUNK_ROWS),
    siblings: dataset.tree.siblings(chunkIndex, RULE_CHUNK_LEVELS),
    ...ruleInputs(rules),
  };
}

/** A proof that the chunk obeys the rules; rejects when a row breaks one (the rows are not checked here). */
export function proveRuleChunk(input: RuleChunkInput, artifacts: ProverArtifacts): Promise<Groth16ProofWithSignals> {
  return proveGroth16({ ...input }, artifacts);
}
