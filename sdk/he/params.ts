// The exchange's homomorphic-encryption parameter sets: the one definition that buyers (sdk,
// browser) and the server both build their SEAL contexts from, so a key set made on one side
// is usable on the other, and the fingerprint of the saved parameters tells them apart.
//
// BFV (exact integers, the private group aggregate)
//   polyModulusDegree 8192, coefficient modulus CoeffModulus.BFVDefault(8192, 128-bit):
//   43+43+44+44+44 = 218 bits (one special prime for key switching, 174 bits for data).
//   Plain modulus: the 41-bit batching prime PlainModulus.Batching(8192, 41) = 2199023190017.
//   Why 41 and not 20 bits: slot values live modulo t, so a sum decrypts exactly only while it
//   stays below t. 20 bits caps an aggregate at ~10^6 (useless for amounts in fen); 41 bits
//   gives room above 2^40 (~1.1 * 10^12 fen). The price is noise budget: the aggregate costs
//   one plaintext multiplication, one ciphertext multiplication (the oblivious 0/1 check, see
//   server/privacy/he/evaluate.ts) and up to 13 rotations; measured worst cases leave 16-27
//   bits of budget at t = 41 bits versus 19-30 at 40 bits, and a 42-bit t leaves ~14.
//   44-bit batching primes collide with the coefficient primes, and anything much larger
//   would exhaust the budget. Sums that must go beyond t are the caller's to split (limbs,
//   or two plain moduli and CRT); the evaluator refuses totals whose sum could reach t.
//
// CKKS (reals): polyModulusDegree 8192, coefficient modulus bit sizes [60, 40, 40, 60]
//   (200 bits, within the 218 allowed at 128-bit security), scale 2^40.

import type {
  BatchEncoder,
  CKKSEncoder,
  EncryptionParameters,
  MainModule,
  SEALContext,
} from 'node-seal';
import { sha256Hex } from './encoding.ts';
import { HandleScope } from './handle-scope.ts';

export type HeScheme = 'bfv' | 'ckks';

export const HE_SCHEMES: readonly HeScheme[] = ['bfv', 'ckks'];

export const BFV_PARAMETERS = {
  scheme: 'bfv',
  polyModulusDegree: 8192,
  securityLevel: 128,
  plainModulusBits: 41,
  /**
   * Chain index the evaluator switches its result down to before returning it: two data
   * primes (87 bits) keep the measured noise budget and halve the response.
   */
  responseChainIndex: 1,
} as const;

export const CKKS_PARAMETERS = {
  scheme: 'ckks',
  polyModulusDegree: 8192,
  securityLevel: 128,
  coeffModulusBits: [60, 40, 40, 60],
  scale: 2 ** 40,
} as const;

/** A scheme's context as one side of the exchange holds it for the life of the process. */
export interface SchemeRuntime {
  scheme: HeScheme;
  context: SEALContext;
  polyModulusDegree: number;
  /** Slots per plaintext: N for BFV batching (two rows of N/2), N/2 for CKKS. */
  slots: number;
  /** Slots a row rotation moves within: N/2 for both schemes. */
  rowSize: number;
  securityLevel: number;
  /** sha256 (hex) of the saved EncryptionParameters: keys and ciphertexts are bound to it. */
  fingerprint: string;
  /** BFV only: the plain modulus t; 0n for CKKS. */
  plainModulus: bigint;
  /** BFV only: the largest aggregate that decrypts exactly (t - 1); 0n for CKKS. */
  maxExactSum: bigint;
  /** Upper bounds on serialized sizes (uncompressed), checked before anything is parsed. */
  limits: SerializedSizeLimits;
  batchEncoder?: BatchEncoder;
  ckksEncoder?: CKKSEncoder;
}

export interface SerializedSizeLimits {
  ciphertext: number;
  publicKey: number;
  relinKeys: number;
  galoisKeys: number;
}

// Slack for SEAL's header, metadata and per-component array headers.
const METADATA_SLACK = 64 * 1024;

/**
 * From N and the number of data primes k (the key level has k + 1): a fresh ciphertext is
 * 2·N·k words, a public key 2·N·(k+1), a key-switching key k of those; SEAL's seeded
 * serialization halves keys, and the sdk always uploads seeded keys. Galois keys are bounded
 * at one key per power-of-two rotation of a row plus the column swap.
 */
function sizeLimits(polyModulusDegree: number, dataPrimes: number): SerializedSizeLimits {
  const word = 8;
  const keyPoly = polyModulusDegree * (dataPrimes + 1) * word;
  const switchingKey = dataPrimes * 2 * keyPoly;
  const galoisKeyCount = Math.log2(polyModulusDegree / 2) + 1;
  return {
    ciphertext: 2 * polyModulusDegree * dataPrimes * word + METADATA_SLACK,
    publicKey: 2 * keyPoly + METADATA_SLACK,
    relinKeys: switchingKey + METADATA_SLACK,
    galoisKeys: galoisKeyCount * (switchingKey / 2 + METADATA_SLACK),
  };
}

function buildEncryptionParameters(
  seal: MainModule,
  scheme: HeScheme,
  scope: HandleScope,
): EncryptionParameters {
  if (scheme === 'bfv') {
    const { polyModulusDegree, plainModulusBits } = BFV_PARAMETERS;
    const parms = scope.own(new seal.EncryptionParameters(seal.SchemeType.bfv));
    parms.setPolyModulusDegree(polyModulusDegree);
    parms.setCoeffModulus(
      scope.own(seal.CoeffModulus.BFVDefault(polyModulusDegree, seal.SecLevelType.tc128)),
    );
    parms.setPlainModulus(
      scope.own(seal.PlainModulus.Batching(polyModulusDegree, plainModulusBits)),
    );
    return parms;
  }
  const { polyModulusDegree, coeffModulusBits } = CKKS_PARAMETERS;
  const parms = scope.own(new seal.EncryptionParameters(seal.SchemeType.ckks));
  parms.setPolyModulusDegree(polyModulusDegree);
  parms.setCoeffModulus(
    scope.own(seal.CoeffModulus.Create(polyModulusDegree, Int32Array.from(coeffModulusBits))),
  );
  return parms;
}

/** Builds one scheme's context; the caller keeps it for the life of the process. */
export async function createSchemeRuntime(
  seal: MainModule,
  scheme: HeScheme,
): Promise<SchemeRuntime> {
  const spec = scheme === 'bfv' ? BFV_PARAMETERS : CKKS_PARAMETERS;
  const scope = new HandleScope();
  try {
    const parms = buildEncryptionParameters(seal, scheme, scope);
    const saved = parms.saveToArray(seal.ComprModeType.none) as Uint8Array;
    // Both sets are specified at 128 bits; SEAL refuses parameters weaker than the level given.
    const context = new seal.SEALContext(parms, true, seal.SecLevelType.tc128);
    const qualifiers = scope.own(scope.own(context.keyContextData()).qualifiers());
    const securityLevel = qualifiers.securityLevel.value;
    if (!context.parametersSet() || securityLevel !== spec.securityLevel) {
      context.delete();
      throw new Error(
        `${scheme} parameters rejected by SEAL (security level ${securityLevel}, expected ${spec.securityLevel})`,
      );
    }
    const fingerprint = await sha256Hex(saved);
    const polyModulusDegree = spec.polyModulusDegree;
    const firstLevel = scope.own(scope.own(context.firstContextData()).parms());
    const limits = sizeLimits(polyModulusDegree, scope.own(firstLevel.coeffModulus()).size());
    if (scheme === 'bfv') {
      const plainModulus = scope.own(parms.plainModulus()).value();
      const batchEncoder = new seal.BatchEncoder(context);
      return {
        scheme,
        context,
        polyModulusDegree,
        slots: batchEncoder.slotCount(),
        rowSize: polyModulusDegree / 2,
        securityLevel,
        fingerprint,
        plainModulus,
        maxExactSum: plainModulus - 1n,
        limits,
        batchEncoder,
      };
    }
    const ckksEncoder = new seal.CKKSEncoder(context);
    return {
      scheme,
      context,
      polyModulusDegree,
      slots: ckksEncoder.slotCount(),
      rowSize: polyModulusDegree / 2,
      securityLevel,
      fingerprint,
      plainModulus: 0n,
      maxExactSum: 0n,
      limits,
      ckksEncoder,
    };
  } finally {
    scope.deleteAll();
  }
}

/**
 * Rotation steps that sum the first `groupCount` slots into slot 0: powers of two below the
 * next power of two ≥ groupCount (rows rotate within N/2 slots), and step 0 — SEAL's column
 * rotation, which swaps the two BFV rows — when the groups spill into the second row.
 */
export function aggregateRotationSteps(groupCount: number, rowSize: number): number[] {
  const steps: number[] = [];
  for (let step = 1; step < groupCount && step < rowSize; step *= 2) steps.push(step);
  if (groupCount > rowSize) steps.push(0);
  return steps;
}

/** SEAL's Galois element for a rotation step (util::GaloisTool::get_elt_from_step). */
export function galoisElementForStep(step: number, polyModulusDegree: number): number {
  const m = 2 * polyModulusDegree;
  if (step === 0) return m - 1;
  const rowSize = polyModulusDegree / 2;
  const positive = step < 0 ? rowSize + step : step;
  let element = 1;
  for (let index = 0; index < positive; index++) element = (element * 3) % m;
  return element;
}
