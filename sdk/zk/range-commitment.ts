// Prover side of circuits/range_commitment.circom: a provider commits to a 64-bit value and
// proves it lies in [min, max] without revealing it (the building block of 合规证明).

import * as snarkjs from 'snarkjs';
import type { Groth16Proof } from 'snarkjs';
import { isFieldElement, poseidonHash } from '../poseidon.ts';
import type { ProverArtifacts } from './groth16.ts';

export type { Groth16Proof } from 'snarkjs';

export const RANGE_COMMITMENT_BITS = 64;
const VALUE_LIMIT = 1n << BigInt(RANGE_COMMITMENT_BITS);

/** The circuit's signals, one to one and in its order: private value, salt; public commitment, min, max. */
export interface RangeCommitmentInput {
  value: bigint;
  salt: bigint;
  commitment: bigint;
  min: bigint;
  max: bigint;
}

/** The public signals as they come out of a proof: commitment, min, max (decimal strings). */
export const RANGE_COMMITMENT_PUBLIC_SIGNALS = ['commitment', 'min', 'max'] as const;

export type { ProverArtifacts } from './groth16.ts';

export interface RangeCommitmentProof {
  proof: Groth16Proof;
  publicSignals: string[];
}

function assertBigint(x: unknown, name: string): asserts x is bigint {
  if (typeof x !== 'bigint') throw new TypeError(`${name} must be a bigint, got ${typeof x}`);
}

function assertUint64(x: unknown, name: string): asserts x is bigint {
  assertBigint(x, name);
  if (x < 0n || x >= VALUE_LIMIT) throw new RangeError(`${name} must satisfy 0 <= ${name} < 2^64`);
}

function assertField(x: unknown, name: string): asserts x is bigint {
  assertBigint(x, name);
  if (!isFieldElement(x)) throw new RangeError(`${name} must be a field element (0 <= ${name} < p)`);
}

/** commitment = Poseidon(value, salt), as the circuit computes it. */
export function rangeCommitment(value: bigint, salt: bigint): bigint {
  assertUint64(value, 'value');
  assertField(salt, 'salt');
  return poseidonHash([value, salt]);
}

/** The circuit input for a value, its salt and the declared interval, the commitment computed. */
export function rangeCommitmentInput(options: {
  value: bigint;
  salt: bigint;
  min: bigint;
  max: bigint;
}): RangeCommitmentInput {
  const { value, salt, min, max } = options;
  return checkInput({ value, salt, commitment: rangeCommitment(value, salt), min, max });
}

// The value is deliberately not compared with [min, max] here: that is the circuit's to prove,
// and a value outside the interval must fail there, where a cheating prover cannot skip it.
function checkInput(input: RangeCommitmentInput): RangeCommitmentInput {
  assertUint64(input.value, 'value');
  assertField(input.salt, 'salt');
  assertField(input.commitment, 'commitment');
  assertUint64(input.min, 'min');
  assertUint64(input.max, 'max');
  if (input.min > input.max) throw new RangeError('min must not exceed max');
  return input;
}

/**
 * A Groth16 proof that `commitment` opens to a value in [min, max]. Rejects when the witness does
 * not satisfy the circuit (a value outside the interval, a commitment that does not match).
 */
export async function proveRangeCommitment(
  input: RangeCommitmentInput,
  artifacts: ProverArtifacts,
): Promise<RangeCommitmentProof> {
  const { value, salt, commitment, min, max } = checkInput(input);
  const { proof, publicSignals } = await snarkjs.groth16.fullProve(
    { value, salt, commitment, min, max },
    artifacts.wasm,
    artifacts.zkey,
  );
  return { proof, publicSignals };
}
