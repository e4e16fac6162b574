// The buyer's SEAL operations every query kind shares: the runtime a key set and a query kind
// need, symmetric encryption of a slot vector, and decryption of a server answer to its slots.

import { base64LengthFor, decodeBase64, encodeBase64 } from './encoding.ts';
import { HeClientError } from './errors.ts';
import { HandleScope } from './handle-scope.ts';
import { keyPairOf, WIRE_COMPRESSION, type KeySet } from './key-set.ts';
import { CKKS_PARAMETERS, QUERY_SCHEME, type HeQueryKind } from './params.ts';
import type { HeQueryResult } from './query-result.ts';
import { buyerRuntime, type BuyerRuntime } from './runtime.ts';
import { loadKeyPair } from './seal-key-pair.ts';

/** The runtime for `kind`, after checking that the key set was made for it. */
export async function runtimeForQuery(keySet: KeySet, kind: HeQueryKind): Promise<BuyerRuntime> {
  const scheme = QUERY_SCHEME[kind];
  if (keySet.scheme !== scheme) {
    throw new HeClientError('UNSUPPORTED_SCHEME', `the ${kind} query needs a ${scheme.toUpperCase()} key set`);
  }
  if (!keySet.queries.includes(kind)) {
    throw new HeClientError(
      'UNSUPPORTED_QUERY',
      `the key set was made for ${keySet.queries.join(', ')}: its Galois keys lack the rotations of ${kind}`,
    );
  }
  const runtime = await buyerRuntime(scheme);
  if (runtime.scheme.fingerprint !== keySet.paramsFingerprint) {
    throw new HeClientError('PARAMETER_MISMATCH', 'the key set was made for other encryption parameters');
  }
  return runtime;
}

/**
 * Encrypts a full slot vector with the buyer's secret key — symmetric encryption lets SEAL
 * send a seed in place of half the ciphertext — and returns SEAL's serialization in base64.
 */
export function encryptSlots(
  { seal, scheme: runtime }: BuyerRuntime,
  keySet: KeySet,
  values: BigUint64Array | Float64Array,
): string {
  if (values.length !== runtime.slots) throw new Error(`expected ${runtime.slots} slot values`);
  const scope = new HandleScope();
  try {
    const { secretKey, publicKey } = loadKeyPair(seal, runtime, scope, keyPairOf(keySet));
    const encryptor = scope.own(new seal.Encryptor(runtime.context, publicKey, secretKey));
    const plain = scope.own(new seal.Plaintext());
    if (values instanceof BigUint64Array) runtime.batchEncoder!.encode(values, plain);
    else runtime.ckksEncoder!.encode(values, CKKS_PARAMETERS.scale, plain);
    const cipher = scope.own(encryptor.encryptSymmetricSerializable(plain));
    return encodeBase64(cipher.saveToArray(seal.ComprModeType[WIRE_COMPRESSION]) as Uint8Array);
  } finally {
    scope.deleteAll();
  }
}

/** Decrypts one answer ciphertext to its slots: BigUint64Array for BFV, Float64Array for CKKS. */
export function decryptSlots(
  { seal, scheme: runtime }: BuyerRuntime,
  keySet: KeySet,
  ciphertextB64: unknown,
): BigUint64Array | Float64Array {
  if (typeof ciphertextB64 !== 'string' || ciphertextB64.length > base64LengthFor(runtime.limits.ciphertext)) {
    throw new HeClientError('MALFORMED_CIPHERTEXT', 'the result is not a ciphertext of a size this key set can produce');
  }
  const bytes = decodeBase64(ciphertextB64);
  if (!bytes || bytes.length === 0) throw new HeClientError('MALFORMED_CIPHERTEXT', 'the result is not base64');
  const scope = new HandleScope();
  try {
    const cipher = scope.own(new seal.Ciphertext());
    try {
      cipher.loadFromArray(runtime.context, bytes);
    } catch (error) {
      throw new HeClientError(
        'MALFORMED_CIPHERTEXT',
        `the result does not load under the ${runtime.scheme.toUpperCase()} parameters`,
        { cause: error },
      );
    }
    const secretKey = scope.own(new seal.SecretKey());
    secretKey.loadFromArray(runtime.context, keyPairOf(keySet).secretKey);
    const decryptor = scope.own(new seal.Decryptor(runtime.context, secretKey));
    // A BFV result computed with someone else's evaluation keys decrypts to noise, not to a sum.
    if (runtime.batchEncoder && decryptor.invariantNoiseBudget(cipher) === 0) {
      throw new HeClientError(
        'UNDECRYPTABLE_RESULT',
        'the result has no noise budget left: it was not evaluated with this key set',
      );
    }
    const plain = scope.own(new seal.Plaintext());
    decryptor.decrypt(cipher, plain);
    return runtime.batchEncoder
      ? (runtime.batchEncoder.decodeBigUint64(plain) as BigUint64Array)
      : (runtime.ckksEncoder!.decodeFloat64(plain) as Float64Array);
  } finally {
    scope.deleteAll();
  }
}

/** A residue mod t read as the signed integer nearest zero. */
export function centred(value: bigint, plainModulus: bigint): bigint {
  return value > plainModulus / 2n ? value - plainModulus : value;
}

/** Checks that an answer is of the expected kind and encrypted to this key set. */
export function checkResultFor<K extends HeQueryResult['kind']>(
  keySet: KeySet,
  result: unknown,
  kind: K,
): asserts result is Extract<HeQueryResult, { kind: K }> {
  if (typeof result !== 'object' || result === null || (result as { kind?: unknown }).kind !== kind) {
    throw new HeClientError('MALFORMED_CIPHERTEXT', `not a ${kind} result`);
  }
  const { keyId, paramsFingerprint } = result as { keyId?: unknown; paramsFingerprint?: unknown };
  if (paramsFingerprint !== keySet.paramsFingerprint) {
    throw new HeClientError('PARAMETER_MISMATCH', 'the result was made for other encryption parameters');
  }
  if (keyId !== keySet.keyId) {
    throw new HeClientError('UNDECRYPTABLE_RESULT', 'the result is encrypted to another key set');
  }
}
