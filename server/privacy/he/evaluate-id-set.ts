// The private ID-set match, the server's half (the hashing scheme and its false-match rate are
// described in sdk/he/id-set-match.ts). The provider's rows are hashed with the query's salt
// into D buckets, each bucket keeping its row count and value sum; the buyer's encrypted 0/1
// bucket indicator, 8192 buckets per ciphertext, is multiplied into them and summed, giving
// Σ_j b_j · sum_j in slot 0 and Σ_j b_j · count_j in slot N/2.
//
// Per chunk k (bucket j = 8192k + slot; row 0 holds slots [0, 4096), row 1 the rest):
//   z_k = s_k² − s_k                                     zero iff every slot is 0 or 1
//   A  += s_k ⊙ (sums of row-0 buckets | counts of row-1 buckets) + ρ_k  ⊙ z_k
//   B  += s_k ⊙ (counts of row-0 buckets | sums of row-1 buckets) + ρ'_k ⊙ z_k
// with ρ_k, ρ'_k uniform in Z_t per slot, fresh for every chunk (one shared ρ would let two
// malformed chunks cancel). Then A + swap(B) holds the sum products in row 0 and the count
// products in row 1, and rotating and adding over a row puts both totals in place. A slot
// outside {0, 1} anywhere makes both totals uniform noise, which stops a buyer from packing
// several buckets into one answer (b = 1, 2^20, ...) and from defeating the set-size check:
// with a declared number of marked buckets m', ρ''·(Σ b_j − m') is added to each total —
// zero when the declaration is true, noise otherwise — so a dataset's minimum set size
// holds without the server seeing the indicator. Products are taken in NTT form, one square
// per chunk: HE cost grows with D / 8192, hashing with the provider's rows.
//
// Limits: there are no groups here, so no k-threshold; what stands in for it is the minimum
// set size (above) and the false matches themselves — a set of one identifier answers
// "present or not" plus ~n/D false rows, which a fresh salt per query re-draws. The hard
// guarantee against singling out a row is the differential-privacy noise. Per-bucket data
// can be cached only when the salt is reused (a per-version salt), which gives up the fresh
// draw; by default nothing is cached and every query hashes the provider's rows again.

import { hash } from 'node:crypto';
import type { Ciphertext, Plaintext } from 'node-seal';
import { HandleScope } from '../../../sdk/he/handle-scope.ts';
import {
  ID_SET_CHUNK_BUCKETS,
  idSetBucketOf,
  idSetHashMessage,
  isIdSetDomainBits,
  isIdSetSalt,
  MAX_ID_SET_DOMAIN_BITS,
  MIN_ID_SET_DOMAIN_BITS,
} from '../../../sdk/he/id-set-match.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import { idSetRotationSteps } from '../../../sdk/he/params.ts';
import { bfvResultSlots, type IdSetMatchQuery, type IdSetMatchResult, type NoiseDisclosure } from '../../../sdk/he/query-result.ts';
import { sealBfvAnswer } from './answer.ts';
import { getHeContext } from './context.ts';
import { uniformBelow, uniformNonZeroBelow } from './csprng.ts';
import { drawIntegerNoise, planNoise, querySensitivity, type IntegerClipping, type NoiseRequest } from './dp-noise.ts';
import { HeInputError } from './errors.ts';
import { checkSignedRange, type EvaluationOptions } from './evaluate-group-aggregate.ts';
import { asInputError, loadQueryCiphertext, obtainKeys, readKeyBundle, readQueryCiphertext, type KeyLease } from './query-inputs.ts';
import { obtainFrom, type CacheLease } from './seal-cache.ts';
import type { SealBlob } from './serialized-input.ts';

/** The provider's rows as the database reads them: the key column and the (clipped) value column. */
export interface ProviderIdRows {
  ids: readonly string[];
  values: BigInt64Array | readonly bigint[];
}

export interface IdSetPolicy {
  /**
   * The fewest buckets a query may mark; null for no minimum. Queries must then declare
   * their marked-bucket count, which the evaluation checks obliviously.
   */
  minSetSize: number | null;
  /** The largest domain accepted (bounds the upload and the work), at most 22. */
  maxDomainBits?: number;
}

export interface IdSetMatchInput {
  keys: PublicKeyBundle;
  query: IdSetMatchQuery;
  rows: ProviderIdRows;
  policy: IdSetPolicy;
  noise?: (NoiseRequest & { clipping: IntegerClipping }) | null;
  /** The provider's row count, when the catalog publishes it: echoed for the buyer's estimate. */
  publicRowCount?: number | null;
  /** Names the bucketed data for the plaintext cache; must change with the salt and the version. */
  cacheKey?: string;
}

/** Per-bucket row counts and value sums of the provider's rows under one salt. */
export interface BucketTotals {
  counts: Uint32Array;
  sums: BigInt64Array;
}

/** Hashes the provider's identifiers (sdk/he/id-set-match.ts) and totals rows and values per bucket. */
export function bucketProviderRows(rows: ProviderIdRows, salt: string, domainBits: number): BucketTotals {
  const size = 2 ** domainBits;
  const counts = new Uint32Array(size);
  const sums = new BigInt64Array(size);
  const { ids, values } = rows;
  for (let row = 0; row < ids.length; row++) {
    const digest = hash('sha256', idSetHashMessage(salt, ids[row]!), 'buffer') as Buffer;
    const bucket = idSetBucketOf(digest, domainBits);
    counts[bucket]!++;
    sums[bucket]! += values[row]!;
  }
  return { counts, sums };
}

function checkQuery(query: unknown, policy: IdSetPolicy): asserts query is IdSetMatchQuery {
  if (typeof query !== 'object' || query === null || (query as { kind?: unknown }).kind !== 'id-set-match') {
    throw new HeInputError('INVALID_QUERY', 'not an id-set-match query');
  }
  const { salt, domainBits, chunks, declaredBuckets } = query as Record<string, unknown>;
  if (!isIdSetSalt(salt)) throw new HeInputError('INVALID_QUERY', 'salt must be 32 lower-case hex digits');
  const maxBits = policy.maxDomainBits ?? MAX_ID_SET_DOMAIN_BITS;
  if (!isIdSetDomainBits(domainBits) || domainBits > maxBits) {
    throw new HeInputError('INVALID_QUERY', `domainBits must be an integer in [${MIN_ID_SET_DOMAIN_BITS}, ${maxBits}]`);
  }
  if (!Array.isArray(chunks) || chunks.length !== 2 ** domainBits / ID_SET_CHUNK_BUCKETS) {
    throw new HeInputError('INVALID_QUERY', `a domain of 2^${domainBits} buckets takes ${2 ** domainBits / ID_SET_CHUNK_BUCKETS} chunks`);
  }
  if (declaredBuckets !== null && declaredBuckets !== undefined) {
    if (typeof declaredBuckets !== 'number' || !Number.isSafeInteger(declaredBuckets) || declaredBuckets < 1 || declaredBuckets > 2 ** domainBits) {
      throw new HeInputError('INVALID_QUERY', 'declaredBuckets must be a positive integer within the domain');
    }
  }
  if (policy.minSetSize !== null) {
    if (typeof declaredBuckets !== 'number') {
      throw new HeInputError('POLICY_VIOLATION', `this dataset needs a declared set size of at least ${policy.minSetSize}`);
    }
    if (declaredBuckets < policy.minSetSize) {
      throw new HeInputError('POLICY_VIOLATION', `the set marks ${declaredBuckets} buckets, fewer than the minimum ${policy.minSetSize}`);
    }
  }
}

function checkPolicy(policy: unknown): asserts policy is IdSetPolicy {
  const { minSetSize, maxDomainBits } = (policy ?? {}) as Record<string, unknown>;
  if (typeof policy !== 'object' || policy === null || (minSetSize !== null && (typeof minSetSize !== 'number' || !Number.isSafeInteger(minSetSize) || minSetSize < 1))) {
    throw new HeInputError('INVALID_POLICY', 'policy.minSetSize must be null or an integer ≥ 1');
  }
  if (maxDomainBits !== undefined && !isIdSetDomainBits(maxDomainBits)) {
    throw new HeInputError('INVALID_POLICY', 'policy.maxDomainBits must be a supported domain size');
  }
}

function checkRows(rows: unknown, clipping: IntegerClipping | undefined): { sumBound: bigint; count: number } {
  const { ids, values } = (rows ?? {}) as Record<string, unknown>;
  if (!Array.isArray(ids) || !(Array.isArray(values) || values instanceof BigInt64Array) || ids.length !== values.length) {
    throw new HeInputError('TOTALS_OUT_OF_RANGE', 'rows need an identifier and a value each');
  }
  // Any match's sum lies between the negative values' total and the positive values'.
  let positive = 0n;
  let negative = 0n;
  for (let row = 0; row < ids.length; row++) {
    const value = values[row];
    if (typeof ids[row] !== 'string' || typeof value !== 'bigint') {
      throw new HeInputError('TOTALS_OUT_OF_RANGE', 'identifiers must be strings and values bigints');
    }
    if (clipping && (value < clipping.lower || value > clipping.upper)) {
      throw new HeInputError('TOTALS_OUT_OF_RANGE', 'a value lies outside the clipping bounds');
    }
    if (value > 0n) positive += value;
    else negative -= value;
  }
  return { sumBound: positive > negative ? positive : negative, count: ids.length };
}

/**
 * Evaluates the private ID-set match. Throws HeInputError, before any evaluation, for input
 * it refuses.
 */
export async function evaluateIdSetMatch(input: IdSetMatchInput, options: EvaluationOptions = {}): Promise<IdSetMatchResult> {
  const he = await getHeContext();
  const { seal, bfv } = he;
  const { keys, query, rows, policy, noise: noiseRequest, publicRowCount = null, cacheKey } = input;
  checkPolicy(policy);
  checkQuery(query, policy);
  let noise: NoiseDisclosure | null = null;
  if (noiseRequest) noise = planNoise(querySensitivity({ kind: 'id-set-match', clipping: noiseRequest.clipping }), noiseRequest);
  const { sumBound, count } = checkRows(rows, noiseRequest?.clipping);
  checkSignedRange(sumBound, noise?.scales.sum ?? 0, bfv, 'sum');
  checkSignedRange(BigInt(count), noise?.scales.count ?? 0, bfv, 'row count');
  if (publicRowCount !== null && (!Number.isSafeInteger(publicRowCount) || publicRowCount < 0)) {
    throw new HeInputError('INVALID_POLICY', 'publicRowCount must be null or a non-negative integer');
  }

  const declaredBuckets = typeof query.declaredBuckets === 'number' ? BigInt(query.declaredBuckets) : null;

  const keyWires = await readKeyBundle(keys, bfv);
  const chunkBlobs: SealBlob[] = query.chunks.map((chunk, index) => readQueryCiphertext(chunk, `chunks[${index}]`, bfv));

  const { evaluator, batchEncoder, plainModulus: t, slots, rowSize } = bfv;
  const resultSlots = bfvResultSlots(rowSize);
  const chunkCount = chunkBlobs.length;
  const steps = idSetRotationSteps(rowSize);
  const scope = new HandleScope();
  const firstParmsId = scope.own(bfv.context.firstParmsId());
  const encodeNtt = (values: BigUint64Array): Plaintext => {
    const plain = new seal.Plaintext();
    batchEncoder!.encode(values, plain);
    evaluator.plainTransformToNttInplace(plain, firstParmsId);
    return plain;
  };
  let totals: BucketTotals | undefined;
  const bucketTotals = () => (totals ??= bucketProviderRows(rows, query.salt, query.domainBits));
  // The two data plaintexts of chunk k: (sums | counts) and (counts | sums) by batch row.
  const buildChunk = (chunk: number, keep: (plain: Plaintext) => Plaintext) => {
    const { counts, sums } = bucketTotals();
    const first = new BigUint64Array(slots);
    const second = new BigUint64Array(slots);
    const base = chunk * ID_SET_CHUNK_BUCKETS;
    for (let slot = 0; slot < slots; slot++) {
      const bucket = base + slot;
      const sum = ((sums[bucket]! % t) + t) % t;
      const rowCount = BigInt(counts[bucket]!);
      const inFirstRow = slot < rowSize;
      first[slot] = inFirstRow ? sum : rowCount;
      second[slot] = inFirstRow ? rowCount : sum;
    }
    keep(encodeNtt(first));
    keep(encodeNtt(second));
  };
  let cached: CacheLease<Plaintext> | undefined;
  let keyLease: KeyLease | undefined;
  try {
    // With a cache key every chunk's data is built at once and kept; without, chunk by chunk.
    if (cacheKey !== undefined && options.caches?.plaintexts) {
      cached = obtainFrom<Plaintext>(options.caches.plaintexts, `${cacheKey}|id-set|${query.salt}|d=${query.domainBits}`, (keep) => {
        for (let chunk = 0; chunk < chunkCount; chunk++) buildChunk(chunk, keep);
      });
    }
    keyLease = obtainKeys(he, bfv, keyWires, steps, options.caches?.keys);
    const { publicKey, relinKeys, galoisKeys } = keyLease.keys;

    const sumsFirst = scope.own(new seal.Ciphertext());
    const countsFirst = scope.own(new seal.Ciphertext());
    const indicatorTotal = scope.own(new seal.Ciphertext());
    const check = scope.own(new seal.Ciphertext());
    const term = scope.own(new seal.Ciphertext());
    const accumulate = (into: Ciphertext, started: boolean) => (started ? evaluator.addInplace(into, term) : into.assign(term));
    for (let chunk = 0; chunk < chunkCount; chunk++) {
      const chunkScope = new HandleScope();
      try {
        const indicator = loadQueryCiphertext(he, bfv, chunkBlobs[chunk]!, `chunks[${chunk}]`, chunkScope);
        evaluator.square(indicator, check);
        evaluator.subInplace(check, indicator);
        evaluator.cipherTransformToNttInplace(check);
        evaluator.cipherTransformToNttInplace(indicator);
        let data: Plaintext[];
        if (cached) {
          data = cached.objects.slice(2 * chunk, 2 * chunk + 2);
        } else {
          data = [];
          buildChunk(chunk, (plain) => {
            data.push(chunkScope.own(plain));
            return plain;
          });
        }
        const started = chunk > 0;
        for (const [accumulator, buckets] of [[sumsFirst, data[0]!], [countsFirst, data[1]!]] as const) {
          evaluator.multiplyPlain(check, chunkScope.own(encodeNtt(uniformBelow(t, slots))), term);
          accumulate(accumulator, started);
          // A chunk without provider rows: the product would be transparent, which SEAL refuses.
          if (buckets.isZero()) continue;
          evaluator.multiplyPlain(indicator, buckets, term);
          evaluator.addInplace(accumulator, term);
        }
        if (declaredBuckets !== null) {
          if (started) evaluator.addInplace(indicatorTotal, indicator);
          else indicatorTotal.assign(indicator);
        }
      } finally {
        chunkScope.deleteAll();
      }
    }

    const answerTerms = new Map<number, bigint>([
      [resultSlots.sum, noise ? drawIntegerNoise(noise.scales.sum!) : 0n],
      [resultSlots.count, noise ? drawIntegerNoise(noise.scales.count) : 0n],
    ]);
    if (declaredBuckets !== null) {
      // ρ''_output · (Σ b − m'), per output: added to the products in both accumulators.
      const sumOffset = uniformNonZeroBelow(t);
      const countOffset = uniformNonZeroBelow(t);
      const offsets = (firstRow: bigint, secondRow: bigint) => {
        const values = new BigUint64Array(slots);
        values.fill(firstRow, 0, rowSize);
        values.fill(secondRow, rowSize);
        return scope.own(encodeNtt(values));
      };
      evaluator.multiplyPlain(indicatorTotal, offsets(sumOffset, countOffset), term);
      evaluator.addInplace(sumsFirst, term);
      evaluator.multiplyPlain(indicatorTotal, offsets(countOffset, sumOffset), term);
      evaluator.addInplace(countsFirst, term);
      answerTerms.set(resultSlots.sum, answerTerms.get(resultSlots.sum)! - sumOffset * declaredBuckets);
      answerTerms.set(resultSlots.count, answerTerms.get(resultSlots.count)! - countOffset * declaredBuckets);
    }

    evaluator.cipherTransformFromNttInplace(sumsFirst);
    evaluator.cipherTransformFromNttInplace(countsFirst);
    evaluator.relinearizeInplace(sumsFirst, relinKeys);
    evaluator.relinearizeInplace(countsFirst, relinKeys);
    evaluator.rotateColumnsInplace(countsFirst, galoisKeys);
    evaluator.addInplace(sumsFirst, countsFirst);
    const rotated = scope.own(new seal.Ciphertext());
    for (const step of steps) {
      if (step === 0) continue;
      evaluator.rotateRows(sumsFirst, step, galoisKeys, rotated);
      evaluator.addInplace(sumsFirst, rotated);
    }
    return {
      kind: 'id-set-match',
      keyId: keyWires.keyId,
      paramsFingerprint: bfv.fingerprint,
      noise,
      ciphertext: sealBfvAnswer(he, sumsFirst, publicKey, answerTerms, scope),
      domainBits: query.domainBits,
      publicRowCount,
    };
  } catch (error) {
    throw asInputError(error);
  } finally {
    cached?.release();
    keyLease?.release();
    scope.deleteAll();
  }
}
