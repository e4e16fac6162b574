// Poseidon over the BN254 scalar field: the one place the exchange's TypeScript takes it from.
// It is circomlib's Poseidon (the same constants), so a hash computed here equals the one a
// circuit computes with `Poseidon(n)` from circomlib/circuits/poseidon.circom.

import {
  poseidon1,
  poseidon2,
  poseidon3,
  poseidon4,
  poseidon5,
  poseidon6,
  poseidon7,
  poseidon8,
  poseidon9,
  poseidon10,
  poseidon11,
  poseidon12,
  poseidon13,
  poseidon14,
  poseidon15,
  poseidon16,
} from 'poseidon-lite';

/** The BN254 scalar field modulus: circuit signals and Poseidon inputs live below it. */
export const SNARK_SCALAR_FIELD =
  21888242871839275222246405745257275088548364400416034343698204186575808495617n;

const byArity = [
  poseidon1,
  poseidon2,
  poseidon3,
  poseidon4,
  poseidon5,
  poseidon6,
  poseidon7,
  poseidon8,
  poseidon9,
  poseidon10,
  poseidon11,
  poseidon12,
  poseidon13,
  poseidon14,
  poseidon15,
  poseidon16,
] as const;

export function isFieldElement(x: unknown): x is bigint {
  return typeof x === 'bigint' && x >= 0n && x < SNARK_SCALAR_FIELD;
}

function assertFieldElement(x: unknown, what: string): asserts x is bigint {
  if (typeof x !== 'bigint') throw new TypeError(`${what} must be a bigint, got ${typeof x}`);
  // poseidon-lite does not reduce its inputs: a negative or oversized input would hash to a
  // value no circuit can reproduce, so refuse it rather than reduce it silently.
  if (!isFieldElement(x)) throw new RangeError(`${what} is not a field element (0 <= x < p)`);
}

/** Poseidon(inputs) for 1 to 16 field elements. */
export function poseidonHash(inputs: readonly bigint[]): bigint {
  const hash = byArity[inputs.length - 1];
  if (!hash) throw new RangeError(`Poseidon takes 1 to 16 inputs, got ${inputs.length}`);
  inputs.forEach((x, i) => assertFieldElement(x, `Poseidon input ${i}`));
  return hash([...inputs]);
}

/**
 * Poseidon(left, right) without the input checks: the inner node of a Merkle tree, whose inputs
 * are hashes (field elements by construction) or zero. Building a tree over a million rows makes
 * a million of these calls, so the checks are left to whoever supplies the leaves.
 */
export function poseidonPair(left: bigint, right: bigint): bigint {
  return poseidon2([left, right]);
}

/**
 * Root of a binary Merkle tree with nodes Poseidon(left, right), the leaves padded with zeros to
 * the next power of two. One leaf is its own root. A dataset's commitment is this root over its
 * rows' hashes.
 */
export function poseidonMerkleRoot(leaves: readonly bigint[]): bigint {
  if (leaves.length === 0) throw new RangeError('a Merkle tree needs at least one leaf');
  leaves.forEach((x, i) => assertFieldElement(x, `leaf ${i}`));
  let width = 1;
  while (width < leaves.length) width *= 2;
  let level = [...leaves, ...new Array<bigint>(width - leaves.length).fill(0n)];
  while (level.length > 1) {
    const next: bigint[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(poseidon2([level[i]!, level[i + 1]!]));
    level = next;
  }
  return level[0]!;
}
