// The layout of a built circuit under circuits/build/<name>/ and the manifest.json that
// describes it; written by circuits/build.ts, read by server/privacy/zk/artifacts.ts.

import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const MANIFEST_VERSION = 2;

/** circuits/build/, absolute. */
export const DEFAULT_BUILD_DIR = fileURLToPath(new URL('./build/', import.meta.url));

export interface CircuitManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  name: string;
  /** circom source, relative to the repository root. */
  source: string;
  /** sha256 over the source and every local file it includes (circomlib is pinned by toolchain). */
  sourceSha256: string;
  /** The power the registry asks for; part of the cache key. */
  ptauPower: number;
  /** The shared ceremony the proving key was set up from (its power may be larger). */
  ptau: { power: number; sha256: string };
  constraints: number;
  publicSignals: string[];
  /** Paths relative to the circuit's build folder, except solidity (relative to the repository root). */
  files: { r1cs: string; wasm: string; zkey: string; vkey: string; solidity: string };
  sha256: { zkey: string; vkey: string; wasm: string };
  /**
   * The phase-2 transcript of the proving key, oldest first: the build's own contribution and
   * beacon, then each `--contribute "<name>"` and the beacon that closed it. `hash` is the
   * contribution hash snarkjs prints in `zkey verify` (hex, 64 bytes).
   */
  ceremony: CeremonyStep[];
  toolchain: { circom2: string; circomlib: string; snarkjs: string };
  builtAt: string;
}

export interface CeremonyStep {
  kind: 'contribution' | 'beacon';
  name: string;
  hash: string;
  at: string;
}

/** File names inside circuits/build/<name>/, as circom2 and the build write them. */
export function circuitFiles(name: string) {
  return {
    r1cs: `${name}.r1cs`,
    sym: `${name}.sym`,
    wasm: path.join(`${name}_js`, `${name}.wasm`),
    zkey: `${name}_final.zkey`,
    vkey: 'verification_key.json',
    manifest: 'manifest.json',
  };
}
