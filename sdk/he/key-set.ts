// A buyer's HE key set: made in the buyer's own process (browser or sdk), its secret key
// stays there — exported only for local persistence (key-set-export.ts) — and only the public
// bundle is uploaded.

import { encodeBase64 } from './encoding.ts';
import { HeClientError } from './errors.ts';
import { HandleScope } from './handle-scope.ts';
import { keyIdOf, keysDigestOf } from './key-binding.ts';
import {
  HE_QUERY_KINDS,
  HE_SCHEMES,
  QUERY_SCHEME,
  rotationStepsFor,
  type HeQueryKind,
  type HeScheme,
  type SchemeRuntime,
} from './params.ts';
import { buyerRuntime } from './runtime.ts';

/** What the buyer uploads: public material only, base64 of SEAL's save() (zstd). */
export interface PublicKeyBundle {
  keyId: string;
  scheme: HeScheme;
  paramsFingerprint: string;
  publicKey: string;
  relinKeys: string;
  galoisKeys: string;
  /** Binds the evaluation keys to the public key: see key-binding.ts. */
  keysDigest: string;
}

export interface GenerateKeySetOptions {
  scheme: HeScheme;
  /**
   * The query kinds the key set will serve, all of its scheme; by default the group aggregate
   * for BFV and the linear score for CKKS. Each kind needs its own Galois keys (~1 MB each):
   * the ID-set match needs a full row of rotations (13 keys, ~15 MB), so it is opt-in.
   */
  queries?: readonly HeQueryKind[];
  /**
   * The most groups a selection made with this key set may span: at most N/2 (4096) for the
   * group aggregate, whose rotations are made only up to it (⌈log2⌉ of it keys).
   */
  groupCapacity?: number;
}

export const DEFAULT_GROUP_CAPACITY = 256;

export const DEFAULT_QUERIES: Readonly<Record<HeScheme, readonly HeQueryKind[]>> = {
  bfv: ['group-aggregate'],
  ckks: ['linear-score'],
};

// SEAL's zstd: ~8x faster than its zlib on megabytes of Galois keys for ~1% more bytes. Both
// ends read it with SEAL itself (the server inflates uploads first, with a bound, in Node).
export const WIRE_COMPRESSION = 'zstd';

interface KeyMaterial {
  scheme: HeScheme;
  paramsFingerprint: string;
  queries: readonly HeQueryKind[];
  groupCapacity: number;
  keyId: string;
  keysDigest: string;
  secretKey: Uint8Array;
  publicKey: Uint8Array;
  relinKeys: Uint8Array;
  galoisKeys: Uint8Array;
}

// Outside the object, so neither JSON.stringify nor a debugger's property listing shows it.
const keyPairs = new WeakMap<KeySet, { secretKey: Uint8Array; publicKey: Uint8Array }>();

export class KeySet {
  readonly scheme: HeScheme;
  readonly keyId: string;
  readonly paramsFingerprint: string;
  /** The query kinds whose rotations the Galois keys cover. */
  readonly queries: readonly HeQueryKind[];
  readonly groupCapacity: number;
  readonly #bundle: Readonly<PublicKeyBundle>;

  constructor(material: KeyMaterial) {
    this.scheme = material.scheme;
    this.keyId = material.keyId;
    this.paramsFingerprint = material.paramsFingerprint;
    this.queries = Object.freeze([...material.queries]);
    this.groupCapacity = material.groupCapacity;
    this.#bundle = Object.freeze({
      keyId: material.keyId,
      scheme: material.scheme,
      paramsFingerprint: material.paramsFingerprint,
      publicKey: encodeBase64(material.publicKey),
      relinKeys: encodeBase64(material.relinKeys),
      galoisKeys: encodeBase64(material.galoisKeys),
      keysDigest: material.keysDigest,
    });
    keyPairs.set(this, { secretKey: material.secretKey, publicKey: material.publicKey });
  }

  /** The public material to upload; never contains the secret key. */
  publicBundle(): PublicKeyBundle {
    return { ...this.#bundle };
  }

  /** Serialising a key set by accident yields its public bundle, never the secret key. */
  toJSON(): PublicKeyBundle {
    return this.publicBundle();
  }
}

/** sdk-internal: the serialized key pair, for encrypting and decrypting in the buyer's process. */
export function keyPairOf(keySet: KeySet): { secretKey: Uint8Array; publicKey: Uint8Array } {
  const keyPair = keyPairs.get(keySet);
  if (!keyPair) throw new HeClientError('MALFORMED_KEY_SET', 'not a key set made by this sdk');
  return keyPair;
}

/** Query kinds from an untrusted source: known, of the key set's scheme, without repeats. */
export function parseQueries(queries: unknown, scheme: HeScheme): HeQueryKind[] | undefined {
  if (!Array.isArray(queries) || queries.length === 0) return undefined;
  const kinds = new Set<HeQueryKind>();
  for (const kind of queries) {
    if (!HE_QUERY_KINDS.includes(kind as HeQueryKind) || QUERY_SCHEME[kind as HeQueryKind] !== scheme) {
      return undefined;
    }
    kinds.add(kind as HeQueryKind);
  }
  return [...kinds];
}

/** The largest groupCapacity the key set's query kinds allow. */
export function maxGroupCapacity(runtime: SchemeRuntime, queries: readonly HeQueryKind[]): number {
  return queries.includes('group-aggregate') ? runtime.rowSize : runtime.slots;
}

export async function generateKeySet(options: GenerateKeySetOptions): Promise<KeySet> {
  const { scheme } = options;
  if (!HE_SCHEMES.includes(scheme)) {
    throw new HeClientError('UNSUPPORTED_SCHEME', `unknown scheme ${String(scheme)}`);
  }
  const queries = options.queries === undefined ? DEFAULT_QUERIES[scheme] : parseQueries(options.queries, scheme);
  if (!queries) {
    throw new HeClientError(
      'UNSUPPORTED_SCHEME',
      `queries must list kinds evaluated in ${scheme}: ${HE_QUERY_KINDS.filter((kind) => QUERY_SCHEME[kind] === scheme).join(', ')}`,
    );
  }
  const { seal, scheme: runtime } = await buyerRuntime(scheme);
  const maxGroups = maxGroupCapacity(runtime, queries);
  const groupCapacity = options.groupCapacity ?? Math.min(DEFAULT_GROUP_CAPACITY, maxGroups);
  if (!Number.isSafeInteger(groupCapacity) || groupCapacity < 1 || groupCapacity > maxGroups) {
    throw new HeClientError(
      'INVALID_SELECTION',
      `groupCapacity must be an integer in [1, ${maxGroups}] for ${queries.join(', ')}`,
    );
  }
  const compression = seal.ComprModeType[WIRE_COMPRESSION];
  const scope = new HandleScope();
  let material: Omit<KeyMaterial, 'keyId' | 'keysDigest'>;
  try {
    const generator = scope.own(new seal.KeyGenerator(runtime.context));
    const steps = rotationStepsFor(queries, { groupCapacity, rowSize: runtime.rowSize, slots: runtime.slots });
    material = {
      scheme,
      paramsFingerprint: runtime.fingerprint,
      queries,
      groupCapacity,
      secretKey: scope.own(generator.secretKey()).saveToArray(compression) as Uint8Array,
      publicKey: scope.own(generator.createPublicKeySerializable()).saveToArray(
        compression,
      ) as Uint8Array,
      relinKeys: scope.own(generator.createRelinKeysSerializable()).saveToArray(
        compression,
      ) as Uint8Array,
      galoisKeys: scope
        .own(generator.createGaloisKeysSerializableWithSteps(Int32Array.from(steps)))
        .saveToArray(compression) as Uint8Array,
    };
  } finally {
    scope.deleteAll();
  }
  return new KeySet({
    ...material,
    keyId: await keyIdOf(material.publicKey),
    keysDigest: await keysDigestOf(material),
  });
}
