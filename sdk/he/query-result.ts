// What travels for each encrypted query kind: the buyer's upload and the server's answer. Both
// are JSON-safe (base64 strings and numbers, no bigint) so the GraphQL layer can carry them
// as they are; the ciphertexts open only with the buyer's secret key, and every other field
// is public to both sides.

import type { HeQueryKind } from './params.ts';

/** The buyer's group selection for the private group aggregate (one BFV ciphertext). */
export interface GroupAggregateQuery {
  kind: 'group-aggregate';
  /** base64 BFV ciphertext: slot g holds 1 if group g is selected, 0 otherwise. */
  selection: string;
  /** The group count the selection was made for; the server refuses another. */
  groupCount: number;
}

/** The buyer's hashed identifier set for the private ID-set match (sdk/he/id-set-match.ts). */
export interface IdSetMatchQuery {
  kind: 'id-set-match';
  /** The per-query hash salt, 32 hex digits: fresh for every query (see id-set-match.ts). */
  salt: string;
  /** log2 of the bucket domain D. */
  domainBits: number;
  /** D / 8192 base64 BFV ciphertexts: bucket j is slot j mod 8192 of chunk ⌊j / 8192⌋. */
  chunks: string[];
  /**
   * How many buckets the buyer marked, when the dataset's policy asks for a minimum set size;
   * the server checks it against the encrypted indicator without seeing it (a wrong figure
   * decrypts to noise). Disclosing it tells the provider the size of the buyer's set.
   */
  declaredBuckets: number | null;
}

/** The buyer's secret weights and group selection for the private linear score (CKKS). */
export interface LinearScoreQuery {
  kind: 'linear-score';
  /** base64 CKKS ciphertext: the 0/1 group selection, repeated over each group's column block. */
  selection: string;
  /** base64 CKKS ciphertext: the weights, normalised to Σ|w| = 1, repeated for every group. */
  weights: string;
  groupCount: number;
  columnCount: number;
}

export type HeQuery = GroupAggregateQuery | IdSetMatchQuery | LinearScoreQuery;

/** What the buyer is told about the differential-privacy noise in an answer. */
export interface NoiseDisclosure {
  /** Integer (BFV) or fine-grid (CKKS) discrete Laplace: P(z) ∝ exp(−|z| / scale). */
  mechanism: 'discrete-laplace';
  /** ε this answer spent, split evenly between its outputs. */
  epsilon: number;
  /** The scale of each output's noise, in that output's units (rows, the column's units). */
  scales: { count: number; sum?: number; weightedSum?: number };
}

interface ResultBase {
  kind: HeQueryKind;
  /** The key set the answer is encrypted to. */
  keyId: string;
  paramsFingerprint: string;
  /** null: no noise was added, the answer is exact. */
  noise: NoiseDisclosure | null;
}

/**
 * Count and sum over the selected groups in one BFV ciphertext: the sum in slot 0, the row
 * count in slot N/2 (the first slot of the second batch row); every other slot is random.
 */
export interface GroupAggregateResult extends ResultBase {
  kind: 'group-aggregate';
  ciphertext: string;
  groupCount: number;
  /** How many groups fell under the k-threshold and count as empty; not which. */
  suppressedGroups: number;
}

/** Count and sum of the matched provider rows, laid out as the group aggregate's. */
export interface IdSetMatchResult extends ResultBase {
  kind: 'id-set-match';
  ciphertext: string;
  domainBits: number;
  /** The provider's row count when the dataset publishes it: lets the buyer remove false matches on average. */
  publicRowCount: number | null;
}

/**
 * Σ_c w_c · (column c's sum over the selected groups) and the selected row count, each in its
 * own CKKS ciphertext whose every slot holds the total, divided by the given public scales.
 */
export interface LinearScoreResult extends ResultBase {
  kind: 'linear-score';
  weightedSum: string;
  count: string;
  /** Multiply the decrypted weighted sum by this (and by the buyer's weight norm). */
  weightedSumScale: number;
  /** Multiply the decrypted count by this. */
  countScale: number;
  groupCount: number;
  columnCount: number;
  suppressedGroups: number;
}

export type HeQueryResult = GroupAggregateResult | IdSetMatchResult | LinearScoreResult;

/** Where a BFV answer keeps its two outputs: the first slot of each batch row. */
export function bfvResultSlots(rowSize: number): { sum: number; count: number } {
  return { sum: 0, count: rowSize };
}
