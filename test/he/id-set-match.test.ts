import { beforeAll, describe, expect, it } from 'vitest';
import { HeClientError } from '../../sdk/he/errors.ts';
import {
  decryptIdSetMatch,
  encryptIdSet,
  expectedFalseMatches,
  idSetBuckets,
  idSetFalseMatchRate,
  newIdSetSalt,
  chooseIdSetDomainBits,
  type IdSetMatchRequest,
} from '../../sdk/he/id-set-match.ts';
import { generateKeySet, type KeySet } from '../../sdk/he/key-set.ts';
import type { IdSetMatchQuery } from '../../sdk/he/query-result.ts';
import { NOISE_TAIL_SCALES } from '../../server/privacy/he/dp-noise.ts';
import { HeInputError, type HeInputErrorCode } from '../../server/privacy/he/errors.ts';
import { bucketProviderRows, evaluateIdSetMatch, type IdSetMatchInput, type ProviderIdRows } from '../../server/privacy/he/evaluate-id-set.ts';
import { SealCache } from '../../server/privacy/he/seal-cache.ts';
import { encryptSlots, selectionUnderOtherParameters, truncatedKeyBundle } from './seal-fixtures.ts';

// The provider's list: 20,000 customers, every fifth with a second row (two purchases), and a
// value in fen per row. The buyer's set: 200 of them and 100 strangers.
const customers = Array.from({ length: 20_000 }, (_, index) => `+86139${String(index * 7 + 3).padStart(8, '0')}`);
const providerIds = [...customers, ...customers.filter((_, index) => index % 5 === 0)];
const rows: ProviderIdRows = {
  ids: providerIds,
  values: BigInt64Array.from(providerIds, (_, row) => BigInt(((row * 7919) % 50_000) + 100)),
};
const buyerIds = [...customers.slice(5_000, 5_200), ...Array.from({ length: 100 }, (_, index) => `stranger-${index}`)];
const DOMAIN_BITS = 14; // two ciphertexts: fast enough for a test, false matches to see

/** The answer the server must produce, computed in plaintext with the same hashing. */
async function expectedAnswer(request: IdSetMatchRequest, ids = buyerIds) {
  const { salt, domainBits } = request.query;
  const marked = new Set(await idSetBuckets(ids, salt, domainBits));
  const totals = bucketProviderRows(rows, salt, domainBits);
  let count = 0n;
  let sum = 0n;
  for (const bucket of marked) {
    count += BigInt(totals.counts[bucket]!);
    sum += totals.sums[bucket]!;
  }
  const buyerSet = new Set(ids);
  let trueCount = 0;
  for (const id of providerIds) if (buyerSet.has(id)) trueCount++;
  return { count, sum, trueCount };
}

async function refusal(promise: Promise<unknown>): Promise<HeInputErrorCode> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HeInputError);
  return (error as HeInputError).code;
}

const isNoise = (value: bigint) => value > 1n << 24n || value < -(1n << 24n);

let buyer: KeySet;
let request: IdSetMatchRequest;
// One key cache for the file: the ID-set key set carries 13 Galois keys (~14 MB).
const caches = { keys: new SealCache(256 * 2 ** 20) };

const evaluate = (query: IdSetMatchQuery, overrides: Partial<IdSetMatchInput> = {}) =>
  evaluateIdSetMatch(
    { keys: buyer.publicBundle(), query, rows, policy: { minSetSize: null }, publicRowCount: providerIds.length, ...overrides },
    { caches },
  );

beforeAll(async () => {
  buyer = await generateKeySet({ scheme: 'bfv', queries: ['id-set-match'] });
  request = await encryptIdSet(buyer, buyerIds, { domainBits: DOMAIN_BITS, declareSetSize: true });
});

describe('private ID-set match', () => {
  it('counts and sums the provider rows in the buyer’s buckets, as the plaintext computation does', async () => {
    const answer = await decryptIdSetMatch(buyer, await evaluate(request.query), request);
    const truth = await expectedAnswer(request);
    expect(answer.count).toBe(truth.count);
    expect(answer.sum).toBe(truth.sum);
    // 200 customers, 40 of them with two rows: 240 true matches, never missed.
    expect(truth.trueCount).toBe(240);
    expect(answer.count).toBeGreaterThanOrEqual(240n);
    // With the provider's public row count the buyer removes the false matches on average.
    expect(answer.falseMatches!.expected).toBeGreaterThan(0);
    expect(Math.abs(answer.estimatedTrueCount! - 240)).toBeLessThan(5 * answer.falseMatches!.standardDeviation + 1);
  });

  it('hashes identically on both sides (WebCrypto for the buyer, node:crypto for the server)', async () => {
    const salt = newIdSetSalt();
    const sample = customers.slice(0, 50);
    const buyerBuckets = await idSetBuckets(sample, salt, 20);
    sample.forEach((id, index) => {
      const { counts } = bucketProviderRows({ ids: [id], values: [1n] }, salt, 20);
      expect(counts[buyerBuckets[index]!]).toBe(1);
    });
  });

  it('answers a sparse provider list whose chunks are mostly empty', async () => {
    const sparse = { ids: customers.slice(5_000, 5_010), values: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n] };
    const sparseRequest = await encryptIdSet(buyer, buyerIds, { domainBits: 15 });
    const answer = await decryptIdSetMatch(buyer, await evaluate(sparseRequest.query, { rows: sparse }), sparseRequest);
    expect(answer).toMatchObject({ count: 10n, sum: 55n });
  });

  it('adds discrete Laplace noise of the disclosed scale when asked', async () => {
    const noise = { epsilon: 1, clipping: { lower: 0n, upper: 100_000n } };
    const answer = await decryptIdSetMatch(buyer, await evaluate(request.query, { noise }), request);
    const truth = await expectedAnswer(request);
    expect(answer.noise).toEqual({ mechanism: 'discrete-laplace', epsilon: 1, scales: { count: 2, sum: 200_000 } });
    expect(Math.abs(Number(answer.count - truth.count))).toBeLessThanOrEqual(NOISE_TAIL_SCALES * 2);
    expect(Math.abs(Number(answer.sum - truth.sum))).toBeLessThanOrEqual(NOISE_TAIL_SCALES * 200_000);
  });
});

describe('false matches of the ID-set hashing', () => {
  it('occur at the rate the formula gives, measured on synthetic identifiers', async () => {
    // 1,000 buyer identifiers against 100,000 provider rows that are all strangers to them:
    // every match is false. D = 2^17: p = 1 − (1 − 2^-17)^1000 ≈ 0.0076, E[F] ≈ 760, sd ≈ 27.5.
    const buyerSet = Array.from({ length: 1_000 }, (_, index) => `buyer-${index}`);
    const provider = { ids: Array.from({ length: 100_000 }, (_, index) => `provider-${index}`), values: new BigInt64Array(100_000) };
    const domainBits = 17;
    const { expected, standardDeviation } = expectedFalseMatches(buyerSet.length, provider.ids.length, domainBits);
    const measured: number[] = [];
    for (let draw = 0; draw < 3; draw++) {
      const salt = newIdSetSalt();
      const marked = new Set(await idSetBuckets(buyerSet, salt, domainBits));
      const { counts } = bucketProviderRows(provider, salt, domainBits);
      let falseMatches = 0;
      for (const bucket of marked) falseMatches += counts[bucket]!;
      measured.push(falseMatches);
      // Per salt: within 5 sd of the formula, and of n·m'/D given the buckets actually marked.
      expect(Math.abs(falseMatches - expected)).toBeLessThan(5 * standardDeviation);
      const givenMarks = (provider.ids.length * marked.size) / 2 ** domainBits;
      expect(Math.abs(falseMatches - givenMarks)).toBeLessThan(5 * Math.sqrt(givenMarks));
    }
    const mean = measured.reduce((sum, value) => sum + value, 0) / measured.length;
    expect(Math.abs(mean - expected)).toBeLessThan((5 * standardDeviation) / Math.sqrt(measured.length));
    expect(idSetFalseMatchRate(1_000, domainBits)).toBeCloseTo(1_000 / 2 ** domainBits, 4);
  });

  it('gives ~950 expected false matches for 1,000 buyer ids against 1,000,000 rows at the default 2^20', () => {
    const { expected, standardDeviation } = expectedFalseMatches(1_000, 1_000_000, 20);
    expect(expected).toBeGreaterThan(940);
    expect(expected).toBeLessThan(960);
    expect(standardDeviation).toBeLessThan(32);
    expect(chooseIdSetDomainBits(1_000, 1_000_000, 300)).toBe(22);
    expect(chooseIdSetDomainBits(100, 10_000, 5)).toBe(18);
  });
});

describe('protections of the ID-set match', () => {
  it('turns an indicator that is not 0/1 into noise instead of packed buckets', async () => {
    const chunk = await encryptSlots(buyer, [1n, 1n << 20n, 3n]);
    const crafted = { ...request.query, chunks: [chunk, chunk], declaredBuckets: null };
    const answer = await decryptIdSetMatch(buyer, await evaluate(crafted), request);
    expect(isNoise(answer.count) && isNoise(answer.sum)).toBe(true);
  });

  it('turns a false set-size declaration into noise, and refuses one below the dataset’s minimum', async () => {
    const understated = { ...request.query, declaredBuckets: request.markedBuckets - 1 };
    const answer = await decryptIdSetMatch(buyer, await evaluate(understated), request);
    expect(isNoise(answer.count) && isNoise(answer.sum)).toBe(true);
    const policy = { minSetSize: request.markedBuckets + 1 };
    expect(await refusal(evaluate(request.query, { policy }))).toBe('POLICY_VIOLATION');
    expect(await refusal(evaluate({ ...request.query, declaredBuckets: null }, { policy: { minSetSize: 10 } }))).toBe('POLICY_VIOLATION');
    const honest = await decryptIdSetMatch(buyer, await evaluate(request.query, { policy: { minSetSize: 100 } }), request);
    expect(honest.count).toBe((await expectedAnswer(request)).count);
  });

  it('refuses a query that does not fit its domain: chunk count, salt, domain size', async () => {
    expect(await refusal(evaluate({ ...request.query, chunks: request.query.chunks.slice(1) }))).toBe('INVALID_QUERY');
    expect(await refusal(evaluate({ ...request.query, salt: 'not a salt' }))).toBe('INVALID_QUERY');
    expect(await refusal(evaluate({ ...request.query, domainBits: 23 }))).toBe('INVALID_QUERY');
    expect(await refusal(evaluate(request.query, { policy: { minSetSize: null, maxDomainBits: 13 } }))).toBe('INVALID_QUERY');
  });

  it('refuses a chunk made under other parameters and a truncated key', async () => {
    const foreign = { ...request.query, chunks: [request.query.chunks[0]!, await selectionUnderOtherParameters()] };
    expect(await refusal(evaluate(foreign))).toBe('PARAMETER_MISMATCH');
    expect(await refusal(evaluate(request.query, { keys: await truncatedKeyBundle(buyer.publicBundle()) }))).toBe('MALFORMED_KEY');
  });

  it('needs a key set made for the ID-set match, on both sides', async () => {
    const groupKeys = await generateKeySet({ scheme: 'bfv', groupCapacity: 4 });
    const error = await encryptIdSet(groupKeys, buyerIds).catch((caught: unknown) => caught);
    expect((error as HeClientError).code).toBe('UNSUPPORTED_QUERY');
    expect(await refusal(evaluate(request.query, { keys: groupKeys.publicBundle() }))).toBe('MALFORMED_KEY');
  });
});
