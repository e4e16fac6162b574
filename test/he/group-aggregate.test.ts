import { beforeAll, describe, expect, it } from 'vitest';
import { base64LengthFor, decodeBase64, encodeBase64 } from '../../sdk/he/encoding.ts';
import { HeClientError } from '../../sdk/he/errors.ts';
import { keysDigestOf } from '../../sdk/he/key-binding.ts';
import { exportKeySet } from '../../sdk/he/key-set-export.ts';
import { generateKeySet, type KeySet, type PublicKeyBundle } from '../../sdk/he/key-set.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../../sdk/he/private-aggregate.ts';
import type { GroupAggregateQuery } from '../../sdk/he/query-result.ts';
import { getHeContext, heReadiness } from '../../server/privacy/he/context.ts';
import { NOISE_TAIL_SCALES } from '../../server/privacy/he/dp-noise.ts';
import { HeInputError, type HeInputErrorCode } from '../../server/privacy/he/errors.ts';
import {
  evaluateGroupAggregate,
  type GroupAggregateInput,
  type GroupStatistics,
} from '../../server/privacy/he/evaluate-group-aggregate.ts';
import { SealCache } from '../../server/privacy/he/seal-cache.ts';
import {
  compressionBomb,
  decryptSlots,
  encryptSlots,
  noiseBudget,
  selectionUnderOtherParameters,
  truncatedKeyBundle,
} from './seal-fixtures.ts';

const GROUPS = 64;
const K = 5;

// Per-group row counts and sums in fen, as the provider's database aggregates them; groups
// 10, 20, ... have fewer than K rows.
const groups: GroupStatistics[] = Array.from({ length: GROUPS }, (_, group) => ({
  rows: group % 10 === 0 && group > 0 ? K - 1 : 7 + group,
  sum: BigInt(1_000_003 * (group + 1) + group * group),
}));
const subset = { kThreshold: K, selection: 'subset' } as const;
const oneHot = { kThreshold: K, selection: 'one-hot' } as const;

/** What the answer must be, computed in plaintext. */
function expected(indexes: readonly number[], data: readonly GroupStatistics[] = groups, k = K) {
  let count = 0n;
  let sum = 0n;
  for (const index of indexes) {
    if (data[index]!.rows < k) continue;
    count += BigInt(data[index]!.rows);
    sum += data[index]!.sum;
  }
  return { count, sum };
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
let otherBuyer: KeySet;
let bundle: PublicKeyBundle;
let validQuery: GroupAggregateQuery;

// Loaded keys are cached under their digest, as in a pool worker: most tests reuse one key set.
const caches = { keys: new SealCache(128 * 2 ** 20) };

const evaluate = (query: GroupAggregateQuery, overrides: Partial<GroupAggregateInput> = {}) =>
  evaluateGroupAggregate({ keys: bundle, query, groups, policy: subset, ...overrides }, { caches });

/** A decrypted value that is noise: uniform mod t ≈ 2^41, so |value| < 2^24 has probability ~2^-16. */
const isNoise = (value: bigint) => value > 1n << 24n || value < -(1n << 24n);

beforeAll(async () => {
  [buyer, otherBuyer] = await Promise.all([
    generateKeySet({ scheme: 'bfv', groupCapacity: GROUPS }),
    generateKeySet({ scheme: 'bfv', groupCapacity: GROUPS }),
  ]);
  bundle = buyer.publicBundle();
  validQuery = await encryptGroupSelection(buyer, GROUPS, [0, 5]);
});

describe('HE context', () => {
  it('is built once per process', async () => {
    const first = getHeContext();
    expect(getHeContext()).toBe(first);
    expect(await getHeContext()).toBe(await first);
  });

  it('reports both parameter sets as ready at 128-bit security', async () => {
    const readiness = await heReadiness();
    expect(readiness.ready).toBe(true);
    expect(readiness.error).toBeUndefined();
    expect(
      readiness.schemes.map(({ scheme, polyModulusDegree, slots, securityLevel }) => ({
        scheme,
        polyModulusDegree,
        slots,
        securityLevel,
      })),
    ).toEqual([
      { scheme: 'bfv', polyModulusDegree: 8192, slots: 8192, securityLevel: 128 },
      { scheme: 'ckks', polyModulusDegree: 8192, slots: 4096, securityLevel: 128 },
    ]);
  });

  it('binds key sets to the server’s parameters by fingerprint', async () => {
    const { bfv } = await getHeContext();
    expect(bundle.paramsFingerprint).toBe(bfv.fingerprint);
    expect(bfv.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('private group aggregate', () => {
  it('returns the count and the sum of a single selected group', async () => {
    const query = await encryptGroupSelection(buyer, GROUPS, [41]);
    const answer = await decryptGroupAggregate(buyer, await evaluate(query));
    expect(answer).toMatchObject(expected([41]));
    expect(answer.mean).toBeCloseTo(Number(groups[41]!.sum) / groups[41]!.rows, 6);
    expect(answer.noise).toBeNull();
  });

  it('aggregates a set of selected groups out of 64', async () => {
    const selected = [0, 1, 2, 7, 13, 21, 34, 39, 55, 62, 63];
    const answer = await decryptGroupAggregate(buyer, await evaluate(await encryptGroupSelection(buyer, GROUPS, selected)));
    expect(answer).toMatchObject(expected(selected));
  });

  it('returns zero for an empty selection and everything above k for a full one', async () => {
    const all = [...groups.keys()];
    const [none, full] = await Promise.all([
      encryptGroupSelection(buyer, GROUPS, []).then(evaluate),
      encryptGroupSelection(buyer, GROUPS, all).then(evaluate),
    ]);
    expect(await decryptGroupAggregate(buyer, none)).toMatchObject({ count: 0n, sum: 0n, mean: null });
    expect(await decryptGroupAggregate(buyer, full)).toMatchObject(expected(all));
  });

  it('aggregates a single group with no rotation', async () => {
    const query = await encryptGroupSelection(buyer, 1, [0]);
    const result = await evaluate(query, { groups: [{ rows: 9, sum: 123_456_789n }] });
    expect(await decryptGroupAggregate(buyer, result)).toMatchObject({ count: 9n, sum: 123_456_789n });
  });

  it('reads negative sums and decrypts exactly up to the largest exact aggregate', async () => {
    const { bfv } = await getHeContext();
    expect(bfv.maxExactSum).toBeGreaterThan(2n ** 39n);
    const data = [
      { rows: 10, sum: bfv.maxExactSum - 5n },
      { rows: 10, sum: 2n },
      { rows: 10, sum: 3n },
      { rows: 10, sum: -77n },
    ];
    const query = await encryptGroupSelection(buyer, 4, [0, 1, 2]);
    expect((await decryptGroupAggregate(buyer, await evaluate(query, { groups: data }))).sum).toBe(bfv.maxExactSum);
    const negative = await encryptGroupSelection(buyer, 4, [1, 3]);
    expect((await decryptGroupAggregate(buyer, await evaluate(negative, { groups: data }))).sum).toBe(-75n);
  });

  it('sums all 4096 groups of a batch row with noise budget to spare', async () => {
    const { bfv } = await getHeContext();
    const wide = await generateKeySet({ scheme: 'bfv', groupCapacity: bfv.rowSize });
    // The worst case for noise: every slot selected, totals spread over the whole range.
    const data = Array.from({ length: bfv.rowSize }, (_, group) => ({
      rows: 1_000_000,
      sum: bfv.maxExactSum / BigInt(bfv.rowSize) - BigInt(group),
    }));
    const query = await encryptGroupSelection(wide, bfv.rowSize, data.keys());
    const result = await evaluateGroupAggregate({ keys: wide.publicBundle(), query, groups: data, policy: { kThreshold: 1, selection: 'subset' } });
    expect(await decryptGroupAggregate(wide, result)).toMatchObject({
      count: BigInt(1_000_000 * bfv.rowSize),
      sum: data.reduce((sum, { sum: total }) => sum + total, 0n),
    });
    expect(await noiseBudget(wide, result.ciphertext)).toBeGreaterThanOrEqual(8);
  });

  it('refuses data whose sum could wrap around the signed range, and sums that are not bigints', async () => {
    const { bfv } = await getHeContext();
    const tooLarge = [{ rows: 10, sum: bfv.maxExactSum }, { rows: 10, sum: 1n }];
    const query = await encryptGroupSelection(buyer, 2, [0]);
    expect(await refusal(evaluate(query, { groups: tooLarge }))).toBe('TOTALS_OUT_OF_RANGE');
    expect(await refusal(evaluate(query, { groups: [{ rows: 1, sum: 5 as unknown as bigint }, { rows: 1, sum: 1n }] }))).toBe(
      'TOTALS_OUT_OF_RANGE',
    );
  });

  it('reveals its two answer slots only: the partial sums in other slots are masked', async () => {
    const all = [...groups.keys()];
    const result = await evaluate(await encryptGroupSelection(buyer, GROUPS, all));
    const slots = await decryptSlots(buyer, result.ciphertext);
    const { bfv } = await getHeContext();
    // Unmasked, slot 0 − slot 1 would be group 0's sum.
    expect(slots[0]! - slots[1]!).not.toBe(groups[0]!.sum);
    // Masked slots are uniform below t ≈ 2^41: about one in 8190 falls below 2^28.
    const small = [...slots].filter((value, slot) => slot !== 0 && slot !== bfv.rowSize && value <= 1n << 28n);
    expect(small.length).toBeLessThan(12);
  });

  it('keeps the encoded group data in the plaintext cache for the next query', async () => {
    const cache = new SealCache(64 * 2 ** 20);
    const query = await encryptGroupSelection(buyer, GROUPS, [3]);
    const input = { keys: bundle, query, groups, policy: subset, cacheKey: 'version-1:amount' };
    await evaluateGroupAggregate(input, { caches: { ...caches, plaintexts: cache } });
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 1, entries: 1 });
    const again = await evaluateGroupAggregate(input, { caches: { ...caches, plaintexts: cache } });
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
    expect(await decryptGroupAggregate(buyer, again)).toMatchObject(expected([3]));
  });
});

describe('protections of the group aggregate', () => {
  it('turns a selection that is not 0/1 into noise instead of packed totals', async () => {
    // s = (1, 2^20, 2^40 mod t) would pack three sums (and counts) into one answer.
    const crafted = await encryptSlots(buyer, [1n, 1n << 20n, 1n << 40n]);
    const data = [{ rows: 11, sum: 11n }, { rows: 22, sum: 22n }, { rows: 33, sum: 33n }];
    const answer = await decryptGroupAggregate(buyer, await evaluate({ kind: 'group-aggregate', selection: crafted, groupCount: 3 }, { groups: data }));
    expect(isNoise(answer.sum)).toBe(true);
    expect(isNoise(answer.count)).toBe(true);
  });

  it('turns two ones into noise where one-hot is required, and answers a single one', async () => {
    const two = await encryptGroupSelection(buyer, GROUPS, [3, 4]);
    const noisy = await decryptGroupAggregate(buyer, await evaluate(two, { policy: oneHot }));
    expect(isNoise(noisy.sum) && isNoise(noisy.count)).toBe(true);
    const one = await encryptGroupSelection(buyer, GROUPS, [4]);
    expect(await decryptGroupAggregate(buyer, await evaluate(one, { policy: oneHot }))).toMatchObject(expected([4]));
    const none = await encryptGroupSelection(buyer, GROUPS, []);
    const empty = await decryptGroupAggregate(buyer, await evaluate(none, { policy: oneHot }));
    expect(isNoise(empty.sum)).toBe(true);
  });

  it('counts a group under k as empty, and tells how many groups were suppressed', async () => {
    const withSmall = await evaluate(await encryptGroupSelection(buyer, GROUPS, [9, 10, 11]));
    const withoutSmall = await evaluate(await encryptGroupSelection(buyer, GROUPS, [9, 11]));
    const small = await evaluate(await encryptGroupSelection(buyer, GROUPS, [10]));
    expect(await decryptGroupAggregate(buyer, withSmall)).toMatchObject(
      (({ count, sum }) => ({ count, sum }))(await decryptGroupAggregate(buyer, withoutSmall)),
    );
    expect(await decryptGroupAggregate(buyer, small)).toMatchObject({ count: 0n, sum: 0n });
    expect(withSmall.suppressedGroups).toBe(6); // groups 10, 20, ..., 60
    expect(Object.keys(withSmall)).not.toContain('suppressed');
  });

  it('adds discrete Laplace noise of the disclosed scale when asked', async () => {
    const query = await encryptGroupSelection(buyer, GROUPS, [7]);
    const noise = { epsilon: 0.5, clipping: { lower: 0n, upper: 2_000_000n } };
    const noisyGroups = groups.map(({ rows }, group) => ({ rows, sum: BigInt(rows) * BigInt(group) * 1000n }));
    const answers = await Promise.all(
      [1, 2, 3].map(async () => decryptGroupAggregate(buyer, await evaluate(query, { groups: noisyGroups, noise }))),
    );
    const truth = expected([7], noisyGroups);
    for (const answer of answers) {
      expect(answer.noise).toEqual({ mechanism: 'discrete-laplace', epsilon: 0.5, scales: { count: 4, sum: 8_000_000 } });
      expect(Math.abs(Number(answer.count - truth.count))).toBeLessThanOrEqual(NOISE_TAIL_SCALES * 4);
      expect(Math.abs(Number(answer.sum - truth.sum))).toBeLessThanOrEqual(NOISE_TAIL_SCALES * 8_000_000);
    }
    // Three draws of scale 8·10^6 are not all zero (probability ~10^-21).
    expect(answers.some((answer) => answer.sum !== truth.sum)).toBe(true);
  });

  it('refuses sums outside the clipping bounds the noise is calibrated to', async () => {
    const noise = { epsilon: 1, clipping: { lower: 0n, upper: 10n } };
    expect(await refusal(evaluate(validQuery, { noise }))).toBe('TOTALS_OUT_OF_RANGE');
  });
});

describe('evaluateGroupAggregate refuses bad input', () => {
  const withSelection = (selection: string): GroupAggregateQuery => ({ ...validQuery, selection });
  const refuse = (selection: string, keys: PublicKeyBundle = bundle) => refusal(evaluate(withSelection(selection), { keys }));

  it('random bytes as the selection', async () => {
    expect(await refuse(encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(4096))))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('a truncated ciphertext', async () => {
    const bytes = decodeBase64(validQuery.selection)!;
    expect(await refuse(encodeBase64(bytes.subarray(0, bytes.length >> 1)))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('a ciphertext whose compressed body is corrupt', async () => {
    // After SEAL's 16-byte header comes the zstd frame; a flip inside its data may still
    // decompress (zstd frames here carry no checksum), so corrupt the frame's own magic number,
    // which no decoder accepts — deterministic, unlike a random byte in the middle.
    const bytes = decodeBase64(validQuery.selection)!.slice();
    bytes.set([bytes[16]! ^ 0xff, bytes[17]! ^ 0xff], 16);
    expect(await refuse(encodeBase64(bytes))).toBe('MALFORMED_CIPHERTEXT');
  });

  it('an empty selection or one that is not base64', async () => {
    expect(await refuse('')).toBe('MALFORMED_CIPHERTEXT');
    expect(await refuse('not base64!')).toBe('MALFORMED_CIPHERTEXT');
  });

  it('an oversized selection, before decoding it', async () => {
    const { bfv } = await getHeContext();
    expect(await refuse('A'.repeat(base64LengthFor(bfv.limits.ciphertext) + 4))).toBe('OVERSIZED_INPUT');
  });

  it('a small upload that would inflate past the size limit', async () => {
    expect(await refuse(await compressionBomb(64 * 1024 * 1024))).toBe('OVERSIZED_INPUT');
  });

  it('more groups than a batch row has slots, or another group count than the selection’s', async () => {
    const { bfv } = await getHeContext();
    const many = Array.from({ length: bfv.rowSize + 1 }, () => ({ rows: 10, sum: 1n }));
    expect(await refusal(evaluate(validQuery, { groups: many }))).toBe('OVERSIZED_INPUT');
    expect(await refusal(evaluate({ ...validQuery, groupCount: 63 }))).toBe('INVALID_QUERY');
  });

  it('a ciphertext made under other parameters', async () => {
    expect(await refuse(await selectionUnderOtherParameters())).toBe('PARAMETER_MISMATCH');
  });

  it('a key bundle made for other parameters', async () => {
    const ckks = (await generateKeySet({ scheme: 'ckks' })).publicBundle();
    expect(await refuse(validQuery.selection, ckks)).toBe('PARAMETER_MISMATCH');
    expect(await refuse(validQuery.selection, { ...bundle, paramsFingerprint: '00'.repeat(32) })).toBe('PARAMETER_MISMATCH');
  });

  it('a truncated key, even with a recomputed digest', async () => {
    expect(await refuse(validQuery.selection, await truncatedKeyBundle(bundle))).toBe('MALFORMED_KEY');
    expect(await refuse(validQuery.selection, await truncatedKeyBundle(bundle, 'relinKeys'))).toBe('MALFORMED_KEY');
  });

  it('Galois keys from another key set', async () => {
    expect(await refuse(validQuery.selection, { ...bundle, galoisKeys: otherBuyer.publicBundle().galoisKeys })).toBe('MALFORMED_KEY');
  });

  it('a public key that is not the one keyId names', async () => {
    expect(await refuse(validQuery.selection, { ...bundle, publicKey: otherBuyer.publicBundle().publicKey })).toBe('MALFORMED_KEY');
  });

  it('Galois keys that do not cover the group count', async () => {
    const narrow = await generateKeySet({ scheme: 'bfv', groupCapacity: 4 });
    const code = await refusal(
      evaluateGroupAggregate({ keys: narrow.publicBundle(), query: { ...validQuery, selection: (await encryptGroupSelection(narrow, 4, [0])).selection }, groups, policy: subset }),
    );
    expect(code).toBe('MALFORMED_KEY');
  });

  it('key bytes that are not SEAL keys', async () => {
    const galoisKeys = encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(1024)));
    const parts = {
      publicKey: decodeBase64(bundle.publicKey)!,
      relinKeys: decodeBase64(bundle.relinKeys)!,
      galoisKeys: decodeBase64(galoisKeys)!,
    };
    expect(await refuse(validQuery.selection, { ...bundle, galoisKeys, keysDigest: await keysDigestOf(parts) })).toBe('MALFORMED_KEY');
  });

  it('a policy the server got wrong: k below 1, an unknown selection rule, ε not positive', async () => {
    expect(await refusal(evaluate(validQuery, { policy: { kThreshold: 0, selection: 'subset' } }))).toBe('INVALID_POLICY');
    expect(await refusal(evaluate(validQuery, { policy: { kThreshold: 1, selection: 'any' as 'subset' } }))).toBe('INVALID_POLICY');
    expect(await refusal(evaluate(validQuery, { noise: { epsilon: 0, clipping: { lower: 0n, upper: 1n } } }))).toBe('INVALID_POLICY');
  });
});

describe('public key bundle', () => {
  it('holds public material only, no secret key bytes', async () => {
    const exported = JSON.parse(await exportKeySet(buyer)) as { keySet: { secretKey: string } };
    const secretKeyB64 = exported.keySet.secretKey;
    expect(secretKeyB64.length).toBeGreaterThan(1000);
    expect(Object.keys(bundle).sort()).toEqual(
      ['galoisKeys', 'keyId', 'keysDigest', 'paramsFingerprint', 'publicKey', 'relinKeys', 'scheme'].sort(),
    );
    const serialized = JSON.stringify(bundle);
    expect(serialized).not.toContain(secretKeyB64);
    expect(JSON.stringify(buyer)).toBe(serialized);
    // Nor any 48-byte run of the secret key, in base64 or in the decoded key blobs.
    const secretKey = decodeBase64(secretKeyB64)!;
    const blobs = [bundle.publicKey, bundle.relinKeys, bundle.galoisKeys].map((b64) => Buffer.from(decodeBase64(b64)!));
    for (let offset = 64; offset + 48 <= secretKey.length; offset += Math.floor(secretKey.length / 16)) {
      const run = secretKey.subarray(offset, offset + 48);
      expect(serialized).not.toContain(encodeBase64(run));
      for (const blob of blobs) expect(blob.includes(Buffer.from(run))).toBe(false);
    }
  });

  it('names the key set by the sha256 of its public key', async () => {
    const digest = await globalThis.crypto.subtle.digest('SHA-256', Buffer.from(decodeBase64(bundle.publicKey)!));
    expect(bundle.keyId).toBe(Buffer.from(digest).toString('hex'));
    expect(buyer.keyId).toBe(bundle.keyId);
  });
});

describe('decryptGroupAggregate', () => {
  it('refuses a result evaluated with someone else’s Galois keys, even with a recomputed digest', async () => {
    // A deliberate mix passes the server's digest check; the buyer still notices.
    const galoisKeys = otherBuyer.publicBundle().galoisKeys;
    const keysDigest = await keysDigestOf({
      publicKey: decodeBase64(bundle.publicKey)!,
      relinKeys: decodeBase64(bundle.relinKeys)!,
      galoisKeys: decodeBase64(galoisKeys)!,
    });
    const result = await evaluate(await encryptGroupSelection(buyer, GROUPS, [3]), { keys: { ...bundle, galoisKeys, keysDigest } });
    const error = await decryptGroupAggregate(buyer, result).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeClientError);
    expect((error as HeClientError).code).toBe('UNDECRYPTABLE_RESULT');
  });

  it('refuses a result encrypted to another key set', async () => {
    const result = await evaluate(validQuery);
    const error = await decryptGroupAggregate(otherBuyer, result).catch((caught: unknown) => caught);
    expect((error as HeClientError).code).toBe('UNDECRYPTABLE_RESULT');
  });
});
