// What the HE tests need beyond the sdk's API: raw SEAL access with a buyer's exported secret
// key (to craft ciphertexts the sdk refuses to make, and to read every slot of a result), a
// ciphertext made under parameters other than the exchange's, and broken key bundles.

import SEAL, { type MainModule } from 'node-seal';
import { decodeBase64, encodeBase64 } from '../../sdk/he/encoding.ts';
import { HandleScope } from '../../sdk/he/handle-scope.ts';
import { keysDigestOf } from '../../sdk/he/key-binding.ts';
import { exportKeySet } from '../../sdk/he/key-set-export.ts';
import type { KeySet, PublicKeyBundle } from '../../sdk/he/key-set.ts';
import { CKKS_PARAMETERS, createSchemeRuntime, type SchemeRuntime } from '../../sdk/he/params.ts';

let fixture: Promise<{ seal: MainModule; bfv: SchemeRuntime; ckks: SchemeRuntime }> | undefined;

function sealFixture() {
  fixture ??= (async () => {
    const seal = await SEAL();
    return { seal, bfv: await createSchemeRuntime(seal, 'bfv'), ckks: await createSchemeRuntime(seal, 'ckks') };
  })();
  return fixture;
}

async function secretKeyBytes(keySet: KeySet): Promise<Uint8Array> {
  const exported = JSON.parse(await exportKeySet(keySet)) as { keySet: { secretKey: string } };
  return decodeBase64(exported.keySet.secretKey)!;
}

/** Encrypts arbitrary slot values (not just 0/1) under the key set's secret key. */
export async function encryptSlots(keySet: KeySet, values: readonly bigint[]): Promise<string> {
  const { seal, bfv } = await sealFixture();
  const scope = new HandleScope();
  try {
    const secretKey = scope.own(new seal.SecretKey());
    secretKey.loadFromArray(bfv.context, await secretKeyBytes(keySet));
    const generator = scope.own(new seal.KeyGenerator(bfv.context, secretKey));
    const publicKey = scope.own(generator.createPublicKey());
    const encryptor = scope.own(new seal.Encryptor(bfv.context, publicKey, secretKey));
    const slots = new BigUint64Array(bfv.slots);
    values.forEach((value, index) => (slots[index] = value));
    const plain = scope.own(new seal.Plaintext());
    bfv.batchEncoder!.encode(slots, plain);
    const cipher = scope.own(encryptor.encryptSymmetricSerializable(plain));
    return encodeBase64(cipher.saveToArray(seal.ComprModeType.zstd) as Uint8Array);
  } finally {
    scope.deleteAll();
  }
}

/** Encrypts arbitrary CKKS slot values (not just a well-formed selection or weights). */
export async function encryptCkksSlots(keySet: KeySet, values: ArrayLike<number>): Promise<string> {
  const { seal, ckks } = await sealFixture();
  const scope = new HandleScope();
  try {
    const secretKey = scope.own(new seal.SecretKey());
    secretKey.loadFromArray(ckks.context, await secretKeyBytes(keySet));
    const generator = scope.own(new seal.KeyGenerator(ckks.context, secretKey));
    const publicKey = scope.own(generator.createPublicKey());
    const encryptor = scope.own(new seal.Encryptor(ckks.context, publicKey, secretKey));
    const slots = new Float64Array(ckks.slots);
    slots.set(Array.from(values));
    const plain = scope.own(new seal.Plaintext());
    ckks.ckksEncoder!.encode(slots, CKKS_PARAMETERS.scale, plain);
    const cipher = scope.own(encryptor.encryptSymmetricSerializable(plain));
    return encodeBase64(cipher.saveToArray(seal.ComprModeType.zstd) as Uint8Array);
  } finally {
    scope.deleteAll();
  }
}

/** The result's remaining noise budget in bits (0: it no longer decrypts). */
export async function noiseBudget(keySet: KeySet, ciphertext: string): Promise<number> {
  const { seal, bfv } = await sealFixture();
  const scope = new HandleScope();
  try {
    const secretKey = scope.own(new seal.SecretKey());
    secretKey.loadFromArray(bfv.context, await secretKeyBytes(keySet));
    const cipher = scope.own(new seal.Ciphertext());
    cipher.loadFromArray(bfv.context, decodeBase64(ciphertext)!);
    return scope.own(new seal.Decryptor(bfv.context, secretKey)).invariantNoiseBudget(cipher);
  } finally {
    scope.deleteAll();
  }
}

/** Every slot of a result, decrypted with the key set's secret key. */
export async function decryptSlots(keySet: KeySet, ciphertext: string): Promise<BigUint64Array> {
  const { seal, bfv } = await sealFixture();
  const scope = new HandleScope();
  try {
    const secretKey = scope.own(new seal.SecretKey());
    secretKey.loadFromArray(bfv.context, await secretKeyBytes(keySet));
    const cipher = scope.own(new seal.Ciphertext());
    cipher.loadFromArray(bfv.context, decodeBase64(ciphertext)!);
    const plain = scope.own(new seal.Plaintext());
    scope.own(new seal.Decryptor(bfv.context, secretKey)).decrypt(cipher, plain);
    return bfv.batchEncoder!.decodeBigUint64(plain) as BigUint64Array;
  } finally {
    scope.deleteAll();
  }
}

/** A well-formed BFV selection, but under N = 4096 and a 20-bit plain modulus. */
export async function selectionUnderOtherParameters(): Promise<string> {
  const { seal } = await sealFixture();
  const scope = new HandleScope();
  try {
    const parms = scope.own(new seal.EncryptionParameters(seal.SchemeType.bfv));
    parms.setPolyModulusDegree(4096);
    parms.setCoeffModulus(scope.own(seal.CoeffModulus.BFVDefault(4096, seal.SecLevelType.tc128)));
    parms.setPlainModulus(scope.own(seal.PlainModulus.Batching(4096, 20)));
    const context = scope.own(new seal.SEALContext(parms, true, seal.SecLevelType.tc128));
    const generator = scope.own(new seal.KeyGenerator(context));
    const publicKey = scope.own(generator.createPublicKey());
    const encryptor = scope.own(new seal.Encryptor(context, publicKey));
    const plain = scope.own(new seal.Plaintext());
    scope.own(new seal.BatchEncoder(context)).encode(BigUint64Array.of(1n, 0n, 1n), plain);
    const cipher = scope.own(encryptor.encryptSerializable(plain));
    return encodeBase64(cipher.saveToArray(seal.ComprModeType.zstd) as Uint8Array);
  } finally {
    scope.deleteAll();
  }
}

/** A SEAL header claiming zlib, around a small deflate stream that inflates to `bytes`. */
export async function compressionBomb(bytes: number): Promise<string> {
  const { deflateSync } = await import('node:zlib');
  const body = deflateSync(Buffer.alloc(bytes), { level: 9 });
  const blob = new Uint8Array(16 + body.length);
  const header = new DataView(blob.buffer);
  header.setUint16(0, 0xa15e, true);
  header.setUint8(2, 16);
  header.setUint8(3, 4);
  header.setUint8(4, 1);
  header.setUint8(5, 1); // zlib
  header.setBigUint64(8, BigInt(blob.length), true);
  blob.set(body, 16);
  return encodeBase64(blob);
}

/**
 * The bundle with one key cut short (and its keysDigest recomputed, as a careless or hostile
 * client would): its SEAL header no longer matches its length.
 */
export async function truncatedKeyBundle(
  bundle: PublicKeyBundle,
  field: 'publicKey' | 'relinKeys' | 'galoisKeys' = 'galoisKeys',
): Promise<PublicKeyBundle> {
  const parts = {
    publicKey: decodeBase64(bundle.publicKey)!,
    relinKeys: decodeBase64(bundle.relinKeys)!,
    galoisKeys: decodeBase64(bundle.galoisKeys)!,
  };
  parts[field] = parts[field].subarray(0, parts[field].length - 4096);
  return { ...bundle, [field]: encodeBase64(parts[field]), keysDigest: await keysDigestOf(parts) };
}
