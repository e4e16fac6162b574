// The prover's artifacts of a circuit built by `npm run build:circuits` (circuits/build/<name>/),
// found through the build's manifest.json, for provers running in Node (the sdk CLI). A browser
// passes URLs or bytes to the provers instead.
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_BUILD_DIR, type CircuitManifest } from '../../circuits/manifest.ts';
import type { ProverArtifacts } from './groth16.ts';

export async function builtProverArtifacts(circuit: string, buildDir: string = DEFAULT_BUILD_DIR): Promise<ProverArtifacts> {
  const dir = path.join(buildDir, circuit);
  let manifest: CircuitManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as CircuitManifest;
  } catch {
    throw new Error(`${circuit}: no manifest.json in ${dir}; run npm run build:circuits`);
  }
  const artifacts = { wasm: path.join(dir, manifest.files.wasm), zkey: path.join(dir, manifest.files.zkey) };
  for (const file of Object.values(artifacts)) {
    await access(file).catch(() => {
      throw new Error(`${circuit}: ${file} is missing; run npm run build:circuits`);
    });
  }
  return artifacts;
}
