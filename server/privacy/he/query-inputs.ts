// The buyer's HE inputs as every evaluator receives them — the public key bundle and the query
// ciphertexts — checked in two steps: `readKeyBundle` / `readQueryCiphertext` look at bytes
// only (sizes, headers, digests, parms_id) before any SEAL object exists, then `obtainKeys` /
// `loadQueryCiphertext` load them into SEAL objects and check what only SEAL can tell
// (rotations present, a fresh size-2 ciphertext). Loaded keys may come from the key cache,
// under the keysDigest just recomputed from the bytes the query carries.

import type { Ciphertext, ClassHandle, GaloisKeys, PublicKey, RelinKeys, SEALContext } from 'node-seal';
import type { HandleScope } from '../../../sdk/he/handle-scope.ts';
import { keyIdOf, keysDigestOf } from '../../../sdk/he/key-binding.ts';
import type { PublicKeyBundle } from '../../../sdk/he/key-set.ts';
import { CKKS_PARAMETERS, galoisElementForStep } from '../../../sdk/he/params.ts';
import type { HeContext, EvaluatorRuntime, ParmsLevel } from './context.ts';
import { HeInputError } from './errors.ts';
import { obtainFrom, type CacheLease, type SealCache } from './seal-cache.ts';
import { inflateSealWire, readSealBlob, readSealWire, type SealBlob, type SealWire } from './serialized-input.ts';

const KEY_FIELDS = ['publicKey', 'relinKeys', 'galoisKeys'] as const;

export interface KeyWires {
  publicKey: SealWire;
  relinKeys: SealWire;
  galoisKeys: SealWire;
  keyId: string;
  keysDigest: string;
}

export interface EvaluationKeys {
  publicKey: PublicKey;
  relinKeys: RelinKeys;
  galoisKeys: GaloisKeys;
}

function sameParmsId(a: readonly bigint[], b: readonly bigint[]): boolean {
  return a.length === b.length && a.every((word, index) => word === b[index]);
}

/** Refuses a blob whose parms_id is not `expected`, telling other parameters from a wrong level. */
function checkLevel(
  blob: SealBlob,
  expected: ParmsLevel,
  runtime: EvaluatorRuntime,
  field: string,
  wrongLevelCode: 'MALFORMED_CIPHERTEXT' | 'MALFORMED_KEY',
): void {
  if (sameParmsId(blob.parmsId, expected.parmsId)) return;
  if (runtime.levels.some((level) => sameParmsId(level.parmsId, blob.parmsId))) {
    throw new HeInputError(wrongLevelCode, `${field} is at the wrong level of the modulus chain`);
  }
  throw new HeInputError('PARAMETER_MISMATCH', `${field} was made for other encryption parameters`);
}

/**
 * Checks the bundle's shape, scheme and fingerprint, reads its three keys as bytes, and
 * checks keyId and keysDigest against them (see sdk/he/key-binding.ts).
 */
export async function readKeyBundle(keys: unknown, runtime: EvaluatorRuntime): Promise<KeyWires> {
  if (typeof keys !== 'object' || keys === null) {
    throw new HeInputError('MALFORMED_KEY', 'keys must be a public key bundle');
  }
  const bundle = keys as Record<string, unknown>;
  for (const field of ['keyId', 'scheme', 'paramsFingerprint', 'keysDigest'] as const) {
    if (typeof bundle[field] !== 'string') {
      throw new HeInputError('MALFORMED_KEY', `keys.${field} must be a string`);
    }
  }
  if (bundle.scheme !== runtime.scheme || bundle.paramsFingerprint !== runtime.fingerprint) {
    throw new HeInputError('PARAMETER_MISMATCH', 'the key bundle was made for other encryption parameters');
  }
  const { limits } = runtime;
  const keyWire = (field: (typeof KEY_FIELDS)[number]) =>
    readSealWire(bundle[field], { field, maxBytes: limits[field], malformedCode: 'MALFORMED_KEY' });
  const wires = {
    publicKey: keyWire('publicKey'),
    relinKeys: keyWire('relinKeys'),
    galoisKeys: keyWire('galoisKeys'),
  };
  const keyId = await keyIdOf(wires.publicKey.wire);
  if (keyId !== bundle.keyId) {
    throw new HeInputError('MALFORMED_KEY', 'keyId is not the sha256 of the public key');
  }
  const keysDigest = await keysDigestOf({
    publicKey: wires.publicKey.wire,
    relinKeys: wires.relinKeys.wire,
    galoisKeys: wires.galoisKeys.wire,
  });
  if (keysDigest !== bundle.keysDigest) {
    throw new HeInputError('MALFORMED_KEY', 'the evaluation keys do not belong to this public key (keysDigest differs)');
  }
  return { ...wires, keyId, keysDigest };
}

/** Reads one query ciphertext as bytes: size bound, SEAL header, first level of the chain. */
export function readQueryCiphertext(text: unknown, field: string, runtime: EvaluatorRuntime): SealBlob {
  const blob = readSealBlob(text, {
    field,
    maxBytes: runtime.limits.ciphertext,
    malformedCode: 'MALFORMED_CIPHERTEXT',
  });
  checkLevel(blob, runtime.firstLevel, runtime, field, 'MALFORMED_CIPHERTEXT');
  return blob;
}

/**
 * Loads into a fresh SEAL object, turning SEAL's exceptions into `code`; on failure the object
 * is deleted.
 */
function load<T extends ClassHandle & { loadFromArray(context: SEALContext, bytes: Uint8Array): void }>(
  object: T,
  runtime: EvaluatorRuntime,
  blob: SealBlob,
  code: 'MALFORMED_CIPHERTEXT' | 'MALFORMED_KEY',
  field: string,
): T {
  try {
    object.loadFromArray(runtime.context, blob.uncompressed);
    return object;
  } catch (error) {
    object.delete();
    throw new HeInputError(code, `${field} does not load under the ${runtime.scheme.toUpperCase()} parameters`, {
      cause: error,
    });
  }
}

export interface KeyLease extends CacheLease<ClassHandle> {
  keys: EvaluationKeys;
}

/**
 * The buyer's keys loaded into SEAL — from the key cache when it holds this keysDigest —
 * after checking that they hold the relinearization key and every rotation `steps` needs.
 * Release the lease in a finally.
 */
export function obtainKeys(
  { seal }: HeContext,
  runtime: EvaluatorRuntime,
  wires: KeyWires,
  steps: readonly number[],
  cache?: SealCache,
): KeyLease {
  let bytes = 0;
  const lease = obtainFrom<ClassHandle>(
    cache,
    `${runtime.scheme}:${wires.keysDigest}`,
    (keep) => {
      const blobs = KEY_FIELDS.map((field) => {
        const blob = inflateSealWire(wires[field], { field, maxBytes: runtime.limits[field], malformedCode: 'MALFORMED_KEY' });
        checkLevel(blob, runtime.keyLevel, runtime, field, 'MALFORMED_KEY');
        bytes += blob.uncompressed.length;
        return blob;
      });
      keep(load(new seal.PublicKey(), runtime, blobs[0]!, 'MALFORMED_KEY', 'publicKey'));
      keep(load(new seal.RelinKeys(), runtime, blobs[1]!, 'MALFORMED_KEY', 'relinKeys'));
      keep(load(new seal.GaloisKeys(), runtime, blobs[2]!, 'MALFORMED_KEY', 'galoisKeys'));
    },
    () => bytes,
  );
  try {
    const [publicKey, relinKeys, galoisKeys] = lease.objects as [PublicKey, RelinKeys, GaloisKeys];
    if (!relinKeys.hasKey(2)) {
      throw new HeInputError('MALFORMED_KEY', 'relinKeys lack the key for s^2');
    }
    for (const step of steps) {
      if (!galoisKeys.hasKey(galoisElementForStep(step, runtime.polyModulusDegree))) {
        throw new HeInputError(
          'MALFORMED_KEY',
          `galoisKeys lack rotation ${step === 0 ? 'of the rows' : `by ${step}`}, which this query needs`,
        );
      }
    }
    return { ...lease, keys: { publicKey, relinKeys, galoisKeys } };
  } catch (error) {
    lease.release();
    throw error;
  }
}

/** Loads a query ciphertext and checks that it is a fresh size-2 encryption. */
export function loadQueryCiphertext(
  { seal }: HeContext,
  runtime: EvaluatorRuntime,
  blob: SealBlob,
  field: string,
  scope: HandleScope,
): Ciphertext {
  const cipher = scope.own(load(new seal.Ciphertext(), runtime, blob, 'MALFORMED_CIPHERTEXT', field));
  // BFV keeps fresh ciphertexts in coefficient form, CKKS in NTT form.
  const nttForm = runtime.scheme === 'ckks';
  if (cipher.size() !== 2 || cipher.isTransparent() || cipher.isNttForm() !== nttForm) {
    throw new HeInputError(
      'MALFORMED_CIPHERTEXT',
      `${field} must be a fresh ${runtime.scheme.toUpperCase()} ciphertext of size 2`,
    );
  }
  if (runtime.scheme === 'ckks' && cipher.scale() !== CKKS_PARAMETERS.scale) {
    throw new HeInputError('MALFORMED_CIPHERTEXT', `${field} is not at the exchange's CKKS scale`);
  }
  return cipher;
}

// SEAL's C++ exceptions surface as WebAssembly.Exception (not in TypeScript's lib yet).
const WasmException = (WebAssembly as unknown as { Exception?: abstract new () => object }).Exception;

export function isSealException(error: unknown): boolean {
  return WasmException !== undefined && error instanceof WasmException;
}

/**
 * SEAL rejecting key material that loaded but does not fit the evaluation is the buyer's
 * input at fault, not the server: rethrown as MALFORMED_KEY; anything else passes through.
 */
export function asInputError(error: unknown): unknown {
  if (isSealException(error)) {
    return new HeInputError('MALFORMED_KEY', 'the key material could not be used for evaluation', { cause: error });
  }
  return error;
}
