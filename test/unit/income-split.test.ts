import { describe, expect, it } from 'vitest';
import { feeOf, splitByShares } from '../../server/domain/clearing/income-split.ts';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';

describe('splitByShares (largest remainder)', () => {
  it('gives each holder the floor of its share and the fen left over to the largest remainders', () => {
    // 244,261 × 70% = 170,982.7 and × 30% = 73,278.3: one fen is left, and 0.7 > 0.3 takes it.
    expect(splitByShares(244_261n, [{ holderId: A, shareBps: 7000 }, { holderId: B, shareBps: 3000 }])).toEqual([
      { holderId: A, amountFen: 170_983n },
      { holderId: B, amountFen: 73_278n },
    ]);
    // 100 × (1/3, 1/3, 1/3) in bps 3334/3333/3333: 33.34, 33.33, 33.33 → 33 each, 1 left → the largest remainder.
    expect(splitByShares(100n, [{ holderId: A, shareBps: 3333 }, { holderId: B, shareBps: 3334 }, { holderId: C, shareBps: 3333 }])).toEqual([
      { holderId: A, amountFen: 33n },
      { holderId: B, amountFen: 34n },
      { holderId: C, amountFen: 33n },
    ]);
  });

  it('breaks ties by the larger share, then by the smaller holder id, whatever the input order', () => {
    // 1 fen between equal halves: both remainders are 0.5 → the smaller id takes it.
    const halves = [{ holderId: B, shareBps: 5000 }, { holderId: A, shareBps: 5000 }];
    expect(splitByShares(1n, halves)).toEqual([{ holderId: B, amountFen: 0n }, { holderId: A, amountFen: 1n }]);
    expect(splitByShares(1n, [...halves].reverse())).toEqual([{ holderId: A, amountFen: 1n }, { holderId: B, amountFen: 0n }]);
    // 2 fen among 5000/2500/2500: remainders 0, 0.5, 0.5 → floors 1, 0, 0; one fen left to the smaller id.
    expect(splitByShares(2n, [{ holderId: C, shareBps: 2500 }, { holderId: A, shareBps: 5000 }, { holderId: B, shareBps: 2500 }])).toEqual([
      { holderId: C, amountFen: 0n },
      { holderId: A, amountFen: 1n },
      { holderId: B, amountFen: 1n },
    ]);
  });

  it('always sums to the amount exactly', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 500; round++) {
      const holders = 1 + rand(7);
      const cuts = Array.from({ length: holders - 1 }, () => 1 + rand(9_999)).sort((a, b) => a - b);
      const edges = [0, ...cuts, 10_000];
      const shares = edges.slice(1).map((e, i) => ({ holderId: `h${i}`, shareBps: e - edges[i]! })).filter((s) => s.shareBps > 0);
      const amount = BigInt(rand(1_000_000_000));
      const parts = splitByShares(amount, shares);
      expect(parts.reduce((s, p) => s + p.amountFen, 0n)).toBe(amount);
      for (const [i, p] of parts.entries()) {
        const exact = (amount * BigInt(shares[i]!.shareBps)) / 10_000n;
        expect(p.amountFen - exact === 0n || p.amountFen - exact === 1n).toBe(true);
      }
    }
  });

  it('refuses what cannot be split', () => {
    expect(() => splitByShares(-1n, [{ holderId: A, shareBps: 10_000 }])).toThrow(RangeError);
    expect(() => splitByShares(1n, [])).toThrow(RangeError);
    expect(() => splitByShares(1n, [{ holderId: A, shareBps: 0 }])).toThrow(RangeError);
    expect(() => splitByShares(1n, [{ holderId: A, shareBps: 5000 }, { holderId: A, shareBps: 5000 }])).toThrow(RangeError);
  });
});

describe('feeOf', () => {
  it('takes feeBps of the gross, rounded down', () => {
    expect(feeOf(249_245n, 200)).toBe(4_984n); // 4,984.9
    expect(feeOf(999n, 200)).toBe(19n); // 19.98
    expect(feeOf(49n, 200)).toBe(0n);
    expect(feeOf(1_000n, 0)).toBe(0n);
    expect(feeOf(1_000n, 10_000)).toBe(1_000n);
    expect(() => feeOf(1n, 10_001)).toThrow(RangeError);
    expect(() => feeOf(1n, 1.5)).toThrow(RangeError);
  });
});
