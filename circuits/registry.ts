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
