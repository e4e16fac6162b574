// The private group aggregate, the server's half: from the buyer's encrypted 0/1 selection
// over G groups and the provider's plaintext per-group totals, a ciphertext whose slot 0 is
// Σ selection_i · total_i. The server learns neither the selection nor the sum; the buyer
// learns the sum and nothing else about the totals.
//
// What it computes, slot-wise over the BFV batch (t = the plain modulus, a prime):
//   x_i = s_i · (ρ_i · s_i + total_i − ρ_i) = s_i · total_i + ρ_i · s_i · (s_i − 1)
// with ρ uniform in Z_t per slot and per query. For s_i ∈ {0, 1} the second term is 0; for any
// other s_i it is uniform, so a selection crafted to pack several totals into one answer
// (s = 1, 2^20, 2^40, ...) decrypts to noise: the 0/1 rule is enforced without seeing s.
// Then rotate-and-sum over log2(G) power-of-two steps (plus a row swap past N/2 groups) puts
// Σ x_i in slot 0; every other slot then holds a partial sum and is overwritten with a uniform
// mask (subtracting neighbouring slots would otherwise reveal single totals); a fresh
// encryption of zero under the buyer's key re-randomizes the ciphertext, and it is switched
// down the modulus chain, which rounds away low-order noise and halves the response.
//
// Limits: the remaining noise still depends on the computation (SEAL offers no noise
// flooding, and t = 41 bits leaves no budget for it), and evaluation keys cannot be checked
// to be well formed; see sdk/he/params.ts for the measured budgets.

import type { Ciphertext, ClassHandle, SEALContext } from 'node-seal';
import { HandleScope } from '../../../sdk/he/handle-scope.ts';
import { keyIdOf, keysDigestOf } from '../../../sdk/he/key-binding.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import { aggregateRotationSteps, BFV_PARAMETERS, galoisElementForStep } from '../../../sdk/he/params.ts';
import { getHeContext, type BfvRuntime, type ParmsLevel } from './context.ts';
import { HeInputError } from './errors.ts';
import { readSealBlob, type SealBlob } from './serialized-input.ts';

export interface GroupAggregateInput {
  /** The buyer's public bundle, as uploaded (sdk/he/key-set.ts). */
  keys: PublicKeyBundle;
  /** base64 BFV ciphertext: 1 in the slot of each selected group, 0 elsewhere. */
  selection: string;
  /** The provider's per-group totals, aggregated by the database; group i is slot i. */
  groupTotals: readonly bigint[];
}

const RESPONSE_COMPRESSION = 'zstd';

function checkGroupTotals(groupTotals: readonly bigint[], bfv: BfvRuntime): void {
  if (!Array.isArray(groupTotals) || groupTotals.length === 0) {
    throw new HeInputError('TOTALS_OUT_OF_RANGE', 'groupTotals must list at least one group');
  }
  if (groupTotals.length > bfv.slots) {
    throw new HeInputError(
      'OVERSIZED_INPUT',
      `${groupTotals.length} groups exceed the ${bfv.slots} slots of a ciphertext`,
    );
  }
  let sum = 0n;
  for (const total of groupTotals) {
    if (typeof total !== 'bigint' || total < 0n) {
      throw new HeInputError('TOTALS_OUT_OF_RANGE', 'group totals must be non-negative bigints');
    }
    sum += total;
  }
  // Any 0/1 selection sums to at most the sum of all totals; beyond t - 1 it would wrap.
  if (sum > bfv.maxExactSum) {
    throw new HeInputError(
      'TOTALS_OUT_OF_RANGE',
      `group totals sum to ${sum}, above the largest exact aggregate ${bfv.maxExactSum}`,
    );
  }
}

function checkBundleShape(keys: unknown, bfv: BfvRuntime): asserts keys is PublicKeyBundle {
  if (typeof keys !== 'object' || keys === null) {
    throw new HeInputError('MALFORMED_KEY', 'keys must be a public key bundle');
  }
  const bundle = keys as Record<string, unknown>;
  for (const field of ['keyId', 'scheme', 'paramsFingerprint', 'keysDigest'] as const) {
    if (typeof bundle[field] !== 'string') {
      throw new HeInputError('MALFORMED_KEY', `keys.${field} must be a string`);
    }
  }
  if (bundle.scheme !== 'bfv' || bundle.paramsFingerprint !== bfv.fingerprint) {
    throw new HeInputError(
      'PARAMETER_MISMATCH',
      'the key bundle was made for other encryption parameters',
    );
  }
}

function sameParmsId(a: readonly bigint[], b: readonly bigint[]): boolean {
  return a.length === b.length && a.every((word, index) => word === b[index]);
}

/** Refuses a blob whose parms_id is not `expected`, telling other parameters from a wrong level. */
function checkLevel(
  blob: SealBlob,
  expected: ParmsLevel,
  bfv: BfvRuntime,
  field: string,
  wrongLevelCode: 'MALFORMED_CIPHERTEXT' | 'MALFORMED_KEY',
): void {
  if (sameParmsId(blob.parmsId, expected.parmsId)) return;
  if (bfv.levels.some((level) => sameParmsId(level.parmsId, blob.parmsId))) {
    throw new HeInputError(wrongLevelCode, `${field} is at the wrong level of the modulus chain`);
  }
  throw new HeInputError('PARAMETER_MISMATCH', `${field} was made for other encryption parameters`);
}

/** Loads into a fresh SEAL object, turning SEAL's exceptions into `code`. */
function load<T extends ClassHandle & { loadFromArray(context: SEALContext, bytes: Uint8Array): void }>(
  object: T,
  bfv: BfvRuntime,
  blob: SealBlob,
  code: 'MALFORMED_CIPHERTEXT' | 'MALFORMED_KEY',
  field: string,
): T {
  try {
    object.loadFromArray(bfv.context, blob.uncompressed);
    return object;
  } catch (error) {
    throw new HeInputError(code, `${field} does not load under the BFV parameters`, { cause: error });
  }
}

// SEAL's C++ exceptions surface as WebAssembly.Exception (not in TypeScript's lib yet).
const WasmException = (WebAssembly as unknown as { Exception?: abstract new () => object }).Exception;

function isSealException(error: unknown): boolean {
  return WasmException !== undefined && error instanceof WasmException;
}

/** count values uniform in [0, modulus), by rejection from 64-bit words. */
function uniformBelow(modulus: bigint, count: number): BigUint64Array {
  const values = new BigUint64Array(count);
  const limit = ((1n << 64n) / modulus) * modulus;
  const words = new BigUint64Array(Math.min(count, 8192)); // getRandomValues: ≤ 64 KiB a call
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

/**
 * Evaluates the private group aggregate and returns the result ciphertext in base64 (SEAL
 * serialization, zstd). Throws HeInputError, before any evaluation, for input it refuses.
 */
export async function evaluateGroupAggregate(input: GroupAggregateInput): Promise<string> {
  const { seal, bfv } = await getHeContext();
  const { keys, selection, groupTotals } = input;
  checkGroupTotals(groupTotals, bfv);
  checkBundleShape(keys, bfv);

  const { limits } = bfv;
  const selectionBlob = readSealBlob(selection, {
    field: 'selection',
    maxBytes: limits.ciphertext,
    malformedCode: 'MALFORMED_CIPHERTEXT',
  });
  const keyBlob = (field: 'publicKey' | 'relinKeys' | 'galoisKeys') =>
    readSealBlob(keys[field], { field, maxBytes: limits[field], malformedCode: 'MALFORMED_KEY' });
  const publicKeyBlob = keyBlob('publicKey');
  const relinKeysBlob = keyBlob('relinKeys');
  const galoisKeysBlob = keyBlob('galoisKeys');

  if ((await keyIdOf(publicKeyBlob.wire)) !== keys.keyId) {
    throw new HeInputError('MALFORMED_KEY', 'keyId is not the sha256 of the public key');
  }
  const keysDigest = await keysDigestOf({
    publicKey: publicKeyBlob.wire,
    relinKeys: relinKeysBlob.wire,
    galoisKeys: galoisKeysBlob.wire,
  });
  if (keysDigest !== keys.keysDigest) {
    throw new HeInputError(
      'MALFORMED_KEY',
      'the evaluation keys do not belong to this public key (keysDigest differs)',
    );
  }
  checkLevel(selectionBlob, bfv.firstLevel, bfv, 'selection', 'MALFORMED_CIPHERTEXT');
  checkLevel(publicKeyBlob, bfv.keyLevel, bfv, 'publicKey', 'MALFORMED_KEY');
  checkLevel(relinKeysBlob, bfv.keyLevel, bfv, 'relinKeys', 'MALFORMED_KEY');
  checkLevel(galoisKeysBlob, bfv.keyLevel, bfv, 'galoisKeys', 'MALFORMED_KEY');

  const groupCount = groupTotals.length;
  const steps = aggregateRotationSteps(groupCount, bfv.rowSize);
  const { evaluator, batchEncoder, plainModulus: t, slots } = bfv;
  const scope = new HandleScope();
  try {
    const selected = load(scope.own(new seal.Ciphertext()), bfv, selectionBlob, 'MALFORMED_CIPHERTEXT', 'selection');
    if (selected.size() !== 2 || selected.isTransparent() || selected.isNttForm()) {
      throw new HeInputError('MALFORMED_CIPHERTEXT', 'selection must be a fresh BFV ciphertext of size 2');
    }
    const publicKey = load(scope.own(new seal.PublicKey()), bfv, publicKeyBlob, 'MALFORMED_KEY', 'publicKey');
    const relinKeys = load(scope.own(new seal.RelinKeys()), bfv, relinKeysBlob, 'MALFORMED_KEY', 'relinKeys');
    const galoisKeys = load(scope.own(new seal.GaloisKeys()), bfv, galoisKeysBlob, 'MALFORMED_KEY', 'galoisKeys');
    if (!relinKeys.hasKey(2)) {
      throw new HeInputError('MALFORMED_KEY', 'relinKeys lack the key for s^2');
    }
    for (const step of steps) {
      if (!galoisKeys.hasKey(galoisElementForStep(step, bfv.polyModulusDegree))) {
        throw new HeInputError(
          'MALFORMED_KEY',
          `galoisKeys lack rotation ${step === 0 ? 'of the rows' : `by ${step}`}, needed for ${groupCount} groups`,
        );
      }
    }

    const encode = (values: BigUint64Array) => {
      const plain = scope.own(new seal.Plaintext());
      batchEncoder!.encode(values, plain);
      return plain;
    };
    const rho = uniformBelow(t, slots);
    const totalsMinusRho = new BigUint64Array(slots);
    for (let slot = 0; slot < slots; slot++) {
      const total = slot < groupCount ? groupTotals[slot]! : 0n;
      totalsMinusRho[slot] = (total + t - rho[slot]!) % t;
    }
    const otherSlotsMask = uniformBelow(t, slots);
    otherSlotsMask[0] = 0n;

    // x = s ⊙ (ρ ⊙ s + (total − ρ))
    const result: Ciphertext = scope.own(new seal.Ciphertext());
    evaluator.multiplyPlain(selected, encode(rho), result);
    evaluator.addPlainInplace(result, encode(totalsMinusRho));
    evaluator.multiplyInplace(result, selected);
    evaluator.relinearizeInplace(result, relinKeys);

    const rotated = scope.own(new seal.Ciphertext());
    for (const step of steps) {
      if (step === 0) evaluator.rotateColumns(result, galoisKeys, rotated);
      else evaluator.rotateRows(result, step, galoisKeys, rotated);
      evaluator.addInplace(result, rotated);
    }

    evaluator.addPlainInplace(result, encode(otherSlotsMask));
    const encryptor = scope.own(new seal.Encryptor(bfv.context, publicKey));
    const zero = scope.own(new seal.Ciphertext());
    encryptor.encryptZero(zero);
    evaluator.addInplace(result, zero);
    for (let level = bfv.firstLevel.chainIndex; level > BFV_PARAMETERS.responseChainIndex; level--) {
      evaluator.cipherModSwitchToNextInplace(result);
    }
    const saved = result.saveToArray(seal.ComprModeType[RESPONSE_COMPRESSION]) as Uint8Array;
    return Buffer.from(saved.buffer, saved.byteOffset, saved.byteLength).toString('base64');
  } catch (error) {
    // SEAL (its exceptions arrive as WebAssembly.Exception) rejected key material that loaded
    // but does not fit the evaluation: the buyer's input, not the server, is at fault.
    if (isSealException(error)) {
      throw new HeInputError('MALFORMED_KEY', 'the key material could not be used for evaluation', {
        cause: error,
      });
    }
    throw error;
  } finally {
    scope.deleteAll();
  }
}
