// The k-threshold (per-dataset policy): a group with fewer than k rows never contributes to an
// answer — the evaluators give it zero weight before anything is encrypted, so an answer over
// a selection that includes it equals the answer without it. The answer tells how many groups
// were suppressed (empty groups included), never which.
//
// What it does not stop: a buyer can find out which groups are suppressed by selecting them one
// at a time (each answers zero), and differencing two answers over groups that both pass k
// reveals the difference of two group totals, each of ≥ k rows. Differencing across dataset
// versions (a row added to a group) is what the differential-privacy noise is for.

import { HeInputError } from './errors.ts';

export interface KThresholdOutcome {
  /** contributes[g]: group g has at least k rows. */
  contributes: boolean[];
  suppressedGroups: number;
}

export function checkKThreshold(kThreshold: unknown): asserts kThreshold is number {
  if (typeof kThreshold !== 'number' || !Number.isSafeInteger(kThreshold) || kThreshold < 1) {
    throw new HeInputError('INVALID_POLICY', 'the k-threshold must be an integer ≥ 1');
  }
}

export function applyKThreshold(rowCounts: readonly number[], kThreshold: number): KThresholdOutcome {
  checkKThreshold(kThreshold);
  const contributes = rowCounts.map((rows) => rows >= kThreshold);
  return { contributes, suppressedGroups: contributes.filter((kept) => !kept).length };
}
