// What a compliance proof states: its public signals decoded by name, so that the exchange can
// hold them against the dataset version they claim to be about (its commitment, its declared
// rules, the positive list in force), and the checks that a set of chunk proofs covers a whole
// dataset. A verified proof only says "this statement is true"; these say which statement.

import { circuitSpec, type CircuitName } from '../../../circuits/registry.ts';
import { GROUP_CHUNK_ROWS, RULE_CHUNK_ROWS } from '../../../sdk/zk/parameters.ts';
import { parsePublicSignals, verifyGroth16 } from './verify.ts';

export interface Statements {
  range_commitment: { commitment: bigint; min: bigint; max: bigint };
  rule_chunk: { root: bigint; rulesHash: bigint; chunkIndex: bigint; rowCount: bigint };
  sampled_audit: { root: bigint; rulesHash: bigint; nonce: bigint; rowCount: bigint };
  positive_list: { listRoot: bigint; destination: bigint; category: bigint };
  min_group_size: {
    root: bigint;
    rowCount: bigint;
    chunkIndex: bigint;
    groupColumn: bigint;
    k: bigint;
    tallyBefore: bigint;
    tallyAfter: bigint;
  };
}

export type Statement<N extends CircuitName> = Statements[N];

/**
 * The circuit's public signals by name, as bigints (the registry's order). Throws
 * MalformedProofError when they are not the circuit's number of field elements.
 */
export function decodePublicSignals<N extends CircuitName>(circuit: N, publicSignals: unknown): Statement<N> {
  const names = circuitSpec(circuit).publicSignals;
  const signals = parsePublicSignals(publicSignals, names.length);
  return Object.fromEntries(names.map((name, i) => [name, BigInt(signals[i]!)])) as Statement<N>;
}

/** The inverse of decodePublicSignals: the statement as the decimal strings a proof carries. */
export function encodePublicSignals<N extends CircuitName>(circuit: N, statement: Statement<N>): string[] {
  return circuitSpec(circuit).publicSignals.map((name) => (statement as Record<string, bigint>)[name]!.toString());
}

/** The decoded statement when the proof verifies, null when it does not (MalformedProofError on bad shapes). */
export async function verifyStatement<N extends CircuitName>(circuit: N, publicSignals: unknown, proof: unknown): Promise<Statement<N> | null> {
  const statement = decodePublicSignals(circuit, publicSignals);
  return (await verifyGroth16(circuit, publicSignals, proof)) ? statement : null;
}

/** Why a set of verified statements does not prove what the dataset version needs; empty when it does. */
export type CoverageGap = string;

/**
 * Whether verified rule_chunk statements cover a dataset version: each is about (root, rowCount)
 * under rulesHash, and together they are chunks 0 … ⌈rowCount/R⌉ − 1. With all of them, every
 * row obeys the rules and the tree holds no row past rowCount (the last chunk proves that).
 */
export function ruleChunkCoverageGaps(
  statements: readonly Statement<'rule_chunk'>[],
  expected: { root: bigint; rowCount: bigint; rulesHash: bigint },
): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const chunks = (expected.rowCount + BigInt(RULE_CHUNK_ROWS) - 1n) / BigInt(RULE_CHUNK_ROWS);
  const seen = new Set<bigint>();
  for (const s of statements) {
    if (s.root !== expected.root || s.rowCount !== expected.rowCount) gaps.push(`chunk ${s.chunkIndex} is about another commitment`);
    else if (s.rulesHash !== expected.rulesHash) gaps.push(`chunk ${s.chunkIndex} was proved under other rules`);
    else seen.add(s.chunkIndex);
  }
  for (let i = 0n; i < chunks; i++) if (!seen.has(i)) gaps.push(`chunk ${i} is not proved`);
  return gaps;
}

/**
 * Whether verified min_group_size statements form the complete chain for a dataset version:
 * chunks 0 … ⌈rowCount/R⌉ − 1 in order, all about (root, rowCount), the same column and k, each
 * starting from the tally the previous one ended with. The circuit makes chunk 0 start from zero
 * counts and the last chunk check every group against k, so the complete chain proves it for the
 * whole dataset.
 */
export function groupSizeChainGaps(
  statements: readonly Statement<'min_group_size'>[],
  expected: { root: bigint; rowCount: bigint; groupColumn: bigint; k: bigint },
): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  const chunks = (expected.rowCount + BigInt(GROUP_CHUNK_ROWS) - 1n) / BigInt(GROUP_CHUNK_ROWS);
  const ordered = [...statements].sort((a, b) => (a.chunkIndex < b.chunkIndex ? -1 : a.chunkIndex > b.chunkIndex ? 1 : 0));
  if (BigInt(ordered.length) !== chunks) gaps.push(`the chain has ${ordered.length} links, the dataset ${chunks} chunks`);
  ordered.forEach((s, i) => {
    if (s.chunkIndex !== BigInt(i)) gaps.push(`link ${i} is chunk ${s.chunkIndex}`);
    if (s.root !== expected.root || s.rowCount !== expected.rowCount) gaps.push(`chunk ${s.chunkIndex} is about another commitment`);
    if (s.groupColumn !== expected.groupColumn || s.k !== expected.k) gaps.push(`chunk ${s.chunkIndex} proves another column or k`);
    if (i > 0 && s.tallyBefore !== ordered[i - 1]!.tallyAfter) gaps.push(`chunk ${s.chunkIndex} does not continue chunk ${ordered[i - 1]!.chunkIndex}`);
  });
  return gaps;
}
