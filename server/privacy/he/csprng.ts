// Uniform draws from the platform CSPRNG (WebCrypto's getRandomValues): field elements for the
// BFV masks and oblivious checks, reals for CKKS, and the unit interval for noise sampling.

const MAX_RANDOM_BYTES = 65_536; // getRandomValues refuses more per call

/** `count` values uniform in [0, modulus), by rejection from 64-bit words. */
export function uniformBelow(modulus: bigint, count: number): BigUint64Array {
  const values = new BigUint64Array(count);
  const limit = ((1n << 64n) / modulus) * modulus;
  const words = new BigUint64Array(Math.min(Math.max(count, 1), MAX_RANDOM_BYTES / 8));
  let filled = 0;
  while (filled < count) {
    globalThis.crypto.getRandomValues(words);
    for (const word of words) {
      if (word >= limit) continue;
      values[filled++] = word % modulus;
      if (filled === count) break;
    }
  }
  return values;
}

/** One value uniform in [1, modulus): a nonzero field element. */
export function uniformNonZeroBelow(modulus: bigint): bigint {
  for (;;) {
    const value = uniformBelow(modulus, 1)[0]!;
    if (value !== 0n) return value;
  }
}

/** `count` doubles uniform in (0, 1], each from 53 random bits. */
export function uniformUnits(count: number): Float64Array {
  const units = new Float64Array(count);
  const words = new BigUint64Array(Math.min(Math.max(count, 1), MAX_RANDOM_BYTES / 8));
  for (let filled = 0; filled < count; ) {
    globalThis.crypto.getRandomValues(words);
    for (const word of words) {
      units[filled++] = (Number(word >> 11n) + 1) / 2 ** 53;
      if (filled === count) break;
    }
  }
  return units;
}

/** `count` reals uniform in [−amplitude, amplitude]. */
export function uniformReals(count: number, amplitude: number): Float64Array {
  const reals = uniformUnits(count);
  for (let index = 0; index < count; index++) reals[index] = (2 * reals[index]! - 1) * amplitude;
  return reals;
}
