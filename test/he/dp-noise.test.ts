import { describe, expect, it } from 'vitest';
import {
  cryptoUnit,
  discreteLaplaceMoments,
  drawIntegerNoise,
  drawRealNoise,
  NOISE_TAIL_SCALES,
  planNoise,
  querySensitivity,
  sampleDiscreteLaplace,
} from '../../server/privacy/he/dp-noise.ts';
import { HeInputError } from '../../server/privacy/he/errors.ts';

function moments(draws: Float64Array) {
  const n = draws.length;
  const mean = draws.reduce((sum, value) => sum + value, 0) / n;
  const variance = draws.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const zeros = draws.filter((value) => value === 0).length / n;
  const meanAbsolute = draws.reduce((sum, value) => sum + Math.abs(value), 0) / n;
  return { mean, variance, zeros, meanAbsolute };
}

describe('sampleDiscreteLaplace', () => {
  it('draws integers with the discrete Laplace moments, at a small scale', () => {
    const scale = 3;
    const n = 200_000;
    const draws = Float64Array.from({ length: n }, () => sampleDiscreteLaplace(scale));
    expect(draws.every(Number.isInteger)).toBe(true);
    const measured = moments(draws);
    const exact = discreteLaplaceMoments(scale);
    // Each within ~5 standard errors.
    expect(Math.abs(measured.mean)).toBeLessThan(5 * Math.sqrt(exact.variance / n));
    expect(Math.abs(measured.variance / exact.variance - 1)).toBeLessThan(0.04);
    expect(Math.abs(measured.zeros - exact.zeroProbability)).toBeLessThan(5 * Math.sqrt((exact.zeroProbability * (1 - exact.zeroProbability)) / n));
    expect(Math.abs(measured.meanAbsolute / exact.meanAbsolute - 1)).toBeLessThan(0.02);
    // Symmetric: as many draws above zero as below.
    const positive = draws.filter((value) => value > 0).length;
    const negative = draws.filter((value) => value < 0).length;
    expect(Math.abs(positive - negative)).toBeLessThan(5 * Math.sqrt(positive + negative));
  });

  it('scales with the sensitivity over ε: variance ≈ 2b² at the scale of a sum in fen', () => {
    const scale = 2_000_000; // Δ = 10^6 fen, ε = 0.5
    const n = 100_000;
    const draws = Float64Array.from({ length: n }, () => sampleDiscreteLaplace(scale));
    const measured = moments(draws);
    expect(Math.abs(measured.variance / (2 * scale * scale) - 1)).toBeLessThan(0.06);
    expect(Math.abs(measured.meanAbsolute / scale - 1)).toBeLessThan(0.02);
    expect(Math.max(...draws.map(Math.abs))).toBeLessThanOrEqual(NOISE_TAIL_SCALES * scale);
  });

  it('inverts the unit source: a unit of 1 gives 0, small units give far draws', () => {
    const units = [1, 1];
    expect(sampleDiscreteLaplace(5, () => units.shift()!)).toBe(0);
    const far = [Math.exp(-10), 1];
    expect(sampleDiscreteLaplace(5, () => far.shift()!)).toBe(50);
  });

  it('reads its randomness from the CSPRNG, in (0, 1]', () => {
    const units = Array.from({ length: 5_000 }, () => cryptoUnit());
    expect(units.every((unit) => unit > 0 && unit <= 1)).toBe(true);
    expect(new Set(units).size).toBe(units.length);
  });

  it('draws real noise on a fine grid with the same variance, and no noise at scale 0', () => {
    const draws = Float64Array.from({ length: 50_000 }, () => drawRealNoise(0.01));
    expect(Math.abs(moments(draws).variance / (2 * 0.01 ** 2) - 1)).toBeLessThan(0.08);
    expect(drawRealNoise(0)).toBe(0);
    expect(drawIntegerNoise(0)).toBe(0n);
    expect(typeof drawIntegerNoise(4)).toBe('bigint');
  });
});

describe('querySensitivity and planNoise', () => {
  it('tells each query kind’s sensitivity from the clipping bounds', () => {
    expect(querySensitivity({ kind: 'group-aggregate', clipping: { lower: 0n, upper: 500_000n } })).toEqual({ count: 1, sum: 500_000 });
    expect(querySensitivity({ kind: 'id-set-match', clipping: { lower: -70n, upper: 20n } })).toEqual({ count: 1, sum: 70 });
    expect(
      querySensitivity({ kind: 'linear-score', columns: [{ lower: 0, upper: 100 }, { lower: -50, upper: 20 }] }),
    ).toEqual({ count: 1, weightedSum: 150 });
  });

  it('splits ε evenly between the outputs', () => {
    expect(planNoise({ count: 1, sum: 1000 }, { epsilon: 1 })).toEqual({
      mechanism: 'discrete-laplace',
      epsilon: 1,
      scales: { count: 2, sum: 2000 },
    });
    expect(planNoise({ count: 1, sum: 0 }, { epsilon: 1 }).scales.sum).toBe(0);
  });

  it('refuses ε that is not positive and bounds that are reversed', () => {
    for (const epsilon of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => planNoise({ count: 1 }, { epsilon })).toThrow(HeInputError);
    }
    expect(() => querySensitivity({ kind: 'group-aggregate', clipping: { lower: 5n, upper: 1n } })).toThrow(HeInputError);
    expect(() => querySensitivity({ kind: 'linear-score', columns: [{ lower: 0, upper: Number.NaN }] })).toThrow(HeInputError);
  });
});
