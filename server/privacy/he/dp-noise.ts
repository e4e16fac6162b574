// Differential-privacy noise for encrypted answers. The evaluators add it homomorphically, as a
// plaintext, to the answer's slots before returning, so the buyer only ever decrypts a noisy
// answer; the per-licence ε budget is the database's to keep (the domain layer debits the ε
// this module reports for each answer).
//
// Mechanism: the discrete Laplace distribution, P(z) ∝ exp(−|z| / b) on the integers, with
// b = Δ / ε for an output of sensitivity Δ — ε-differentially private for integer outputs
// (BFV counts and sums), and free of the floating-point holes of the continuous Laplace
// (Mironov 2012). It is drawn as the difference of two geometric variables, each by inversion
// of a CSPRNG uniform with 53 bits. CKKS outputs (reals) get b·2^-20-grid multiples of a
// discrete Laplace of scale 2^20 instead: the same mechanism at a resolution far below CKKS's
// own error.
//
// Neighbouring datasets differ by one row added or removed. A query's ε is split evenly
// between its outputs (count and sum, or count and weighted sum): basic composition.
//
// Limits: draws are rejected beyond 64 scales (so the evaluators can bound the answer's
// range): a deviation of probability e^-64, i.e. (ε, δ ≈ 10^-28)-DP; and the guarantee holds
// only if the provider's values really lie within the clipping bounds the sensitivity is
// computed from — the database clips, the evaluators check per-group sums against them.

import type { NoiseDisclosure } from '../../../sdk/he/query-result.ts';
import { uniformUnits } from './csprng.ts';
import { HeInputError } from './errors.ts';

/** Draws beyond this many scales are rejected (see above). */
export const NOISE_TAIL_SCALES = 64;

/** The finest noise step for CKKS outputs, as a fraction of the scale. */
const GRID_FRACTION = 2 ** -20;

/** A source of doubles uniform in (0, 1]. */
export type UnitSource = () => number;

let unitBuffer: Float64Array = new Float64Array(0);
let unitIndex = 0;

/** The default unit source: the platform CSPRNG, drawn 1024 at a time. */
export const cryptoUnit: UnitSource = () => {
  if (unitIndex >= unitBuffer.length) {
    unitBuffer = uniformUnits(1024);
    unitIndex = 0;
  }
  return unitBuffer[unitIndex++]!;
};

/** Geometric on {0, 1, ...} with P(k) = (1 − q) q^k, q = e^(−1/scale), by inversion. */
function sampleGeometric(scale: number, unit: UnitSource): number {
  return Math.floor(-scale * Math.log(unit()));
}

/** An integer with P(z) ∝ exp(−|z| / scale), |z| ≤ 64 scales. */
export function sampleDiscreteLaplace(scale: number, unit: UnitSource = cryptoUnit): number {
  if (!(scale > 0) || !Number.isFinite(scale) || scale > 2 ** 46) {
    throw new RangeError(`discrete Laplace scale must be in (0, 2^46], got ${scale}`);
  }
  for (;;) {
    const draw = sampleGeometric(scale, unit) - sampleGeometric(scale, unit);
    if (Math.abs(draw) <= NOISE_TAIL_SCALES * scale) return draw;
  }
}

/** Exact moments of the (untruncated) discrete Laplace of this scale: what the tests compare with. */
export function discreteLaplaceMoments(scale: number): {
  zeroProbability: number;
  variance: number;
  meanAbsolute: number;
} {
  const q = Math.exp(-1 / scale);
  return {
    zeroProbability: (1 - q) / (1 + q),
    variance: (2 * q) / (1 - q) ** 2,
    meanAbsolute: (2 * q) / (1 - q * q),
  };
}

/** Integer noise of this scale for a BFV slot (scale 0: none). */
export function drawIntegerNoise(scale: number, unit: UnitSource = cryptoUnit): bigint {
  return scale === 0 ? 0n : BigInt(sampleDiscreteLaplace(scale, unit));
}

/** Real noise of this scale for a CKKS slot: a discrete Laplace on a grid of scale · 2^-20. */
export function drawRealNoise(scale: number, unit: UnitSource = cryptoUnit): number {
  return scale === 0 ? 0 : sampleDiscreteLaplace(1 / GRID_FRACTION, unit) * scale * GRID_FRACTION;
}

/** Bounds the database clips a column's values to before aggregating. */
export interface IntegerClipping {
  lower: bigint;
  upper: bigint;
}

export interface RealClipping {
  lower: number;
  upper: number;
}

export type SensitivityQuery =
  | { kind: 'group-aggregate' | 'id-set-match'; clipping: IntegerClipping }
  | { kind: 'linear-score'; columns: readonly RealClipping[] };

/**
 * How much one row added or removed can move each output: the count by 1; the sum by the
 * largest clipped |value|; the linear score's vector of column totals by Σ_c max|value_c| in
 * L1 norm (noise is added to each column total, so any weights the buyer chose are
 * post-processing of a private release).
 */
export interface QuerySensitivity {
  count: number;
  sum?: number;
  /** L1 sensitivity of the column totals the weighted sum is made of. */
  weightedSum?: number;
}

function checkClipping(lower: number | bigint, upper: number | bigint, what: string): void {
  const finite = typeof lower === 'bigint' || (Number.isFinite(lower) && Number.isFinite(upper as number));
  if (!finite || typeof lower !== typeof upper || lower > upper) {
    throw new HeInputError('INVALID_POLICY', `${what}: clipping bounds must be finite with lower ≤ upper`);
  }
}

export function querySensitivity(query: SensitivityQuery): QuerySensitivity {
  if (query.kind === 'linear-score') {
    if (!Array.isArray(query.columns) || query.columns.length === 0) {
      throw new HeInputError('INVALID_POLICY', 'linear score: clipping bounds for each column are required');
    }
    let l1 = 0;
    for (const { lower, upper } of query.columns) {
      checkClipping(lower, upper, 'linear score');
      l1 += Math.max(Math.abs(lower), Math.abs(upper));
    }
    return { count: 1, weightedSum: l1 };
  }
  const { lower, upper } = query.clipping;
  checkClipping(lower, upper, query.kind);
  const magnitude = (value: bigint) => (value < 0n ? -value : value);
  const bound = magnitude(lower) > magnitude(upper) ? magnitude(lower) : magnitude(upper);
  return { count: 1, sum: Number(bound) };
}

export interface NoiseRequest {
  /** ε this answer may spend (the domain layer checks the licence's remaining budget). */
  epsilon: number;
}

/** The noise scale of each output for this ε: Δ_output / (ε / number of outputs). */
export function planNoise(sensitivity: QuerySensitivity, request: NoiseRequest): NoiseDisclosure {
  const { epsilon } = request;
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0 || epsilon > 100) {
    throw new HeInputError('INVALID_POLICY', 'ε must be a number in (0, 100]');
  }
  const outputs = Object.entries(sensitivity).filter(([, delta]) => delta !== undefined) as [
    keyof QuerySensitivity,
    number,
  ][];
  const perOutput = epsilon / outputs.length;
  const scales: NoiseDisclosure['scales'] = { count: 0 };
  // A zero sensitivity (every value clipped to 0) needs no noise: scale 0.
  for (const [output, delta] of outputs) scales[output] = delta / perOutput;
  return { mechanism: 'discrete-laplace', epsilon, scales };
}
