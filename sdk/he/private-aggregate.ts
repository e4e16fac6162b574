// The buyer's half of the private group aggregate: encrypt which groups to sum (one BFV slot
// per group, 1 = selected), and decrypt the server's answer, Σ selected group totals, from
// slot 0. The server sees neither the selection nor the answer.

import { base64LengthFor, decodeBase64, encodeBase64 } from './encoding.ts';
import { HeClientError } from './errors.ts';
import { HandleScope } from './handle-scope.ts';
import { keyPairOf, WIRE_COMPRESSION, type KeySet } from './key-set.ts';
import { buyerRuntime, type BuyerRuntime } from './runtime.ts';

async function bfvRuntimeFor(keySet: KeySet): Promise<BuyerRuntime> {
  if (keySet.scheme !== 'bfv') {
    throw new HeClientError(
      'UNSUPPORTED_SCHEME',
      'the private group aggregate needs a BFV key set',
    );
  }
  const runtime = await buyerRuntime('bfv');
  if (runtime.scheme.fingerprint !== keySet.paramsFingerprint) {
    throw new HeClientError(
      'PARAMETER_MISMATCH',
      'the key set was made for other encryption parameters',
    );
  }
  return runtime;
}

/**
 * Encrypts a 0/1 selection over `groupCount` groups (group i in slot i) with the buyer's
 * secret key — symmetric encryption lets SEAL send a seed in place of half the ciphertext —
 * and returns SEAL's serialization in base64.
 */
export async function encryptSelection(
  keySet: KeySet,
  groupCount: number,
  selectedIndexes: Iterable<number>,
): Promise<string> {
  const { seal, scheme: runtime } = await bfvRuntimeFor(keySet);
  const maxGroups = Math.min(keySet.groupCapacity, runtime.slots);
  if (!Number.isSafeInteger(groupCount) || groupCount < 1 || groupCount > maxGroups) {
    throw new HeClientError(
      'INVALID_SELECTION',
      `groupCount must be an integer in [1, ${maxGroups}] for this key set`,
    );
  }
  const selection = new BigUint64Array(runtime.slots);
  for (const index of selectedIndexes) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= groupCount) {
      throw new HeClientError('INVALID_SELECTION', `group index ${index} is outside [0, ${groupCount})`);
    }
    if (selection[index] === 1n) {
      throw new HeClientError('INVALID_SELECTION', `group index ${index} is selected twice`);
    }
    selection[index] = 1n;
  }
  const { secretKey: secretKeyBytes, publicKey: publicKeyBytes } = keyPairOf(keySet);
  const scope = new HandleScope();
  try {
    const secretKey = scope.own(new seal.SecretKey());
    secretKey.loadFromArray(runtime.context, secretKeyBytes);
    const publicKey = scope.own(new seal.PublicKey());
    publicKey.loadFromArray(runtime.context, publicKeyBytes);
    const encryptor = scope.own(new seal.Encryptor(runtime.context, publicKey, secretKey));
    const plain = scope.own(new seal.Plaintext());
    runtime.batchEncoder!.encode(selection, plain);
    const cipher = scope.own(encryptor.encryptSymmetricSerializable(plain));
    return encodeBase64(cipher.saveToArray(seal.ComprModeType[WIRE_COMPRESSION]) as Uint8Array);
  } finally {
    scope.deleteAll();
  }
}

/** Decrypts the server's aggregate and returns slot 0: Σ total_i over the selected groups. */
export async function decryptAggregate(keySet: KeySet, ciphertextB64: string): Promise<bigint> {
  const { seal, scheme: runtime } = await bfvRuntimeFor(keySet);
  if (typeof ciphertextB64 !== 'string' || ciphertextB64.length > base64LengthFor(runtime.limits.ciphertext)) {
    throw new HeClientError('MALFORMED_CIPHERTEXT', 'the result is not a ciphertext of a size this key set can produce');
  }
  const bytes = decodeBase64(ciphertextB64);
  if (!bytes || bytes.length === 0) {
    throw new HeClientError('MALFORMED_CIPHERTEXT', 'the result is not base64');
  }
  const scope = new HandleScope();
  try {
    const cipher = scope.own(new seal.Ciphertext());
    try {
      cipher.loadFromArray(runtime.context, bytes);
    } catch (error) {
      throw new HeClientError('MALFORMED_CIPHERTEXT', 'the result does not load under the BFV parameters', {
        cause: error,
      });
    }
    const secretKey = scope.own(new seal.SecretKey());
    secretKey.loadFromArray(runtime.context, keyPairOf(keySet).secretKey);
    const decryptor = scope.own(new seal.Decryptor(runtime.context, secretKey));
    // A result computed with someone else's evaluation keys decrypts to noise, not to a sum.
    if (decryptor.invariantNoiseBudget(cipher) === 0) {
      throw new HeClientError(
        'UNDECRYPTABLE_RESULT',
        'the result has no noise budget left: it was not evaluated with this key set',
      );
    }
    const plain = scope.own(new seal.Plaintext());
    decryptor.decrypt(cipher, plain);
    const slots = runtime.batchEncoder!.decodeBigUint64(plain) as BigUint64Array;
    return slots[0]!;
  } finally {
    scope.deleteAll();
  }
}
