// The buyer's half of the private linear score (CKKS): secret weights w over the provider's
// numeric columns and a secret selection of groups; the answer is the mean weighted score
// Σ_rows Σ_c w_c·x_c / rows over the selected groups, computed from the provider's per-group
// column sums without the server seeing w, the selection or the answer.
//
// Layout. Columns are padded to a power of two, the stride C'; slot g·C' + c belongs to group g
// and column c. The selection ciphertext holds s_g in all C' slots of group g's block; the
// weights ciphertext holds w_c / Σ|w| in slot c of every block (zero in padded columns). The
// server checks obliviously that both are laid out this way (see evaluate-linear-score.ts).
// Weights are normalised to Σ|w| = 1 because CKKS answers at the last level must stay below
// 2^12 in magnitude; the buyer keeps the norm and multiplies it back.

import { checkResultFor, decryptSlots, encryptSlots, runtimeForQuery } from './buyer-crypto.ts';
import { HeClientError } from './errors.ts';
import type { KeySet } from './key-set.ts';
import type { LinearScoreQuery, LinearScoreResult, NoiseDisclosure } from './query-result.ts';

export interface LinearScoreLayout {
  groupCount: number;
  columnCount: number;
  /** Slots per group block: the next power of two ≥ columnCount. */
  columnStride: number;
}

/** The slot layout for G groups of C columns, or undefined if it does not fit `slots`. */
export function linearScoreLayout(groupCount: number, columnCount: number, slots: number): LinearScoreLayout | undefined {
  if (!Number.isSafeInteger(groupCount) || !Number.isSafeInteger(columnCount) || groupCount < 1 || columnCount < 1) {
    return undefined;
  }
  const columnStride = 2 ** Math.ceil(Math.log2(columnCount));
  return groupCount * columnStride <= slots ? { groupCount, columnCount, columnStride } : undefined;
}

export interface LinearScoreRequestOptions {
  groupCount: number;
  /** One weight per numeric column, in the catalog's column order. */
  weights: readonly number[];
  /** Indexes of the selected groups. */
  selected: Iterable<number>;
}

/** The query to upload, and what the buyer keeps to read the answer. */
export interface LinearScoreRequest {
  query: LinearScoreQuery;
  /** Σ|w|: the decrypted weighted sum is multiplied back by it. */
  weightNorm: number;
}

export async function encryptLinearScore(keySet: KeySet, options: LinearScoreRequestOptions): Promise<LinearScoreRequest> {
  const runtime = await runtimeForQuery(keySet, 'linear-score');
  const { groupCount, weights } = options;
  if (!Array.isArray(weights) || weights.some((weight) => typeof weight !== 'number' || !Number.isFinite(weight))) {
    throw new HeClientError('INVALID_QUERY', 'weights must be finite numbers');
  }
  const weightNorm = weights.reduce((sum, weight) => sum + Math.abs(weight), 0);
  if (!(weightNorm > 0)) throw new HeClientError('INVALID_QUERY', 'at least one weight must be nonzero');
  const slots = runtime.scheme.slots;
  const layout = linearScoreLayout(groupCount, weights.length, slots);
  if (!layout) {
    throw new HeClientError(
      'INVALID_SELECTION',
      `${groupCount} groups × ${weights.length} columns (padded to a power of two) exceed ${slots} slots`,
    );
  }
  const { columnStride } = layout;
  const selection = new Float64Array(slots);
  const chosen = new Set<number>();
  for (const group of options.selected) {
    if (!Number.isSafeInteger(group) || group < 0 || group >= groupCount) {
      throw new HeClientError('INVALID_SELECTION', `group index ${group} is outside [0, ${groupCount})`);
    }
    if (chosen.has(group)) throw new HeClientError('INVALID_SELECTION', `group index ${group} is selected twice`);
    chosen.add(group);
    selection.fill(1, group * columnStride, (group + 1) * columnStride);
  }
  const weightSlots = new Float64Array(slots);
  for (let group = 0; group < groupCount; group++) {
    weights.forEach((weight, column) => (weightSlots[group * columnStride + column] = weight / weightNorm));
  }
  return {
    query: {
      kind: 'linear-score',
      selection: encryptSlots(runtime, keySet, selection),
      weights: encryptSlots(runtime, keySet, weightSlots),
      groupCount,
      columnCount: weights.length,
    },
    weightNorm,
  };
}

export interface LinearScoreAnswer {
  /** Σ_c w_c · (sum of column c over the selected rows). */
  weightedSum: number;
  /** Rows in the selected groups (groups under the k-threshold count as empty). */
  count: number;
  /** weightedSum / count: the mean score; null when the count is below one half. */
  meanScore: number | null;
  suppressedGroups: number;
  noise: NoiseDisclosure | null;
}

export async function decryptLinearScore(
  keySet: KeySet,
  result: LinearScoreResult,
  request: Pick<LinearScoreRequest, 'weightNorm'>,
): Promise<LinearScoreAnswer> {
  checkResultFor(keySet, result, 'linear-score');
  const runtime = await runtimeForQuery(keySet, 'linear-score');
  // Every slot holds the total; slot 0 is as good as any.
  const weightedSum = (decryptSlots(runtime, keySet, result.weightedSum) as Float64Array)[0]! * result.weightedSumScale * request.weightNorm;
  const count = (decryptSlots(runtime, keySet, result.count) as Float64Array)[0]! * result.countScale;
  return {
    weightedSum,
    count,
    meanScore: count >= 0.5 ? weightedSum / count : null,
    suppressedGroups: result.suppressedGroups,
    noise: result.noise,
  };
}
