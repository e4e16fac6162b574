// The buyer's half of the private ID-set match: "how many of my customers are in your list, and
// what is their total?" — count and sum over the provider's rows whose identifier is in the
// buyer's secret set, without either side showing its identifiers.
//
// Hashing. Both sides map an identifier to one of D = 2^domainBits buckets:
//   bucket(id) = first 32 bits of SHA-256(UTF-8 "pdx/id-set/v1\n" ‖ salt ‖ "\n" ‖ id) >> (32 − domainBits)
// with a 128-bit salt fresh for every query: the exchange issues it per licence and query
// (issueIdSetSalt) and refuses a query whose salt was already used (SALT_REUSED). Identifiers are compared byte for byte, so
// normalise them first (E.164 phone numbers, lower-cased e-mail addresses, or their hashes).
// The buyer encrypts the 0/1 indicator of the buckets its identifiers fall in, 8192 buckets
// per BFV ciphertext (all slots of both batch rows); the server hashes its rows with the same
// salt, totals its row count and value sum per bucket, multiplies them into the indicator and
// sums (server/privacy/he/evaluate-id-set.ts).
//
// False matches. No true match is ever missed; a provider row whose identifier is not in the
// buyer's set is counted when it lands in a marked bucket. With m buyer identifiers marking
// m' ≤ m distinct buckets, a non-member row is counted with probability
//     p = m' / D,    E[p] = 1 − (1 − 1/D)^m ≈ m / D,
// so among n provider rows of which n∩ match, the count exceeds n∩ by F ~ Binomial(n − n∩, p):
//     E[F] = (n − n∩) · p,   sd(F) ≈ √((n − n∩) · p).
// For m = 1,000 and n = 1,000,000: D = 2^20 (the default) gives p ≈ 9.5e-4, E[F] ≈ 950, sd ≈ 31;
// every doubling of D halves E[F] and doubles the upload (128 ciphertexts, ~28 MB, at 2^20).
// When the dataset publishes n, the buyer removes the bias: n∩ ≈ (count − n·p) / (1 − p),
// leaving an error of about sd(F) (decryptIdSetMatch does it). A fresh salt per query makes
// the false matches of two queries independent, so differencing two answers (X and X ∪ {id})
// meets a noise of sd ≈ √(2 E[F]) instead of revealing one row.

import { centred, checkResultFor, decryptSlots, encryptSlots, runtimeForQuery } from './buyer-crypto.ts';
import { encodeHex, sha256 } from './encoding.ts';
import { HeClientError } from './errors.ts';
import type { KeySet } from './key-set.ts';
import { bfvResultSlots, type IdSetMatchQuery, type IdSetMatchResult, type NoiseDisclosure } from './query-result.ts';

export const ID_SET_HASH_DOMAIN = 'pdx/id-set/v1';
/** Buckets per ciphertext: every slot of a BFV batch (N = 8192). */
export const ID_SET_CHUNK_BUCKETS = 8192;
export const MIN_ID_SET_DOMAIN_BITS = 13;
/** 2^22 buckets is 512 ciphertexts, ~110 MB to upload: the largest query accepted. */
export const MAX_ID_SET_DOMAIN_BITS = 22;
export const DEFAULT_ID_SET_DOMAIN_BITS = 20;

const SALT_PATTERN = /^[0-9a-f]{32}$/;

/** A fresh 128-bit salt, as 32 lower-case hex digits. */
export function newIdSetSalt(): string {
  return encodeHex(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

export function isIdSetSalt(salt: unknown): salt is string {
  return typeof salt === 'string' && SALT_PATTERN.test(salt);
}

export function isIdSetDomainBits(domainBits: unknown): domainBits is number {
  return (
    typeof domainBits === 'number' &&
    Number.isInteger(domainBits) &&
    domainBits >= MIN_ID_SET_DOMAIN_BITS &&
    domainBits <= MAX_ID_SET_DOMAIN_BITS
  );
}

/** The text whose SHA-256 places an identifier: the same on both sides. */
export function idSetHashMessage(salt: string, id: string): string {
  return `${ID_SET_HASH_DOMAIN}\n${salt}\n${id}`;
}

/** The bucket a SHA-256 digest of idSetHashMessage falls in. */
export function idSetBucketOf(digest: Uint8Array, domainBits: number): number {
  const first = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  return first >>> (32 - domainBits);
}

/** The buckets of the given identifiers (WebCrypto, so it runs in the browser too). */
export async function idSetBuckets(ids: readonly string[], salt: string, domainBits: number): Promise<Uint32Array> {
  const encoder = new TextEncoder();
  const digests = await Promise.all(ids.map((id) => sha256(encoder.encode(idSetHashMessage(salt, id)))));
  return Uint32Array.from(digests, (digest) => idSetBucketOf(digest, domainBits));
}

/** P(a provider row outside the buyer's set is counted) = 1 − (1 − 1/D)^m, before hashing. */
export function idSetFalseMatchRate(buyerSetSize: number, domainBits: number): number {
  return -Math.expm1(buyerSetSize * Math.log1p(-(2 ** -domainBits)));
}

/** Expected false matches and their standard deviation for a provider list of n rows (n∩ ≪ n). */
export function expectedFalseMatches(
  buyerSetSize: number,
  providerRows: number,
  domainBits: number,
): { expected: number; standardDeviation: number } {
  const p = idSetFalseMatchRate(buyerSetSize, domainBits);
  return { expected: providerRows * p, standardDeviation: Math.sqrt(providerRows * p * (1 - p)) };
}

/**
 * The smallest domain whose expected false matches stay within `maxExpectedFalseMatches`,
 * capped at MAX_ID_SET_DOMAIN_BITS (check the result: the cap may not meet the target).
 */
export function chooseIdSetDomainBits(
  buyerSetSize: number,
  providerRows: number,
  maxExpectedFalseMatches: number,
): number {
  for (let bits = MIN_ID_SET_DOMAIN_BITS; bits < MAX_ID_SET_DOMAIN_BITS; bits++) {
    if (expectedFalseMatches(buyerSetSize, providerRows, bits).expected <= maxExpectedFalseMatches) return bits;
  }
  return MAX_ID_SET_DOMAIN_BITS;
}

export interface EncryptIdSetOptions {
  domainBits?: number;
  /**
   * The salt the exchange issued for this query (issueIdSetSalt); the exchange refuses any
   * other. Defaults to a fresh local salt, for evaluating outside the exchange.
   */
  salt?: string;
  /** Tell the server how many buckets are marked, for datasets with a minimum set size. */
  declareSetSize?: boolean;
}

/** The query to upload, and what the buyer keeps to read the answer. */
export interface IdSetMatchRequest {
  query: IdSetMatchQuery;
  /** Distinct buckets marked (m'): the false-match rate is m' / D. */
  markedBuckets: number;
  /** Distinct identifiers in the set. */
  setSize: number;
}

export async function encryptIdSet(
  keySet: KeySet,
  identifiers: Iterable<string>,
  options: EncryptIdSetOptions = {},
): Promise<IdSetMatchRequest> {
  const runtime = await runtimeForQuery(keySet, 'id-set-match');
  const domainBits = options.domainBits ?? DEFAULT_ID_SET_DOMAIN_BITS;
  if (!isIdSetDomainBits(domainBits)) {
    throw new HeClientError(
      'INVALID_QUERY',
      `domainBits must be an integer in [${MIN_ID_SET_DOMAIN_BITS}, ${MAX_ID_SET_DOMAIN_BITS}]`,
    );
  }
  const salt = options.salt ?? newIdSetSalt();
  if (!isIdSetSalt(salt)) throw new HeClientError('INVALID_QUERY', 'salt must be 32 lower-case hex digits');
  const ids = [...new Set(identifiers)];
  if (ids.length === 0 || ids.some((id) => typeof id !== 'string' || id.length === 0)) {
    throw new HeClientError('INVALID_QUERY', 'the set needs at least one identifier, each a non-empty string');
  }
  const slots = runtime.scheme.slots;
  const chunkCount = 2 ** domainBits / ID_SET_CHUNK_BUCKETS;
  const indicator = Array.from({ length: chunkCount }, () => new BigUint64Array(slots));
  let markedBuckets = 0;
  for (const bucket of await idSetBuckets(ids, salt, domainBits)) {
    const chunk = indicator[Math.floor(bucket / ID_SET_CHUNK_BUCKETS)]!;
    const slot = bucket % ID_SET_CHUNK_BUCKETS;
    if (chunk[slot] === 0n) markedBuckets++;
    chunk[slot] = 1n;
  }
  return {
    query: {
      kind: 'id-set-match',
      salt,
      domainBits,
      chunks: indicator.map((values) => encryptSlots(runtime, keySet, values)),
      declaredBuckets: options.declareSetSize ? markedBuckets : null,
    },
    markedBuckets,
    setSize: ids.length,
  };
}

export interface IdSetMatchAnswer {
  /** Provider rows counted: the true matches plus the false ones (and noise, if any). */
  count: bigint;
  /** Their value sum. */
  sum: bigint;
  /** When the dataset publishes its row count: the count with false matches removed on average. */
  estimatedTrueCount: number | null;
  /** The false matches expected in `count` (same condition), and their standard deviation. */
  falseMatches: { expected: number; standardDeviation: number } | null;
  noise: NoiseDisclosure | null;
}

export async function decryptIdSetMatch(
  keySet: KeySet,
  result: IdSetMatchResult,
  request: Pick<IdSetMatchRequest, 'markedBuckets'>,
): Promise<IdSetMatchAnswer> {
  checkResultFor(keySet, result, 'id-set-match');
  const runtime = await runtimeForQuery(keySet, 'id-set-match');
  const slots = decryptSlots(runtime, keySet, result.ciphertext) as BigUint64Array;
  const { sum: sumSlot, count: countSlot } = bfvResultSlots(runtime.scheme.rowSize);
  const t = runtime.scheme.plainModulus;
  const count = centred(slots[countSlot]!, t);
  const sum = centred(slots[sumSlot]!, t);
  const n = result.publicRowCount;
  if (n === null || !Number.isFinite(n)) {
    return { count, sum, estimatedTrueCount: null, falseMatches: null, noise: result.noise };
  }
  const p = request.markedBuckets / 2 ** result.domainBits;
  const estimatedTrueCount = (Number(count) - n * p) / (1 - p);
  const nonMembers = Math.max(0, n - estimatedTrueCount);
  return {
    count,
    sum,
    estimatedTrueCount,
    falseMatches: { expected: nonMembers * p, standardDeviation: Math.sqrt(nonMembers * p * (1 - p)) },
    noise: result.noise,
  };
}
