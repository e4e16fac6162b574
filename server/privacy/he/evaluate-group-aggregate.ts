// The private group aggregate, the server's half: from the buyer's encrypted 0/1 selection
// over G groups and the provider's per-group row counts and sums (aggregated by the database,
// so HE cost grows with G, not with rows), one ciphertext whose slot 0 is Σ s_g · sum_g and
// whose slot N/2 is Σ s_g · rows_g; the buyer divides for the mean. The server learns neither
// the selection nor the answer; the buyer learns the two totals and nothing else.
//
// What it computes, slot-wise over the BFV batch (t = the plain modulus, a prime):
//   s' = s + swap(s)                 the selection in both batch rows, whatever the buyer put
//                                    in the second (rows are equal by construction, so count
//                                    and sum always describe the same groups)
//   x  = s' ⊙ v + ρ ⊙ (s'² − s') [+ ρ'_row ⊙ s']
// with v = (sums in row 0 | row counts in row 1), zero for groups under the k-threshold, and
// ρ uniform in Z_t per slot and per query. For s'_i ∈ {0, 1} the ρ term is 0; for any other
// value it is uniform, so a selection crafted to pack several totals into one answer
// (s = 1, 2^20, 2^40, ...) decrypts to noise: the 0/1 rule is enforced without seeing s.
// When the policy wants one group per query, ρ'_row · Σ s'_i is added and ρ'_row subtracted
// at the end: zero for exactly one selected group, uniform otherwise. Then rotate-and-sum
// over log2(G) power-of-two steps puts each row's total in its first slot (see answer.ts for
// the masking of the others), and the privacy noise is added there.
//
// The products are taken in NTT form, so the provider's encoded data (v) is what the
// plaintext cache keeps between queries.

import type { Plaintext } from 'node-seal';
import { HandleScope } from '../../../sdk/he/handle-scope.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import { groupAggregateRotationSteps } from '../../../sdk/he/params.ts';
import { bfvResultSlots, type GroupAggregateQuery, type GroupAggregateResult, type NoiseDisclosure } from '../../../sdk/he/query-result.ts';
import { sealBfvAnswer } from './answer.ts';
import { getHeContext, type EvaluatorRuntime } from './context.ts';
import { uniformBelow, uniformNonZeroBelow } from './csprng.ts';
import { drawIntegerNoise, NOISE_TAIL_SCALES, planNoise, querySensitivity, type IntegerClipping, type NoiseRequest } from './dp-noise.ts';
import { HeInputError } from './errors.ts';
import { applyKThreshold, checkKThreshold } from './k-threshold.ts';
import { asInputError, loadQueryCiphertext, obtainKeys, readKeyBundle, readQueryCiphertext, type KeyLease } from './query-inputs.ts';
import { obtainFrom, type CacheLease, type EvaluationCaches } from './seal-cache.ts';

/** One group as the database aggregates it: its row count and the sum of the (clipped) column. */
export interface GroupStatistics {
  rows: number;
  sum: bigint;
}

export interface GroupQueryPolicy {
  /** Groups with fewer rows never contribute. */
  kThreshold: number;
  /** 'one-hot': exactly one group per query; 'subset': any set of groups. */
  selection: 'one-hot' | 'subset';
}

export interface GroupAggregateInput {
  /** The buyer's public bundle, as uploaded (sdk/he/key-set.ts). */
  keys: PublicKeyBundle;
  query: GroupAggregateQuery;
  /** Group g is slot g of the selection, in the order the catalog lists the groups. */
  groups: readonly GroupStatistics[];
  policy: GroupQueryPolicy;
  /** Differential-privacy noise: the ε to spend and the column's clipping bounds. */
  noise?: (NoiseRequest & { clipping: IntegerClipping }) | null;
  /** Names the encoded data for the plaintext cache, e.g. `${versionId}:${column}`. */
  cacheKey?: string;
}

export interface EvaluationOptions {
  caches?: EvaluationCaches;
}

export function checkSelectionPolicy(policy: unknown): asserts policy is GroupQueryPolicy {
  if (typeof policy !== 'object' || policy === null) {
    throw new HeInputError('INVALID_POLICY', 'a query policy is required');
  }
  const { kThreshold, selection } = policy as Record<string, unknown>;
  checkKThreshold(kThreshold);
  if (selection !== 'one-hot' && selection !== 'subset') {
    throw new HeInputError('INVALID_POLICY', "policy.selection must be 'one-hot' or 'subset'");
  }
}

function checkGroups(groups: unknown, bfv: EvaluatorRuntime): asserts groups is readonly GroupStatistics[] {
  if (!Array.isArray(groups) || groups.length === 0) {
    throw new HeInputError('TOTALS_OUT_OF_RANGE', 'groups must list at least one group');
  }
  if (groups.length > bfv.rowSize) {
    throw new HeInputError('OVERSIZED_INPUT', `${groups.length} groups exceed the ${bfv.rowSize} slots of a batch row`);
  }
  for (const group of groups as unknown[]) {
    const { rows, sum } = (group ?? {}) as Record<string, unknown>;
    if (typeof rows !== 'number' || !Number.isSafeInteger(rows) || rows < 0 || typeof sum !== 'bigint') {
      throw new HeInputError('TOTALS_OUT_OF_RANGE', 'each group needs a non-negative integer row count and a bigint sum');
    }
  }
}

/** Refuses sums that break the clipping bounds the noise is calibrated to. */
export function checkClippedSums(
  groups: readonly GroupStatistics[],
  clipping: IntegerClipping,
): void {
  for (const { rows, sum } of groups) {
    const count = BigInt(rows);
    if (sum < count * clipping.lower || sum > count * clipping.upper) {
      throw new HeInputError('TOTALS_OUT_OF_RANGE', 'a group sum lies outside rows × the clipping bounds');
    }
  }
}

/** Refuses data whose answer, with the largest noise that can be drawn, could leave the signed range. */
export function checkSignedRange(bound: bigint, noiseScale: number, bfv: EvaluatorRuntime, what: string): void {
  const margin = BigInt(Math.ceil(NOISE_TAIL_SCALES * noiseScale));
  if (bound + margin > bfv.maxExactSum) {
    throw new HeInputError(
      'TOTALS_OUT_OF_RANGE',
      `the ${what} could reach ${bound + margin} with noise, above the largest exact aggregate ${bfv.maxExactSum}`,
    );
  }
}

/**
 * Evaluates the private group aggregate. Throws HeInputError, before any evaluation, for
 * input it refuses.
 */
export async function evaluateGroupAggregate(
  input: GroupAggregateInput,
  options: EvaluationOptions = {},
): Promise<GroupAggregateResult> {
  const he = await getHeContext();
  const { seal, bfv } = he;
  const { keys, query, groups, policy, noise: noiseRequest, cacheKey } = input;
  checkSelectionPolicy(policy);
  checkGroups(groups, bfv);
  if (typeof query !== 'object' || query === null || query.kind !== 'group-aggregate') {
    throw new HeInputError('INVALID_QUERY', 'not a group-aggregate query');
  }
  if (query.groupCount !== groups.length) {
    throw new HeInputError('INVALID_QUERY', `the selection was made for ${query.groupCount} groups, the data has ${groups.length}`);
  }
  let noise: NoiseDisclosure | null = null;
  if (noiseRequest) {
    noise = planNoise(querySensitivity({ kind: 'group-aggregate', clipping: noiseRequest.clipping }), noiseRequest);
    checkClippedSums(groups, noiseRequest.clipping);
  }
  const { contributes, suppressedGroups } = applyKThreshold(
    groups.map((group) => group.rows),
    policy.kThreshold,
  );
  // Any 0/1 selection's sum lies between the negative sums' total and the positive sums'.
  let positive = 0n;
  let negative = 0n;
  let rowBound = 0n;
  groups.forEach(({ rows, sum }, group) => {
    if (!contributes[group]) return;
    if (sum > 0n) positive += sum;
    else negative -= sum;
    rowBound += BigInt(rows);
  });
  checkSignedRange(positive > negative ? positive : negative, noise?.scales.sum ?? 0, bfv, 'sum');
  checkSignedRange(rowBound, noise?.scales.count ?? 0, bfv, 'row count');

  const keyWires = await readKeyBundle(keys, bfv);
  const selectionBlob = readQueryCiphertext(query.selection, 'selection', bfv);

  const groupCount = groups.length;
  const steps = groupAggregateRotationSteps(groupCount, bfv.rowSize);
  const { evaluator, batchEncoder, plainModulus: t, slots, rowSize } = bfv;
  const resultSlots = bfvResultSlots(rowSize);
  const scope = new HandleScope();
  const firstParmsId = scope.own(bfv.context.firstParmsId());
  const encodeNtt = (values: BigUint64Array): Plaintext => {
    const plain = new seal.Plaintext();
    batchEncoder!.encode(values, plain);
    evaluator.plainTransformToNttInplace(plain, firstParmsId);
    return plain;
  };
  let data: CacheLease<Plaintext> | undefined;
  let keyLease: KeyLease | undefined;
  try {
    const dataKey = cacheKey && `${cacheKey}|group-aggregate|k=${policy.kThreshold}|g=${groupCount}`;
    data = obtainFrom<Plaintext>(options.caches?.plaintexts, dataKey, (keep) => {
      const values = new BigUint64Array(slots);
      groups.forEach(({ rows, sum }, group) => {
        if (!contributes[group]) return;
        values[resultSlots.sum + group] = ((sum % t) + t) % t;
        values[resultSlots.count + group] = BigInt(rows);
      });
      keep(encodeNtt(values));
    });
    keyLease = obtainKeys(he, bfv, keyWires, steps, options.caches?.keys);
    const { publicKey, relinKeys, galoisKeys } = keyLease.keys;
    const selection = loadQueryCiphertext(he, bfv, selectionBlob, 'selection', scope);

    // s' = s + swap(s), then z = s'² − s', both into NTT form for the plaintext products.
    const doubled = scope.own(new seal.Ciphertext());
    evaluator.rotateColumns(selection, galoisKeys, doubled);
    evaluator.addInplace(doubled, selection);
    const check = scope.own(new seal.Ciphertext());
    evaluator.square(doubled, check);
    evaluator.subInplace(check, doubled);
    evaluator.cipherTransformToNttInplace(check);
    evaluator.cipherTransformToNttInplace(doubled);

    const result = scope.own(new seal.Ciphertext());
    evaluator.multiplyPlain(check, scope.own(encodeNtt(uniformBelow(t, slots))), result);
    const term = scope.own(new seal.Ciphertext());
    // All groups suppressed: a product with zero would be transparent, which SEAL refuses.
    if (!data.objects[0]!.isZero()) {
      evaluator.multiplyPlain(doubled, data.objects[0]!, term);
      evaluator.addInplace(result, term);
    }

    const answerTerms = new Map<number, bigint>([
      [resultSlots.sum, noise ? drawIntegerNoise(noise.scales.sum!) : 0n],
      [resultSlots.count, noise ? drawIntegerNoise(noise.scales.count) : 0n],
    ]);
    if (policy.selection === 'one-hot') {
      const offsets = new BigUint64Array(slots);
      for (const slot of [resultSlots.sum, resultSlots.count]) {
        const offset = uniformNonZeroBelow(t);
        offsets.fill(offset, slot, slot + rowSize);
        answerTerms.set(slot, answerTerms.get(slot)! - offset);
      }
      evaluator.multiplyPlain(doubled, scope.own(encodeNtt(offsets)), term);
      evaluator.addInplace(result, term);
    }

    evaluator.cipherTransformFromNttInplace(result);
    evaluator.relinearizeInplace(result, relinKeys);
    const rotated = scope.own(new seal.Ciphertext());
    for (const step of steps) {
      if (step === 0) continue;
      evaluator.rotateRows(result, step, galoisKeys, rotated);
      evaluator.addInplace(result, rotated);
    }
    return {
      kind: 'group-aggregate',
      keyId: keyWires.keyId,
      paramsFingerprint: bfv.fingerprint,
      noise,
      ciphertext: sealBfvAnswer(he, result, publicKey, answerTerms, scope),
      groupCount,
      suppressedGroups,
    };
  } catch (error) {
    throw asInputError(error);
  } finally {
    data?.release();
    keyLease?.release();
    scope.deleteAll();
  }
}
