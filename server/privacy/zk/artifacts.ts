// Finds a built circuit under circuits/build/<name>/ (see circuits/build.ts), checks its files
// against the manifest, and keeps its verification key loaded for the life of the process.

import { createHash } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Groth16VerificationKey } from 'snarkjs';
import { DEFAULT_BUILD_DIR, MANIFEST_VERSION, type CircuitManifest } from '../../../circuits/manifest.ts';
import { circuits, circuitSpec, type CircuitName, type CircuitSpec } from '../../../circuits/registry.ts';

export type ZkArtifactsErrorCode =
  /** No manifest: `npm run build:circuits` has not run, or did not finish. */
  | 'CIRCUIT_NOT_BUILT'
  /** A file is missing or differs from what the manifest recorded, or the key does not fit the registry. */
  | 'CIRCUIT_ARTIFACTS_INCONSISTENT';

export class ZkArtifactsError extends Error {
  override readonly name = 'ZkArtifactsError';
  constructor(
    readonly code: ZkArtifactsErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface LoadedCircuit {
  spec: CircuitSpec;
  manifest: CircuitManifest;
  /** Absolute paths of the prover's and verifier's files. */
  paths: { dir: string; wasm: string; zkey: string; vkey: string };
  verificationKey: Groth16VerificationKey;
  /** sha256 of verification_key.json as stored, hex. */
  vkeySha256: string;
}

const loaded = new Map<string, Promise<LoadedCircuit>>();

/** The circuit's artifacts and verification key, loaded once; a failed load is retried next call. */
export function loadCircuit(name: CircuitName): Promise<LoadedCircuit> {
  let pending = loaded.get(name);
  if (!pending) {
    pending = readCircuit(name);
    loaded.set(name, pending);
    pending.catch(() => loaded.delete(name));
  }
  return pending;
}

/** Forget loaded keys, so that the next call reads a rebuilt circuit. */
export function forgetLoadedCircuits(): void {
  loaded.clear();
}

async function readCircuit(name: CircuitName): Promise<LoadedCircuit> {
  const spec = circuitSpec(name);
  const dir = path.join(DEFAULT_BUILD_DIR, name);
  let manifest: CircuitManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as CircuitManifest;
  } catch {
    throw new ZkArtifactsError('CIRCUIT_NOT_BUILT', `${name}: no manifest in ${dir}; run npm run build:circuits`);
  }
  const inconsistent = (why: string) => new ZkArtifactsError('CIRCUIT_ARTIFACTS_INCONSISTENT', `${name}: ${why}`);
  if (manifest.manifestVersion !== MANIFEST_VERSION || manifest.name !== name) {
    throw inconsistent('manifest is from another build; run npm run build:circuits');
  }
  const paths = {
    dir,
    wasm: path.join(dir, manifest.files.wasm),
    zkey: path.join(dir, manifest.files.zkey),
    vkey: path.join(dir, manifest.files.vkey),
  };
  for (const file of [paths.wasm, paths.zkey]) {
    await access(file).catch(() => {
      throw inconsistent(`${path.relative(dir, file)} is missing`);
    });
  }

  let bytes: Buffer;
  try {
    bytes = await readFile(paths.vkey);
  } catch {
    throw inconsistent(`${manifest.files.vkey} is missing`);
  }
  const vkeySha256 = createHash('sha256').update(bytes).digest('hex');
  if (vkeySha256 !== manifest.sha256.vkey) throw inconsistent('verification key differs from its manifest');
  const verificationKey = JSON.parse(bytes.toString('utf8')) as Groth16VerificationKey;
  if (verificationKey.protocol !== 'groth16' || verificationKey.curve !== 'bn128') {
    throw inconsistent(`verification key is ${verificationKey.protocol}/${verificationKey.curve}, not groth16/bn128`);
  }
  if (verificationKey.nPublic !== spec.publicSignals.length || verificationKey.IC.length !== spec.publicSignals.length + 1) {
    throw inconsistent(
      `verification key has ${verificationKey.nPublic} public signals, the registry names ${spec.publicSignals.length}`,
    );
  }
  return { spec, manifest, paths, verificationKey, vkeySha256 };
}

/**
 * Every registered circuit as ComplianceRegistry registers its verifier: name, sha256 of the
 * verification key, number of public signals. Throws ZkArtifactsError when one is not built.
 */
export async function builtCircuitKeys(): Promise<{ name: CircuitName; vkeySha256: string; publicSignalCount: number }[]> {
  return Promise.all(
    circuits.map(async ({ name }) => {
      const { spec, vkeySha256 } = await loadCircuit(name);
      return { name, vkeySha256, publicSignalCount: spec.publicSignals.length };
    }),
  );
}
