import { beforeAll, describe, expect, it } from 'vitest';
import { generateKeySet, type KeySet } from '../../sdk/he/key-set.ts';
import { decryptLinearScore, encryptLinearScore, linearScoreLayout, type LinearScoreRequest } from '../../sdk/he/linear-score.ts';
import type { LinearScoreQuery, LinearScoreResult } from '../../sdk/he/query-result.ts';
import { NOISE_TAIL_SCALES } from '../../server/privacy/he/dp-noise.ts';
import { HeInputError, type HeInputErrorCode } from '../../server/privacy/he/errors.ts';
import { evaluateLinearScore, type LinearScoreInput, type ScoreGroup } from '../../server/privacy/he/evaluate-linear-score.ts';
import { SealCache } from '../../server/privacy/he/seal-cache.ts';
import { encryptCkksSlots, encryptSlots, truncatedKeyBundle } from './seal-fixtures.ts';

const GROUPS = 32;
const K = 10;
// Three numeric columns with public clipping bounds: spend (yuan), balance change, a 0/1 flag.
const columns = [
  { lower: 0, upper: 100 },
  { lower: -50, upper: 50 },
  { lower: 0, upper: 1 },
];
// Groups 0, 8, 16, 24 have fewer than K rows.
const groups: ScoreGroup[] = Array.from({ length: GROUPS }, (_, group) => {
  const rows = group % 8 === 0 ? K - 5 : 20 + 3 * group;
  return { rows, columnSums: [rows * (10 + (group % 7) * 9.5), rows * ((group % 5) - 2) * 3.25, rows * ((group % 4) / 4)] };
});
const weights = [0.7, -1.3, 12];
const subset = { kThreshold: K, selection: 'subset' } as const;
const oneHot = { kThreshold: K, selection: 'one-hot' } as const;
const { columnStride } = linearScoreLayout(GROUPS, columns.length, 4096)!;
const weightNorm = weights.reduce((sum, weight) => sum + Math.abs(weight), 0);

/** What the answer must be, in plaintext: groups under k count as empty. */
function expected(selected: readonly number[], selectionWeights: readonly number[] = selected.map(() => 1)) {
  let weightedSum = 0;
  let count = 0;
  selected.forEach((group, index) => {
    const { rows, columnSums } = groups[group]!;
    if (rows < K) return;
    count += selectionWeights[index]! * rows;
    columnSums.forEach((sum, column) => (weightedSum += selectionWeights[index]! * weights[column]! * sum));
  });
  return { weightedSum, count, meanScore: weightedSum / count };
}

/** The CKKS error bound for an honest answer: ~3·10^-8 of the normalised range, with room. */
function tolerance(result: LinearScoreResult) {
  return { weightedSum: 1e-6 * result.weightedSumScale * weightNorm, count: 1e-6 * result.countScale };
}

async function refusal(promise: Promise<unknown>): Promise<HeInputErrorCode> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HeInputError);
  return (error as HeInputError).code;
}

let buyer: KeySet;
let request: LinearScoreRequest;
const caches = { keys: new SealCache(256 * 2 ** 20) };

const evaluate = (query: LinearScoreQuery, overrides: Partial<LinearScoreInput> = {}, options = { caches }) =>
  evaluateLinearScore({ keys: buyer.publicBundle(), query, groups, columns, policy: subset, ...overrides }, options);

/** Slot vectors as the sdk lays them out, from a selection per (group, column) and weights per (group, column). */
function slots(value: (group: number, column: number) => number): Float64Array {
  const values = new Float64Array(4096);
  for (let group = 0; group < GROUPS; group++) {
    for (let column = 0; column < columnStride; column++) values[group * columnStride + column] = value(group, column);
  }
  return values;
}
const normalisedWeight = (column: number) => (column < weights.length ? weights[column]! / weightNorm : 0);

async function craftedQuery(
  selection: (group: number, column: number) => number,
  weight: (group: number, column: number) => number = (_, column) => normalisedWeight(column),
): Promise<LinearScoreQuery> {
  return {
    kind: 'linear-score',
    selection: await encryptCkksSlots(buyer, slots(selection)),
    weights: await encryptCkksSlots(buyer, slots(weight)),
    groupCount: GROUPS,
    columnCount: columns.length,
  };
}

beforeAll(async () => {
  buyer = await generateKeySet({ scheme: 'ckks' });
  request = await encryptLinearScore(buyer, { groupCount: GROUPS, weights, selected: [3, 10, 29] });
});

describe('private linear score', () => {
  it('returns the weighted sum, the count and the mean score over the selected groups', async () => {
    const result = await evaluate(request.query);
    const answer = await decryptLinearScore(buyer, result, request);
    const truth = expected([3, 10, 29]);
    expect(Math.abs(answer.weightedSum - truth.weightedSum)).toBeLessThan(tolerance(result).weightedSum);
    expect(Math.abs(answer.count - truth.count)).toBeLessThan(tolerance(result).count);
    expect(answer.meanScore).toBeCloseTo(truth.meanScore, 2);
    expect(answer.noise).toBeNull();
  });

  it('answers one group where the policy wants one-hot selections', async () => {
    const one = await encryptLinearScore(buyer, { groupCount: GROUPS, weights, selected: [13] });
    const result = await evaluate(one.query, { policy: oneHot });
    const answer = await decryptLinearScore(buyer, result, one);
    expect(Math.abs(answer.weightedSum - expected([13]).weightedSum)).toBeLessThan(tolerance(result).weightedSum);
    expect(Math.abs(answer.count - expected([13]).count)).toBeLessThan(tolerance(result).count);
  });

  it('counts a group under k as empty, and tells how many groups were suppressed', async () => {
    const withSmall = await encryptLinearScore(buyer, { groupCount: GROUPS, weights, selected: [7, 8] });
    const result = await evaluate(withSmall.query);
    const answer = await decryptLinearScore(buyer, result, withSmall);
    expect(Math.abs(answer.weightedSum - expected([7]).weightedSum)).toBeLessThan(tolerance(result).weightedSum);
    expect(Math.abs(answer.count - groups[7]!.rows)).toBeLessThan(tolerance(result).count);
    expect(result.suppressedGroups).toBe(4);
  });

  it('adds Laplace noise to the column totals and the count when asked', async () => {
    const result = await evaluate(request.query, { noise: { epsilon: 2 } });
    const answer = await decryptLinearScore(buyer, result, request);
    // Sensitivity: Σ max|bound| = 100 + 50 + 1 over ε/2 = 1 per output.
    expect(answer.noise).toEqual({ mechanism: 'discrete-laplace', epsilon: 2, scales: { count: 1, weightedSum: 151 } });
    const truth = expected([3, 10, 29]);
    expect(Math.abs(answer.count - truth.count)).toBeLessThanOrEqual(NOISE_TAIL_SCALES + tolerance(result).count);
    const weightBound = NOISE_TAIL_SCALES * 151 * Math.max(...weights.map(Math.abs)) * weights.length;
    expect(Math.abs(answer.weightedSum - truth.weightedSum)).toBeLessThanOrEqual(weightBound);
  });

  it('keeps the encoded column sums in the plaintext cache for the next query', async () => {
    const plaintexts = new SealCache(64 * 2 ** 20);
    const options = { caches: { ...caches, plaintexts } };
    await evaluate(request.query, { cacheKey: 'version-7:spend,balance,flag' }, options);
    const again = await evaluate(request.query, { cacheKey: 'version-7:spend,balance,flag' }, options);
    expect(plaintexts.stats()).toMatchObject({ hits: 1, misses: 1, entries: 1 });
    const answer = await decryptLinearScore(buyer, again, request);
    expect(Math.abs(answer.count - expected([3, 10, 29]).count)).toBeLessThan(tolerance(again).count);
  });
});

describe('protections of the linear score', () => {
  /**
   * The decrypted outputs lie far from what the crafted query was after: further than 100
   * times the stray signal it tried to smuggle in (a count of null: the count is not at stake).
   */
  async function expectNoise(
    query: LinearScoreQuery,
    packed: { weightedSum: number; count: number },
    stray: { weightedSum: number; count: number | null },
    policy: typeof subset | typeof oneHot = subset,
  ) {
    const result = await evaluate(query, { policy });
    const answer = await decryptLinearScore(buyer, result, { weightNorm });
    expect(Math.abs(answer.weightedSum - packed.weightedSum)).toBeGreaterThan(100 * Math.abs(stray.weightedSum));
    if (stray.count !== null) expect(Math.abs(answer.count - packed.count)).toBeGreaterThan(100 * Math.abs(stray.count));
  }

  it('turns a selection that is not 0/1 into noise, whether it packs small or large weights', async () => {
    // Group 5 at weight 2^-10 beside group 3 at 1: the packed answer would carry both.
    const small = (group: number) => (group === 3 ? 1 : group === 5 ? 2 ** -10 : 0);
    const strayA = expected([5], [2 ** -10]);
    await expectNoise(await craftedQuery(small), expected([3, 5], [1, 2 ** -10]), strayA);
    const large = (group: number) => (group === 3 ? 1 : group === 5 ? 2 ** 10 : 0);
    await expectNoise(await craftedQuery(large), expected([3, 5], [1, 2 ** 10]), expected([5], [1]));
  });

  it('turns a selection that picks different groups per column into noise', async () => {
    // Column 0 of group 3, columns 1 and 2 of group 5: 0/1 everywhere, but not one group per block.
    const mixed = (group: number, column: number) => ((group === 3 && column === 0) || (group === 5 && column > 0) ? 1 : 0);
    const packed = {
      weightedSum: weights[0]! * groups[3]!.columnSums[0]! + weights[1]! * groups[5]!.columnSums[1]! + weights[2]! * groups[5]!.columnSums[2]!,
      count: groups[3]!.rows,
    };
    await expectNoise(await craftedQuery(mixed), packed, { weightedSum: packed.weightedSum / 10, count: 1 });
  });

  it('turns weights that differ between groups into noise', async () => {
    // Group 5's block weighted 1 + 2^-10 times group 3's: the difference would single out group 5.
    const selection = (group: number) => (group === 3 || group === 5 ? 1 : 0);
    const weight = (group: number, column: number) => normalisedWeight(column) * (group === 5 ? 1 + 2 ** -10 : 1);
    const stray = expected([5], [2 ** -10]);
    const packed = { ...expected([3, 5]), weightedSum: expected([3, 5]).weightedSum + stray.weightedSum };
    // The count does not depend on the weights: only the weighted sum is at stake.
    await expectNoise(await craftedQuery(selection, weight), packed, { weightedSum: stray.weightedSum, count: null });
  });

  it('turns two groups into noise where one-hot is required', async () => {
    const two = await encryptLinearScore(buyer, { groupCount: GROUPS, weights, selected: [3, 5] });
    await expectNoise(two.query, expected([3, 5]), { weightedSum: expected([5]).weightedSum / 10, count: 0.1 }, oneHot);
  });
});

describe('evaluateLinearScore refuses bad input', () => {
  it('a BFV ciphertext, or a truncated key', async () => {
    const bfv = await generateKeySet({ scheme: 'bfv', groupCapacity: 2 });
    const foreign = { ...request.query, selection: await encryptSlots(bfv, [1n]) };
    expect(await refusal(evaluate(foreign))).toBe('PARAMETER_MISMATCH');
    expect(await refusal(evaluate(request.query, { keys: await truncatedKeyBundle(buyer.publicBundle()) }))).toBe('MALFORMED_KEY');
    expect(await refusal(evaluate(request.query, { keys: bfv.publicBundle() }))).toBe('PARAMETER_MISMATCH');
  });

  it('a query for another shape of data', async () => {
    expect(await refusal(evaluate({ ...request.query, groupCount: GROUPS - 1 }))).toBe('INVALID_QUERY');
    expect(await refusal(evaluate({ ...request.query, columnCount: 2 }))).toBe('INVALID_QUERY');
  });

  it('column sums outside the clipping bounds, and missing bounds', async () => {
    const broken = groups.map((group, index) => (index === 4 ? { ...group, columnSums: [1e9, 0, 0] } : group));
    expect(await refusal(evaluate(request.query, { groups: broken }))).toBe('TOTALS_OUT_OF_RANGE');
    expect(await refusal(evaluate(request.query, { columns: [] }))).toBe('INVALID_POLICY');
  });
});
