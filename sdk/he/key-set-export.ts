// A buyer's HE key set kept by the buyer: the whole set (secret key included) exported as JSON
// for its own storage — sealed with a passphrase (AES-256-GCM under PBKDF2-SHA256) or plain —
// and imported back with every part checked to belong together.

import type { MainModule } from 'node-seal';
import { decodeBase64, encodeBase64 } from './encoding.ts';
import { HeClientError } from './errors.ts';
import { HandleScope } from './handle-scope.ts';
import { keyIdOf, keysDigestOf } from './key-binding.ts';
import { DEFAULT_QUERIES, KeySet, keyPairOf, maxGroupCapacity, parseQueries } from './key-set.ts';
import { CKKS_PARAMETERS, HE_SCHEMES, type HeQueryKind, type HeScheme, type SchemeRuntime } from './params.ts';
import { buyerRuntime } from './runtime.ts';
import { loadKeyPair } from './seal-key-pair.ts';

const EXPORT_FORMAT = 'privacy-data-exchange/he-key-set';
const EXPORT_VERSION = 1;
// OWASP's 2023 figure for PBKDF2-HMAC-SHA256; WebCrypto has no scrypt or Argon2.
const PBKDF2_ITERATIONS = 600_000;

interface ExportedKeyMaterial {
  scheme: HeScheme;
  paramsFingerprint: string;
  queries: readonly HeQueryKind[];
  groupCapacity: number;
  keyId: string;
  keysDigest: string;
  secretKey: string;
  publicKey: string;
  relinKeys: string;
  galoisKeys: string;
}

type ExportedKeySet =
  | { format: typeof EXPORT_FORMAT; version: 1; encrypted: false; keySet: ExportedKeyMaterial }
  | {
      format: typeof EXPORT_FORMAT;
      version: 1;
      encrypted: true;
      kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string };
      cipher: { name: 'AES-GCM'; iv: string };
      ciphertext: string;
    };

async function passphraseKey(passphrase: string, salt: Uint8Array, iterations: number) {
  const subtle = globalThis.crypto.subtle;
  const base = await subtle.importKey(
    'raw',
    new TextEncoder().encode(passphrase),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(salt), iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

const AAD = new TextEncoder().encode(`${EXPORT_FORMAT}/v${EXPORT_VERSION}`);

/**
 * The whole key set (secret key included) as JSON for the buyer's own storage. With a
 * passphrase it is sealed with AES-256-GCM under a PBKDF2-SHA256 key; without one it is plain
 * base64 and must be kept like a password file.
 */
export async function exportKeySet(keySet: KeySet, passphrase?: string): Promise<string> {
  const bundle = keySet.publicBundle();
  const material: ExportedKeyMaterial = {
    scheme: keySet.scheme,
    paramsFingerprint: keySet.paramsFingerprint,
    queries: keySet.queries,
    groupCapacity: keySet.groupCapacity,
    keyId: keySet.keyId,
    keysDigest: bundle.keysDigest,
    secretKey: encodeBase64(keyPairOf(keySet).secretKey),
    publicKey: bundle.publicKey,
    relinKeys: bundle.relinKeys,
    galoisKeys: bundle.galoisKeys,
  };
  if (passphrase === undefined) {
    const exported: ExportedKeySet = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      encrypted: false,
      keySet: material,
    };
    return JSON.stringify(exported);
  }
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const key = await passphraseKey(passphrase, salt, PBKDF2_ITERATIONS);
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: AAD },
    key,
    new TextEncoder().encode(JSON.stringify(material)),
  );
  const exported: ExportedKeySet = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    encrypted: true,
    kdf: {
      name: 'PBKDF2',
      hash: 'SHA-256',
      iterations: PBKDF2_ITERATIONS,
      salt: encodeBase64(salt),
    },
    cipher: { name: 'AES-GCM', iv: encodeBase64(iv) },
    ciphertext: encodeBase64(new Uint8Array(sealed)),
  };
  return JSON.stringify(exported);
}

function malformed(message: string, cause?: unknown): HeClientError {
  return new HeClientError('MALFORMED_KEY_SET', message, { cause });
}

function bytesField(record: Record<string, unknown>, field: string): Uint8Array {
  const value = record[field];
  const bytes = typeof value === 'string' ? decodeBase64(value) : undefined;
  if (!bytes || bytes.length === 0) throw malformed(`${field} is not base64`);
  return bytes;
}

function stringField(record: Record<string, unknown>, field: string): string {
  const value = record[field];
  if (typeof value !== 'string') throw malformed(`${field} is missing`);
  return value;
}

async function openExport(exported: string, passphrase?: string): Promise<Record<string, unknown>> {
  let outer: unknown;
  try {
    outer = JSON.parse(exported);
  } catch (error) {
    throw malformed('exported key set is not JSON', error);
  }
  if (
    typeof outer !== 'object' ||
    outer === null ||
    (outer as { format?: unknown }).format !== EXPORT_FORMAT ||
    (outer as { version?: unknown }).version !== EXPORT_VERSION
  ) {
    throw malformed(`not a ${EXPORT_FORMAT} v${EXPORT_VERSION} export`);
  }
  const envelope = outer as Record<string, unknown>;
  if (envelope.encrypted === false) {
    const inner = envelope.keySet;
    if (typeof inner !== 'object' || inner === null) throw malformed('keySet is missing');
    return inner as Record<string, unknown>;
  }
  if (passphrase === undefined) {
    throw new HeClientError('BAD_PASSPHRASE', 'this key set is sealed with a passphrase');
  }
  const kdf = envelope.kdf as Record<string, unknown> | undefined;
  const cipher = envelope.cipher as Record<string, unknown> | undefined;
  const iterations = kdf?.iterations;
  if (
    !kdf ||
    !cipher ||
    kdf.name !== 'PBKDF2' ||
    kdf.hash !== 'SHA-256' ||
    cipher.name !== 'AES-GCM' ||
    typeof iterations !== 'number' ||
    !Number.isSafeInteger(iterations) ||
    iterations < 100_000 ||
    iterations > 10_000_000
  ) {
    throw malformed('unsupported key-set envelope');
  }
  const key = await passphraseKey(passphrase, bytesField(kdf, 'salt'), iterations);
  let plain: ArrayBuffer;
  try {
    plain = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: new Uint8Array(bytesField(cipher, 'iv')), additionalData: AAD },
      key,
      new Uint8Array(bytesField(envelope, 'ciphertext')),
    );
  } catch (error) {
    throw new HeClientError('BAD_PASSPHRASE', 'the passphrase does not open this key set', {
      cause: error,
    });
  }
  try {
    const inner: unknown = JSON.parse(new TextDecoder().decode(plain));
    if (typeof inner !== 'object' || inner === null) throw new Error('not an object');
    return inner as Record<string, unknown>;
  } catch (error) {
    throw malformed('sealed key set does not parse', error);
  }
}

/** Encrypts a known value under the public key and decrypts it with the secret key. */
function checkKeyPair(
  seal: MainModule,
  runtime: SchemeRuntime,
  secretKeyBytes: Uint8Array,
  publicKeyBytes: Uint8Array,
): boolean {
  const scope = new HandleScope();
  try {
    const { secretKey, publicKey } = loadKeyPair(seal, runtime, scope, { secretKey: secretKeyBytes, publicKey: publicKeyBytes });
    const encryptor = scope.own(new seal.Encryptor(runtime.context, publicKey));
    const decryptor = scope.own(new seal.Decryptor(runtime.context, secretKey));
    const plain = scope.own(new seal.Plaintext());
    const cipher = scope.own(new seal.Ciphertext());
    if (runtime.batchEncoder) {
      runtime.batchEncoder.encode(BigUint64Array.of(7n), plain);
      encryptor.encrypt(plain, cipher);
      if (decryptor.invariantNoiseBudget(cipher) === 0) return false;
      decryptor.decrypt(cipher, plain);
      return (runtime.batchEncoder.decodeBigUint64(plain) as BigUint64Array)[0] === 7n;
    }
    runtime.ckksEncoder!.encode(Float64Array.of(7), CKKS_PARAMETERS.scale, plain);
    encryptor.encrypt(plain, cipher);
    decryptor.decrypt(cipher, plain);
    const decoded = runtime.ckksEncoder!.decodeFloat64(plain) as Float64Array;
    return Math.abs((decoded[0] ?? Number.NaN) - 7) < 1e-3;
  } catch {
    return false;
  } finally {
    scope.deleteAll();
  }
}

/** Opens an export made by exportKeySet and checks that its parts belong together. */
export async function importKeySet(exported: string, passphrase?: string): Promise<KeySet> {
  const record = await openExport(exported, passphrase);
  const scheme = record.scheme;
  if (typeof scheme !== 'string' || !HE_SCHEMES.includes(scheme as HeScheme)) {
    throw malformed('unknown scheme');
  }
  const { seal, scheme: runtime } = await buyerRuntime(scheme as HeScheme);
  const paramsFingerprint = stringField(record, 'paramsFingerprint');
  if (paramsFingerprint !== runtime.fingerprint) {
    throw new HeClientError(
      'PARAMETER_MISMATCH',
      'the key set was made for other encryption parameters',
    );
  }
  // Exports from before query kinds were recorded served the group aggregate only.
  const queries =
    record.queries === undefined ? DEFAULT_QUERIES[scheme as HeScheme] : parseQueries(record.queries, scheme as HeScheme);
  if (!queries) throw malformed('queries are not query kinds of the key set’s scheme');
  const groupCapacity = record.groupCapacity;
  if (
    typeof groupCapacity !== 'number' ||
    !Number.isSafeInteger(groupCapacity) ||
    groupCapacity < 1 ||
    groupCapacity > maxGroupCapacity(runtime, queries)
  ) {
    throw malformed('groupCapacity out of range');
  }
  const parts = {
    publicKey: bytesField(record, 'publicKey'),
    relinKeys: bytesField(record, 'relinKeys'),
    galoisKeys: bytesField(record, 'galoisKeys'),
  };
  const secretKey = bytesField(record, 'secretKey');
  const keyId = await keyIdOf(parts.publicKey);
  const keysDigest = await keysDigestOf(parts);
  if (keyId !== stringField(record, 'keyId') || keysDigest !== stringField(record, 'keysDigest')) {
    throw malformed('the key set’s digests do not match its keys');
  }
  if (!checkKeyPair(seal, runtime, secretKey, parts.publicKey)) {
    throw malformed('the secret key does not open what the public key encrypts');
  }
  return new KeySet({
    scheme: scheme as HeScheme,
    paramsFingerprint,
    queries,
    groupCapacity,
    keyId,
    keysDigest,
    secretKey,
    ...parts,
  });
}
