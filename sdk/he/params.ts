// The exchange's homomorphic-encryption parameter sets: the one definition that buyers (sdk,
// browser) and the server both build their SEAL contexts from, so a key set made on one side
// is usable on the other, and the fingerprint of the saved parameters tells them apart.
//
// BFV (exact integers: the private group aggregate and the ID-set match)
//   polyModulusDegree 8192, coefficient modulus CoeffModulus.BFVDefault(8192, 128-bit):
//   43+43+44+44+44 = 218 bits (one special prime for key switching, 174 bits for data).
//   Plain modulus: the 41-bit batching prime PlainModulus.Batching(8192, 41) = 2199023190017.
//   Why 41 and not 20 bits: slot values live modulo t, so a sum decrypts exactly only while it
//   stays below t. 20 bits caps an aggregate at ~10^6 (useless for amounts in fen); 41 bits
//   gives room near 2^40 (~1.1 * 10^12 fen). The price is noise budget: a query costs one
//   ciphertext square (the oblivious 0/1 check), plaintext multiplications, and up to 13
//   rotations (server/privacy/he/evaluate-group-aggregate.ts, evaluate-id-set.ts); measured
//   worst cases leave 13 bits of budget for 4096 groups, ~20 for 64, and 14 for an ID-set
//   match of 128 to 512 chunks, after switching the answer down to two primes; each further
//   bit of t costs about a bit of budget.
//   44-bit batching primes collide with the coefficient primes, and anything much larger
//   would exhaust the budget. Results are read as signed residues in (−t/2, t/2), so the
//   evaluators refuse data whose aggregate (plus a margin for differential-privacy noise)
//   could reach t/2 ≈ 1.1 * 10^12; larger sums are the caller's to split (limbs, or two plain
//   moduli and CRT).
//
// CKKS (reals, the private linear score): polyModulusDegree 8192, coefficient modulus bit sizes
//   [58, 50, 50, 60] (218 bits, the most allowed at 128-bit security; the last prime is the
//   special one), scale 2^50. The linear score needs depth 2 (selection × weights, then × the
//   provider's column sums; the oblivious 0/1 check (s² − s) × weights × ρ) and ends at level
//   0 at scale ~2^45, where values must stay below 2^(58−1−45) = 2^12 in magnitude: the
//   evaluator normalises the sums by public bounds and the sdk normalises the weights, so
//   answers lie in [−1, 1]. Why 50-bit primes and not 40: fresh encryption error is ~2^-42 of
//   a slot at 2^50 versus ~2^-32 at 2^40, and the oblivious checks multiply that error by
//   their random coefficients (see server/privacy/he/evaluate-linear-score.ts).
//
// Rotations. Every query kind sums slots by rotating and adding, with Galois keys the buyer
// makes for power-of-two steps only (each key is ~1 MB); which steps a kind needs is defined
// here, once, for the sdk's key generation and the server's checks.

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
  coeffModulusBits: [58, 50, 50, 60],
  scale: 2 ** 50,
} as const;

/** The encrypted query kinds, and the scheme each is evaluated in. */
export type HeQueryKind = 'group-aggregate' | 'id-set-match' | 'linear-score';

export const HE_QUERY_KINDS: readonly HeQueryKind[] = ['group-aggregate', 'id-set-match', 'linear-score'];

export const QUERY_SCHEME: Readonly<Record<HeQueryKind, HeScheme>> = {
  'group-aggregate': 'bfv',
  'id-set-match': 'bfv',
  'linear-score': 'ckks',
};

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
  /**
   * BFV only: the largest |aggregate| that decrypts exactly, (t - 1) / 2: results are read as
   * signed residues (centred on 0), so that negative values and differential-privacy noise
   * below zero decode correctly. 0n for CKKS.
   */
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
        maxExactSum: (plainModulus - 1n) / 2n,
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

/** Powers of two below `span` (and below `limit`): the steps of a rotate-and-sum over `span` slots. */
function powerOfTwoSteps(span: number, limit: number): number[] {
  const steps: number[] = [];
  for (let step = 1; step < span && step < limit; step *= 2) steps.push(step);
  return steps;
}

/**
 * Group aggregate (BFV): step 0 — SEAL's column rotation, which swaps the two batch rows —
 * copies the selection into the second row, where the group row counts are summed while the
 * first row sums the group totals; then the powers of two below the next power of two ≥
 * groupCount sum each row into its first slot. groupCount is at most rowSize (N/2).
 */
export function groupAggregateRotationSteps(groupCount: number, rowSize: number): number[] {
  return [0, ...powerOfTwoSteps(groupCount, rowSize)];
}

/**
 * ID-set match (BFV): every slot of both rows holds a bucket, so the sum runs over a whole
 * row (powers of two below rowSize) and the column rotation moves half of the products into
 * the other row.
 */
export function idSetRotationSteps(rowSize: number): number[] {
  return [0, ...powerOfTwoSteps(rowSize, rowSize)];
}

/**
 * Linear score (CKKS): the sums run over all slots, so that every slot ends up holding the
 * total and none a partial sum the buyer could difference; the column-stride rotation of the
 * consistency check is one of these powers of two as well.
 */
export function linearScoreRotationSteps(slots: number): number[] {
  return powerOfTwoSteps(slots, slots);
}

/** The union of the rotation steps the given query kinds need, for a key set of this capacity. */
export function rotationStepsFor(
  kinds: readonly HeQueryKind[],
  options: { groupCapacity: number; rowSize: number; slots: number },
): number[] {
  const steps = new Set<number>();
  for (const kind of kinds) {
    const needed =
      kind === 'group-aggregate'
        ? groupAggregateRotationSteps(options.groupCapacity, options.rowSize)
        : kind === 'id-set-match'
          ? idSetRotationSteps(options.rowSize)
          : linearScoreRotationSteps(options.slots);
    for (const step of needed) steps.add(step);
  }
  return [...steps].sort((a, b) => a - b);
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
