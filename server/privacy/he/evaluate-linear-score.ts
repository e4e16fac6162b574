// The private linear score (CKKS), the server's half. From the buyer's encrypted selection s and
// weights w (layout in sdk/he/linear-score.ts) and the provider's per-group row counts n_g and
// column sums S_gc (aggregated by the database), two ciphertexts whose every slot holds
//   weighted sum  Σ_g Σ_c s_g · w_c · S_gc / F_S      and      count  Σ_g s_g · n_g / F_n,
// with F_S, F_n public powers of two that keep CKKS values in range (returned with the answer).
// Summing over all 4096 slots (12 rotations) leaves no partial sums for the buyer to difference.
//
// Oblivious checks. CKKS is approximate, so "s_i ∈ {0, 1}" cannot be tested exactly; instead
// terms that vanish for a well-formed query, up to CKKS's ~2^-41 error, are multiplied by
// random coefficients and added to the answer:
//   y_i = s_i² − s_i + κ_i·(s_i − s_{i+1})   [κ_i random, i not a block's last column]
//         — zero iff s is 0/1 and constant within each group's block;
//   weighted sum += Σ_i ρ_i · w_i · y_i       — scaled by w, so a buyer cannot outgrow the
//                                              check by inflating its weights;
//              += Σ_i ν_i · (w_i − w_{i+C'})  [i not in the last group] — w repeated per group;
//   count        += Σ_g ρ'_g · y_(g,0).
// |ρ|, |ν|, |ρ'| lie in [2^7, 2^8]: a selection packing several groups with different
// weights (s = 1, 2, 2^10, ...) or choosing different groups per column decrypts to noise at
// least ~2^7 times the stray signal, or wraps CKKS's range and decrypts to garbage. The
// one-hot policy adds Σ_c r_c·w_c·(Σ_g s_gc − 1) and r'·(Σ_g s_g0 − 1), |r_c|, |r'| in
// [2^8, 2^9] — no larger, because these terms cancel only in total, not slot by slot, and
// their partial sums must stay in range.
//
// Levels (data primes 58 | 50 | 50, fresh scale Δ = 2^50): s ⊙ w, s², s ⊙ (row counts) and
// w ⊙ (random plaintexts) at the first level, rescaled by q2; there every term is multiplied
// once more — by the column sums, the check coefficients, or 1, all encoded at 2^45 — so that
// all reach the same scale T = (Δ²/q2)·2^45, are added, and are rescaled by q1 to the last
// level at ~2^45, where values up to 2^12 decode. The 24 rotations there dominate the error:
// ~3·10^-8 of the normalised answer (so ~10^-4 relative for a selection of 1% of the rows).
// Differential-privacy noise goes on each column total before weighting (so the weighted sum
// is post-processing of a private release whatever w is), and on the count.
//
// Limits: the checks are statistical — their noise is a fixed multiple of the signal a
// malformed query could extract, not uniform as in BFV, so averaging many answers would
// erode it (each answer is metered and ε-charged); CKKS answers carry rounding error that
// depends on the provider's data (no noise flooding).

import type { Ciphertext, Plaintext } from 'node-seal';
import { HandleScope } from '../../../sdk/he/handle-scope.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import { linearScoreLayout } from '../../../sdk/he/linear-score.ts';
import { CKKS_PARAMETERS, linearScoreRotationSteps } from '../../../sdk/he/params.ts';
import type { LinearScoreQuery, LinearScoreResult, NoiseDisclosure } from '../../../sdk/he/query-result.ts';
import { sealCkksAnswer } from './answer.ts';
import { getHeContext, type HeContext } from './context.ts';
import { uniformReals } from './csprng.ts';
import { drawRealNoise, NOISE_TAIL_SCALES, planNoise, querySensitivity, type NoiseRequest, type RealClipping } from './dp-noise.ts';
import { HeInputError } from './errors.ts';
import { checkSelectionPolicy, type EvaluationOptions, type GroupQueryPolicy } from './evaluate-group-aggregate.ts';
import { applyKThreshold } from './k-threshold.ts';
import { asInputError, loadQueryCiphertext, obtainKeys, readKeyBundle, readQueryCiphertext, type KeyLease } from './query-inputs.ts';
import { obtainFrom, type CacheLease } from './seal-cache.ts';

/** One group as the database aggregates it: its row count and the sum of each (clipped) numeric column. */
export interface ScoreGroup {
  rows: number;
  columnSums: readonly number[];
}

export interface LinearScoreInput {
  keys: PublicKeyBundle;
  query: LinearScoreQuery;
  groups: readonly ScoreGroup[];
  /** The public clipping bounds of each numeric column, in column order. */
  columns: readonly RealClipping[];
  policy: GroupQueryPolicy;
  noise?: NoiseRequest | null;
  /**
   * A public upper bound on the dataset's rows, for the normalisers; by default the groups'
   * total, whose power of two the normalisers then disclose.
   */
  publicRowBound?: number;
  /** Names the encoded data for the plaintext cache, e.g. `${versionId}:${columns}`. */
  cacheKey?: string;
}

/** Scale of the plaintexts multiplied in at the second level; the answer ends at ~this scale. */
const DATA_SCALE = 2 ** 45;
/**
 * Amplitude of the check coefficients ρ, ρ', ν (see above): a malformed query's stray signal
 * drowns in noise at least half this many times larger, while an honest query's check terms
 * (CKKS error ~2^-41 per slot) add ~2^-27 to the answer.
 */
const CHECK_AMPLITUDE = 2 ** 8;
/**
 * Amplitude of the one-hot coefficients. Unlike the checks' terms, these do not vanish slot by
 * slot for an honest query (only their sum does), so with Σ|w| = 1 their partial sums reach
 * about twice this: it must stay well inside the range.
 */
const ONE_HOT_AMPLITUDE = 2 ** 9;
/** The largest |value| honest intermediate sums may take: 2^(58 − 1 − 45) at the last level, halved. */
const VALUE_RANGE = 2 ** 11;

const nextPowerOfTwo = (value: number) => 2 ** Math.ceil(Math.log2(Math.max(1, value)));

/** Random reals with |x| in [a/2, a] and a random sign: coefficients that are never small. */
function coefficients(count: number, amplitude: number): Float64Array {
  const values = uniformReals(count, amplitude / 2);
  for (let index = 0; index < count; index++) {
    const value = values[index]!;
    values[index] = value + (value < 0 ? -amplitude / 2 : amplitude / 2);
  }
  return values;
}

function checkInput(input: LinearScoreInput, slots: number) {
  const { query, groups, columns } = input;
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new HeInputError('INVALID_POLICY', 'clipping bounds for each numeric column are required');
  }
  const columnBounds = columns.map(({ lower, upper }) => {
    if (!Number.isFinite(lower) || !Number.isFinite(upper) || lower > upper) {
      throw new HeInputError('INVALID_POLICY', 'clipping bounds must be finite with lower ≤ upper');
    }
    return Math.max(Math.abs(lower), Math.abs(upper));
  });
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new HeInputError('TOTALS_OUT_OF_RANGE', 'groups must list at least one group');
  }
  for (const group of groups as unknown[]) {
    const { rows, columnSums } = (group ?? {}) as Record<string, unknown>;
    if (
      typeof rows !== 'number' ||
      !Number.isSafeInteger(rows) ||
      rows < 0 ||
      !Array.isArray(columnSums) ||
      columnSums.length !== columns.length
    ) {
      throw new HeInputError('TOTALS_OUT_OF_RANGE', 'each group needs a row count and one sum per column');
    }
    columnSums.forEach((sum: unknown, column) => {
      const { lower, upper } = columns[column]!;
      const slack = 1e-9 * rows * columnBounds[column]!;
      if (typeof sum !== 'number' || !Number.isFinite(sum) || sum < rows * lower - slack || sum > rows * upper + slack) {
        throw new HeInputError('TOTALS_OUT_OF_RANGE', 'a column sum lies outside rows × the clipping bounds');
      }
    });
  }
  if (typeof query !== 'object' || query === null || query.kind !== 'linear-score') {
    throw new HeInputError('INVALID_QUERY', 'not a linear-score query');
  }
  if (query.groupCount !== groups.length || query.columnCount !== columns.length) {
    throw new HeInputError(
      'INVALID_QUERY',
      `the query was made for ${query.groupCount} groups × ${query.columnCount} columns, the data has ${groups.length} × ${columns.length}`,
    );
  }
  const layout = linearScoreLayout(groups.length, columns.length, slots);
  if (!layout) throw new HeInputError('OVERSIZED_INPUT', `${groups.length} groups × ${columns.length} columns exceed ${slots} slots`);
  const totalRows = groups.reduce((sum, { rows }) => sum + rows, 0);
  const rowBound = input.publicRowBound ?? totalRows;
  if (!Number.isSafeInteger(rowBound) || rowBound < totalRows) {
    throw new HeInputError('INVALID_POLICY', 'publicRowBound must be an integer no smaller than the rows');
  }
  return { layout, columnBounds, rowBound };
}

/** The data primes of the first level, as numbers: [q0, q1, q2]. */
function firstLevelPrimes(he: HeContext, scope: HandleScope): number[] {
  const moduli = scope.own(scope.own(scope.own(he.ckks.context.firstContextData()).parms()).coeffModulus());
  return Array.from({ length: moduli.size() }, (_, index) => Number(scope.own(moduli.get(index)!).value()));
}

/**
 * Evaluates the private linear score. Throws HeInputError, before any evaluation, for input it
 * refuses.
 */
export async function evaluateLinearScore(input: LinearScoreInput, options: EvaluationOptions = {}): Promise<LinearScoreResult> {
  const he = await getHeContext();
  const { seal, ckks } = he;
  const { keys, query, groups, columns, policy, noise: noiseRequest, cacheKey } = input;
  checkSelectionPolicy(policy);
  const { layout, columnBounds, rowBound } = checkInput(input, ckks.slots);
  const { groupCount, columnCount, columnStride } = layout;
  const { contributes, suppressedGroups } = applyKThreshold(groups.map(({ rows }) => rows), policy.kThreshold);
  const sumScale = nextPowerOfTwo(rowBound * Math.max(...columnBounds));
  const countScale = nextPowerOfTwo(rowBound);
  let noise: NoiseDisclosure | null = null;
  if (noiseRequest) {
    noise = planNoise(querySensitivity({ kind: 'linear-score', columns }), noiseRequest);
    const widest = NOISE_TAIL_SCALES * Math.max(noise.scales.weightedSum! / sumScale, noise.scales.count / countScale);
    if (widest > VALUE_RANGE / 16) {
      throw new HeInputError('TOTALS_OUT_OF_RANGE', 'the noise for this ε would not fit the CKKS answer range: raise ε or the row bound');
    }
  }

  const keyWires = await readKeyBundle(keys, ckks);
  const selectionBlob = readQueryCiphertext(query.selection, 'selection', ckks);
  const weightsBlob = readQueryCiphertext(query.weights, 'weights', ckks);
  const steps = linearScoreRotationSteps(ckks.slots);
  const { evaluator, ckksEncoder, slots } = ckks;
  const slotOf = (group: number, column: number) => group * columnStride + column;

  const scope = new HandleScope();
  let data: CacheLease<Plaintext> | undefined;
  let keyLease: KeyLease | undefined;
  try {
    const [, q1, q2] = firstLevelPrimes(he, scope) as [number, number, number];
    const delta = CKKS_PARAMETERS.scale;
    const secondScale = (delta * delta) / q2; // after the first rescale
    const meetScale = secondScale * DATA_SCALE; // every term before the second rescale
    const lastScale = meetScale / q1;
    const parmsIdAt = (chainIndex: number) => {
      let data = scope.own(ckks.context.firstContextData());
      while (data.chainIndex() > chainIndex) data = scope.own(data.nextContextData());
      return scope.own(data.parmsId());
    };
    const secondLevel = parmsIdAt(ckks.firstLevel.chainIndex - 1);
    const lastLevel = parmsIdAt(0);
    /** Encodes at `scale` at the first level, then switches down to `level` if given. */
    const encode = (values: Float64Array, scale: number, level?: typeof secondLevel): Plaintext => {
      const plain = new seal.Plaintext();
      ckksEncoder!.encode(values, scale, plain);
      if (level) evaluator.plainModSwitchToInplace(plain, level);
      return plain;
    };
    const own = (values: Float64Array, scale: number, level?: typeof secondLevel) => scope.own(encode(values, scale, level));
    const cipher = () => scope.own(new seal.Ciphertext());
    // A product with an all-zero plaintext (every group suppressed, no noise requested) would
    // be a transparent ciphertext, which SEAL refuses: such terms are left out (undefined).
    type Term = Ciphertext | undefined;
    const product = (a: Term, plain: Plaintext): Term => {
      if (!a || plain.isZero()) return undefined;
      const result = cipher();
      evaluator.multiplyPlain(a, plain, result);
      return result;
    };
    const sum = (...terms: Term[]): Term => {
      const [first, ...rest] = terms.filter((term): term is Ciphertext => term !== undefined);
      for (const term of rest) evaluator.addInplace(first!, term);
      return first;
    };
    const rescaled = (a: Term): Term => {
      if (a) evaluator.rescaleToNextInplace(a);
      return a;
    };

    keyLease = obtainKeys(he, ckks, keyWires, steps, options.caches?.keys);
    const { publicKey, relinKeys, galoisKeys } = keyLease.keys;
    const s = loadQueryCiphertext(he, ckks, selectionBlob, 'selection', scope);
    const w = loadQueryCiphertext(he, ckks, weightsBlob, 'weights', scope);

    // The provider's data (cacheable): column sums at the second level, row counts at the first.
    const dataKey = cacheKey && `${cacheKey}|linear-score|k=${policy.kThreshold}|g=${groupCount}|c=${columnCount}|r=${rowBound}`;
    data = obtainFrom<Plaintext>(options.caches?.plaintexts, dataKey, (keep) => {
      const sums = new Float64Array(slots);
      const counts = new Float64Array(slots);
      groups.forEach(({ rows, columnSums }, group) => {
        if (!contributes[group]) return;
        columnSums.forEach((sum, column) => (sums[slotOf(group, column)] = sum / sumScale));
        counts[slotOf(group, 0)] = rows / countScale;
      });
      keep(encode(sums, DATA_SCALE, secondLevel));
      keep(encode(counts, delta));
    });
    const [columnSums, rowCounts] = data.objects as [Plaintext, Plaintext];

    // Masks: inBlock — a slot whose right neighbour is in the same group's block; beforeLast —
    // a slot of any group but the last, compared with the same column of the next group.
    const kappa = coefficients(slots, 1);
    const checkA = new Float64Array(slots).fill(-1);
    const checkB = new Float64Array(slots);
    const consistency = coefficients(slots, CHECK_AMPLITUDE);
    for (let slot = 0; slot < slots; slot++) {
      const group = Math.floor(slot / columnStride);
      if (group < groupCount && slot % columnStride < columnStride - 1) {
        checkA[slot] = -1 + kappa[slot]!;
        checkB[slot] = kappa[slot]!;
      }
      if (group >= groupCount - 1) consistency[slot] = 0;
    }

    // First level. u = s ⊙ w; y = s² − s + κ(s − rot(s, 1)); w ⊙ ρ; w ⊙ (noise, checks); s ⊙ n.
    const u = cipher();
    evaluator.multiply(s, w, u);
    evaluator.relinearizeInplace(u, relinKeys);
    evaluator.rescaleToNextInplace(u);
    const y = cipher();
    evaluator.square(s, y);
    const shifted = cipher();
    evaluator.rotateVector(s, 1, galoisKeys, shifted);
    evaluator.addInplace(y, product(s, own(checkA, delta))!);
    const neighbours = product(shifted, own(checkB, delta));
    if (neighbours) evaluator.subInplace(y, neighbours);
    evaluator.relinearizeInplace(y, relinKeys);
    evaluator.rescaleToNextInplace(y);
    const weightedChecks = rescaled(product(w, own(coefficients(slots, CHECK_AMPLITUDE), (DATA_SCALE * q2) / delta)))!;

    // w ⊙ E: Laplace noise on each column total and the one-hot offset −ρ''·r_c, in block 0;
    // plus ν ⊙ (w − rot(w, C')) for the weights' repetition across groups.
    const columnNoise = new Float64Array(slots);
    const oneHot = policy.selection === 'one-hot';
    const oneHotWeights = oneHot ? coefficients(columnCount, ONE_HOT_AMPLITUDE) : undefined;
    for (let column = 0; column < columnCount; column++) {
      const noiseTerm = noise ? drawRealNoise(noise.scales.weightedSum!) / sumScale : 0;
      columnNoise[column] = noiseTerm - (oneHotWeights?.[column] ?? 0);
    }
    let repetition: Term;
    if (groupCount > 1) {
      const nextGroup = cipher();
      evaluator.rotateVector(w, columnStride, galoisKeys, nextGroup);
      const difference = cipher();
      evaluator.sub(w, nextGroup, difference);
      repetition = product(difference, own(consistency, delta));
    }
    const weightTerms = rescaled(sum(product(w, own(columnNoise, delta)), repetition));
    const rowOffsets = new Float64Array(slots);
    const oneHotRows = oneHot ? coefficients(1, ONE_HOT_AMPLITUDE)[0]! : 0;
    if (oneHot) for (let group = 0; group < groupCount; group++) rowOffsets[slotOf(group, 0)] = oneHotRows;
    const selectedRows = rescaled(sum(product(s, rowCounts), product(s, own(rowOffsets, delta))));

    // Second level: every term to scale T, added, rescaled to the last level.
    const one = own(new Float64Array(slots).fill(1), DATA_SCALE, secondLevel);
    const flagged = cipher();
    evaluator.multiply(y, weightedChecks, flagged);
    evaluator.relinearizeInplace(flagged, relinKeys);
    const wordOffsets = new Float64Array(slots);
    if (oneHot) {
      for (let group = 0; group < groupCount; group++) {
        for (let column = 0; column < columnCount; column++) wordOffsets[slotOf(group, column)] = oneHotWeights![column]!;
      }
    }
    const weightedSum = sum(
      flagged,
      product(u, columnSums),
      product(u, own(wordOffsets, DATA_SCALE, secondLevel)),
      product(weightTerms, one),
    )!;
    evaluator.rescaleToNextInplace(weightedSum);
    // The count's check needs only each group's first slot: the rest repeat it (y checks that).
    const rowChecks = new Float64Array(slots);
    const rowCheckCoefficients = coefficients(groupCount, CHECK_AMPLITUDE);
    for (let group = 0; group < groupCount; group++) rowChecks[slotOf(group, 0)] = rowCheckCoefficients[group]!;
    const count = sum(product(y, own(rowChecks, DATA_SCALE, secondLevel)), product(selectedRows, one))!;
    evaluator.rescaleToNextInplace(count);

    // Sum over all slots, so that every slot holds the total.
    const rotated = cipher();
    for (const total of [weightedSum, count]) {
      for (const step of steps) {
        evaluator.rotateVector(total, step, galoisKeys, rotated);
        evaluator.addInplace(total, rotated);
      }
    }
    const countTerm = (noise ? drawRealNoise(noise.scales.count) / countScale : 0) - oneHotRows;
    evaluator.addPlainInplace(count, own(new Float64Array(slots).fill(countTerm), lastScale, lastLevel));
    return {
      kind: 'linear-score',
      keyId: keyWires.keyId,
      paramsFingerprint: ckks.fingerprint,
      noise,
      weightedSum: sealCkksAnswer(he, weightedSum, publicKey, scope),
      count: sealCkksAnswer(he, count, publicKey, scope),
      weightedSumScale: sumScale,
      countScale,
      groupCount,
      columnCount,
      suppressedGroups,
    };
  } catch (error) {
    throw asInputError(error);
  } finally {
    data?.release();
    keyLease?.release();
    scope.deleteAll();
  }
}
