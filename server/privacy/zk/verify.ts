// Verifies Groth16 proofs against the built circuits' verification keys, and turns a proof into
// the arguments of the generated Solidity verifier's verifyProof.

import * as snarkjs from 'snarkjs';
import type { Groth16Proof } from 'snarkjs';
import { z } from 'zod';
import { circuitSpec, type CircuitName } from '../../../circuits/registry.ts';
import { SNARK_SCALAR_FIELD } from '../../../sdk/poseidon.ts';
import { loadCircuit } from './artifacts.ts';

/** BN254 base field: proof coordinates live below it (public signals, below SNARK_SCALAR_FIELD). */
const BASE_FIELD = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;

/** Thrown when a proof or its public signals are not even shaped like one; a shaped but false proof verifies false. */
export class MalformedProofError extends Error {
  override readonly name = 'MalformedProofError';
  readonly code = 'MALFORMED_PROOF';
}

const decimalBelow = (modulus: bigint, what: string) =>
  z
    .string()
    .regex(/^(0|[1-9]\d{0,76})$/, `${what} must be a canonical decimal string`)
    .refine((s) => BigInt(s) < modulus, `${what} must be below the field modulus`);

const coordinate = decimalBelow(BASE_FIELD, 'a proof coordinate');
const publicSignal = decimalBelow(SNARK_SCALAR_FIELD, 'a public signal');

// snarkjs emits affine points in projective form, z = 1 (G2: 1 + 0i); the Solidity verifier
// takes only x and y, so anything else is refused rather than normalised here.
const proofSchema = z.object({
  pi_a: z.tuple([coordinate, coordinate, z.literal('1')]),
  pi_b: z.tuple([
    z.tuple([coordinate, coordinate]),
    z.tuple([coordinate, coordinate]),
    z.tuple([z.literal('1'), z.literal('0')]),
  ]),
  pi_c: z.tuple([coordinate, coordinate, z.literal('1')]),
  protocol: z.literal('groth16').optional(),
  curve: z.literal('bn128').optional(),
});

/** The proof in snarkjs' shape (protocol and curve set); throws MalformedProofError. */
export function parseProof(proof: unknown): Groth16Proof {
  const parsed = proofSchema.safeParse(proof);
  if (!parsed.success) throw new MalformedProofError(`malformed proof: ${z.prettifyError(parsed.error)}`);
  return { ...parsed.data, protocol: 'groth16', curve: 'bn128' };
}

/** Decimal strings below the scalar field, `expected` of them when given; throws MalformedProofError. */
export function parsePublicSignals(publicSignals: unknown, expected?: number): string[] {
  const parsed = z.array(publicSignal).safeParse(publicSignals);
  if (!parsed.success) throw new MalformedProofError(`malformed public signals: ${z.prettifyError(parsed.error)}`);
  if (expected !== undefined && parsed.data.length !== expected) {
    throw new MalformedProofError(`expected ${expected} public signals, got ${parsed.data.length}`);
  }
  return parsed.data;
}

/**
 * Whether `proof` proves the circuit's statement for `publicSignals` (decimal strings, in the
 * order of the circuit's registry entry). Throws MalformedProofError on input of the wrong
 * shape, ZkArtifactsError when the circuit is not built.
 */
export async function verifyGroth16(circuit: CircuitName, publicSignals: unknown, proof: unknown): Promise<boolean> {
  const signals = parsePublicSignals(publicSignals, circuitSpec(circuit).publicSignals.length);
  const parsedProof = parseProof(proof);
  const { verificationKey } = await loadCircuit(circuit);
  try {
    return await snarkjs.groth16.verify(verificationKey, signals, parsedProof);
  } catch {
    // Points off the curve can make ffjavascript throw instead of returning false.
    return false;
  }
}

export interface SolidityCalldata {
  a: [bigint, bigint];
  b: [[bigint, bigint], [bigint, bigint]];
  c: [bigint, bigint];
  input: bigint[];
}

/**
 * The arguments of the generated verifier's verifyProof(a, b, c, input). G2 coordinates are
 * swapped to (imaginary, real), the order the EVM pairing precompile expects.
 */
export function toSolidityCalldata(proof: unknown, publicSignals: unknown): SolidityCalldata {
  const { pi_a, pi_b, pi_c } = parseProof(proof);
  const input = parsePublicSignals(publicSignals).map(BigInt);
  return {
    a: [BigInt(pi_a[0]), BigInt(pi_a[1])],
    b: [
      [BigInt(pi_b[0][1]), BigInt(pi_b[0][0])],
      [BigInt(pi_b[1][1]), BigInt(pi_b[1][0])],
    ],
    c: [BigInt(pi_c[0]), BigInt(pi_c[1])],
    input,
  };
}

/**
 * Ends the worker threads ffjavascript starts for the bn128 curve on the first proof or
 * verification; they would keep the process alive. Call on shutdown; a later call starts them anew.
 */
export async function closeZk(): Promise<void> {
  await (globalThis as { curve_bn128?: { terminate?: () => Promise<void> } }).curve_bn128?.terminate?.();
}
