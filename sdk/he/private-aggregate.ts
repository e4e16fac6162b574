// The buyer's half of the private group aggregate: encrypt which groups to aggregate (one BFV
// slot per group, 1 = selected), and decrypt the server's answer, the row count and the sum
// over the selected groups, from which the mean follows. The server sees neither the
// selection nor the answer.

import { centred, checkResultFor, decryptSlots, encryptSlots, runtimeForQuery } from './buyer-crypto.ts';
import { HeClientError } from './errors.ts';
import type { KeySet } from './key-set.ts';
import { bfvResultSlots, type GroupAggregateQuery, type GroupAggregateResult, type NoiseDisclosure } from './query-result.ts';

/**
 * Encrypts a 0/1 selection over `groupCount` groups (group i in slot i of the first batch
 * row; the server copies it into the second row itself, so count and sum always describe the
 * same groups).
 */
export async function encryptGroupSelection(
  keySet: KeySet,
  groupCount: number,
  selectedIndexes: Iterable<number>,
): Promise<GroupAggregateQuery> {
  const runtime = await runtimeForQuery(keySet, 'group-aggregate');
  const maxGroups = Math.min(keySet.groupCapacity, runtime.scheme.rowSize);
  if (!Number.isSafeInteger(groupCount) || groupCount < 1 || groupCount > maxGroups) {
    throw new HeClientError('INVALID_SELECTION', `groupCount must be an integer in [1, ${maxGroups}] for this key set`);
  }
  const selection = new BigUint64Array(runtime.scheme.slots);
  for (const index of selectedIndexes) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= groupCount) {
      throw new HeClientError('INVALID_SELECTION', `group index ${index} is outside [0, ${groupCount})`);
    }
    if (selection[index] === 1n) {
      throw new HeClientError('INVALID_SELECTION', `group index ${index} is selected twice`);
    }
    selection[index] = 1n;
  }
  return { kind: 'group-aggregate', selection: encryptSlots(runtime, keySet, selection), groupCount };
}

export interface GroupAggregateAnswer {
  /** Rows in the selected groups (groups under the k-threshold count as empty). */
  count: bigint;
  /** Σ of the column over those rows. */
  sum: bigint;
  /** sum / count, or null when the count is not positive (possible with noise). */
  mean: number | null;
  suppressedGroups: number;
  noise: NoiseDisclosure | null;
}

/** Decrypts the server's answer: count from the second row's first slot, sum from slot 0. */
export async function decryptGroupAggregate(
  keySet: KeySet,
  result: GroupAggregateResult,
): Promise<GroupAggregateAnswer> {
  checkResultFor(keySet, result, 'group-aggregate');
  const runtime = await runtimeForQuery(keySet, 'group-aggregate');
  const slots = decryptSlots(runtime, keySet, result.ciphertext) as BigUint64Array;
  const { sum: sumSlot, count: countSlot } = bfvResultSlots(runtime.scheme.rowSize);
  const t = runtime.scheme.plainModulus;
  const sum = centred(slots[sumSlot]!, t);
  const count = centred(slots[countSlot]!, t);
  return {
    count,
    sum,
    mean: count > 0n ? Number(sum) / Number(count) : null,
    suppressedGroups: result.suppressedGroups,
    noise: result.noise,
  };
}
