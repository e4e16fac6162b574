// 收益共享: the exchange's fee on a cycle's gross and the split of the rest among the holders
// of the income right, in whole fen that always add up.

export const FULL_BPS = 10_000n;

export interface Share {
  holderId: string;
  /** Weight of the holder, in basis points of the income right (they sum to 10,000). */
  shareBps: number;
}

export interface ShareAmount {
  holderId: string;
  amountFen: bigint;
}

/** The exchange's fee on a gross: feeBps of it, rounded down to the fen (the fraction stays with the holders). */
export function feeOf(grossFen: bigint, feeBps: number): bigint {
  if (grossFen < 0n) throw new RangeError(`a gross cannot be negative: ${grossFen}`);
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new RangeError(`feeBps must be 0–10,000, got ${feeBps}`);
  return (grossFen * BigInt(feeBps)) / FULL_BPS;
}

/**
 * Splits an amount by shares with the largest-remainder (Hamilton) method: each holder gets the
 * floor of its exact share, and the fen left over go one each to the largest remainders. Ties
 * go to the larger share, then to the smaller holder id, so the same input always gives the
 * same split, whatever order the shares come in. The parts sum to the amount exactly.
 */
export function splitByShares(amountFen: bigint, shares: readonly Share[]): ShareAmount[] {
  if (amountFen < 0n) throw new RangeError(`cannot split a negative amount: ${amountFen}`);
  if (shares.length === 0) throw new RangeError('cannot split among no holders');
  if (shares.some((s) => !Number.isInteger(s.shareBps) || s.shareBps <= 0)) throw new RangeError('shares must be positive integers');
  if (new Set(shares.map((s) => s.holderId)).size !== shares.length) throw new RangeError('a holder appears twice');
  const total = shares.reduce((sum, s) => sum + BigInt(s.shareBps), 0n);
  const parts = shares.map((s) => {
    const exact = amountFen * BigInt(s.shareBps);
    return { holderId: s.holderId, shareBps: s.shareBps, amountFen: exact / total, remainder: exact % total };
  });
  let left = amountFen - parts.reduce((sum, p) => sum + p.amountFen, 0n);
  const byRemainder = [...parts].sort(
    (a, b) => compareBigint(b.remainder, a.remainder) || b.shareBps - a.shareBps || compareText(a.holderId, b.holderId),
  );
  // Fewer fen are left over than there are holders, so one pass hands them all out.
  for (const part of byRemainder) {
    if (left === 0n) break;
    part.amountFen += 1n;
    left -= 1n;
  }
  return parts.map(({ holderId, amountFen: fen }) => ({ holderId, amountFen: fen }));
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-unit order, as PostgreSQL's "C" collation and uuid comparison would have it for lower-case ids. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
