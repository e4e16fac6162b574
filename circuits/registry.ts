// The circuits the exchange proves with. circuits/build.ts builds every entry; the sdk and
// server/privacy/zk find their artifacts under circuits/build/<name>/ by the same name.

export interface CircuitSpec {
  /** snake_case name: the build folder and the key the server verifies under. */
  readonly name: string;
  /** circom source, relative to the repository root. */
  readonly source: string;
  /** Public signals in the order the circuit exposes them (outputs, then public inputs as declared). */
  readonly publicSignals: readonly string[];
  /** log2 of the powers of tau the circuit needs: 2^power >= constraints + public signals + 1. */
  readonly ptauPower: number;
}

export const circuits = [
  {
    name: 'range_commitment',
    source: 'circuits/range_commitment.circom',
    publicSignals: ['commitment', 'min', 'max'],
    ptauPower: 10,
  },
  {
    name: 'rule_chunk',
    source: 'circuits/rule_chunk.circom',
    publicSignals: ['root', 'rulesHash', 'chunkIndex', 'rowCount'],
    ptauPower: 14,
  },
  {
    name: 'sampled_audit',
    source: 'circuits/sampled_audit.circom',
    publicSignals: ['root', 'rulesHash', 'nonce', 'rowCount'],
    ptauPower: 15,
  },
  {
    name: 'positive_list',
    source: 'circuits/positive_list.circom',
    publicSignals: ['listRoot', 'destination', 'category'],
    ptauPower: 12,
  },
  {
    name: 'min_group_size',
    source: 'circuits/min_group_size.circom',
    publicSignals: ['root', 'rowCount', 'chunkIndex', 'groupColumn', 'k', 'tallyBefore', 'tallyAfter'],
    ptauPower: 13,
  },
] as const satisfies readonly CircuitSpec[];

export type CircuitName = (typeof circuits)[number]['name'];

export function circuitSpec(name: string): CircuitSpec {
  const spec = circuits.find((c) => c.name === name);
  if (!spec) throw new Error(`unknown circuit "${name}"`);
  return spec;
}

/** `range_commitment` → `RangeCommitment`; the generated Solidity verifier is `<Pascal>Verifier`. */
export function pascalName(name: string): string {
  return name
    .split(/[_-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
