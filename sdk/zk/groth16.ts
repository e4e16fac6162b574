// The prover's side of every circuit: where its artifacts come from, and one fullProve call.

import * as snarkjs from 'snarkjs';
import type { CircuitSignals, Groth16Proof } from 'snarkjs';

export type { Groth16Proof } from 'snarkjs';

/**
 * Where the prover finds a circuit's artifacts: file paths in Node, URLs in a browser, or the
 * files' bytes (circuits/build/<name>/<name>_js/<name>.wasm and <name>_final.zkey).
 */
export interface ProverArtifacts {
  wasm: string | Uint8Array;
  zkey: string | Uint8Array;
}

export interface Groth16ProofWithSignals {
  proof: Groth16Proof;
  /** Decimal strings, in the circuit's public signal order. */
  publicSignals: string[];
}

/**
 * A Groth16 proof for the circuit's input. Rejects ("Assert Failed" from the witness generator)
 * when the input does not satisfy the circuit: that is where a false statement stops.
 */
export async function proveGroth16(input: CircuitSignals, artifacts: ProverArtifacts): Promise<Groth16ProofWithSignals> {
  const { proof, publicSignals } = await snarkjs.groth16.fullProve(input, artifacts.wasm, artifacts.zkey);
  return { proof, publicSignals };
}
