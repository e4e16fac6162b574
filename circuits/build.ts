// Builds every circuit in circuits/registry.ts: compile with circom2, a local powers-of-tau
// ceremony shared by all circuits, a Groth16 setup with one contribution and a beacon, a check of
// the proving key against the circuit, then the verification key and a Solidity verifier.
// A circuit whose source, toolchain and ptau power are unchanged since its manifest is skipped.
//
//   npm run build:circuits

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as snarkjs from 'snarkjs';
import { circuitFiles, DEFAULT_BUILD_DIR, MANIFEST_VERSION, type CircuitManifest } from './manifest.ts';
import { circuits, pascalName, type CircuitSpec } from './registry.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD_DIR = DEFAULT_BUILD_DIR;
const PTAU_DIR = path.join(BUILD_DIR, 'ptau');
const SOLIDITY_DIR = path.join(ROOT, 'contracts', 'generated');
const require = createRequire(import.meta.url);
const run = promisify(execFile);

// 2^10 iterations: the smallest snarkjs accepts; the beacon here marks the end of a local
// ceremony rather than standing in for a public randomness source.
const BEACON_ITERATIONS_EXP = 10;

function log(subject: string, step: string): void {
  console.log(`[circuits] ${subject}: ${step}`);
}

function entropy(): string {
  return randomBytes(32).toString('hex');
}

async function sha256File(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function packageVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8'));
  return String(pkg.version);
}

async function toolchain(): Promise<CircuitManifest['toolchain']> {
  return {
    circom2: await packageVersion('circom2'),
    circomlib: await packageVersion('circomlib'),
    snarkjs: await packageVersion('snarkjs'),
  };
}

function solidityFile(spec: CircuitSpec): string {
  return path.join(SOLIDITY_DIR, `${pascalName(spec.name)}Verifier.sol`);
}

async function readManifest(dir: string): Promise<CircuitManifest | undefined> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as CircuitManifest;
  } catch {
    return undefined;
  }
}

/** The manifest, when the built files still match it and were built from this source and toolchain. */
async function cachedManifest(
  spec: CircuitSpec,
  sourceSha256: string,
  tools: CircuitManifest['toolchain'],
): Promise<CircuitManifest | undefined> {
  const dir = path.join(BUILD_DIR, spec.name);
  const manifest = await readManifest(dir);
  if (
    !manifest ||
    manifest.manifestVersion !== MANIFEST_VERSION ||
    manifest.sourceSha256 !== sourceSha256 ||
    manifest.ptauPower !== spec.ptauPower ||
    JSON.stringify(manifest.toolchain) !== JSON.stringify(tools) ||
    JSON.stringify(manifest.publicSignals) !== JSON.stringify(spec.publicSignals)
  ) {
    return undefined;
  }
  for (const key of ['zkey', 'vkey', 'wasm'] as const) {
    const file = path.join(dir, manifest.files[key]);
    if (!existsSync(file) || (await sha256File(file)) !== manifest.sha256[key]) return undefined;
  }
  return manifest;
}

/** The shared ceremony: new accumulator, one contribution, a beacon, phase 2 preparation. */
async function ensurePtau(power: number): Promise<string> {
  const final = path.join(PTAU_DIR, `pot${power}_final.ptau`);
  if (existsSync(final)) {
    log(`ptau 2^${power}`, 'cached');
    return final;
  }
  await mkdir(PTAU_DIR, { recursive: true });
  const step = (n: number) => path.join(PTAU_DIR, `pot${power}_${n}.ptau`);
  const curve = await snarkjs.curves.getCurveFromName('bn128');

  log(`ptau 2^${power}`, 'new accumulator…');
  await snarkjs.powersOfTau.newAccumulator(curve, power, step(0));
  log(`ptau 2^${power}`, 'ceremony contribution…');
  await snarkjs.powersOfTau.contribute(step(0), step(1), 'exchange local contribution', entropy());
  log(`ptau 2^${power}`, 'beacon…');
  const beacon = await snarkjs.powersOfTau.beacon(
    step(1),
    step(2),
    'exchange local beacon',
    entropy(),
    BEACON_ITERATIONS_EXP,
  );
  if (beacon === false) throw new Error('powers of tau beacon failed');
  log(`ptau 2^${power}`, 'preparing phase 2…');
  await snarkjs.powersOfTau.preparePhase2(step(2), `${final}.tmp`);
  await rename(`${final}.tmp`, final);
  await Promise.all([0, 1, 2].map((n) => rm(step(n), { force: true })));
  return final;
}

async function compile(spec: CircuitSpec, dir: string): Promise<void> {
  log(spec.name, 'compiling…');
  // circom2 (wasm circom) resolves paths against its working directory, so run from the root.
  const cli = require.resolve('circom2/cli.js');
  await run(
    process.execPath,
    [cli, spec.source, '--r1cs', '--wasm', '--sym', '--O2', '-l', 'node_modules', '-o', path.relative(ROOT, dir)],
    { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`circom2 failed on ${spec.source}:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
}

async function exportSolidityVerifier(spec: CircuitSpec, zkey: string): Promise<string> {
  const templatePath = path.join(path.dirname(require.resolve('snarkjs')), '..', 'templates', 'verifier_groth16.sol.ejs');
  const template = await readFile(templatePath, 'utf8');
  const generated = await snarkjs.zKey.exportSolidityVerifier(zkey, { groth16: template });
  const contract = `${pascalName(spec.name)}Verifier`;
  // snarkjs names every verifier Groth16Verifier; one name per circuit lets them coexist.
  const renamed = generated.replace(/\bcontract Groth16Verifier\b/, `contract ${contract}`);
  if (renamed === generated) throw new Error('generated verifier has no `contract Groth16Verifier`');
  const header = `// Generated by circuits/build.ts from ${spec.source}; do not edit.\n`;
  const file = solidityFile(spec);
  await mkdir(SOLIDITY_DIR, { recursive: true });
  await writeFile(file, header + renamed);
  return file;
}

async function buildCircuit(
  spec: CircuitSpec,
  ptauPower: number,
  sourceSha256: string,
  tools: CircuitManifest['toolchain'],
): Promise<CircuitManifest> {
  const dir = path.join(BUILD_DIR, spec.name);
  const files = circuitFiles(spec.name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await compile(spec, dir);

  const r1cs = path.join(dir, files.r1cs);
  const info = await snarkjs.r1cs.info(r1cs);
  log(spec.name, `${info.nConstraints} constraints`);
  if (info.nPubInputs + info.nOutputs !== spec.publicSignals.length) {
    throw new Error(
      `${spec.name}: the circuit has ${info.nPubInputs + info.nOutputs} public signals, the registry names ${spec.publicSignals.length}`,
    );
  }
  const needed = Math.ceil(Math.log2(info.nConstraints + info.nPubInputs + info.nOutputs + 1));
  if (needed > spec.ptauPower) {
    throw new Error(`${spec.name}: needs ptau power ${needed}, the registry says ${spec.ptauPower}`);
  }

  const ptau = await ensurePtau(ptauPower);
  const zkey = (step: string) => path.join(dir, `${spec.name}_${step}.zkey`);
  log(spec.name, 'groth16 setup…');
  await snarkjs.zKey.newZKey(r1cs, ptau, zkey('0000'));
  log(spec.name, 'ceremony contribution…');
  await snarkjs.zKey.contribute(zkey('0000'), zkey('0001'), 'exchange local contribution', entropy());
  log(spec.name, 'beacon…');
  const beacon = await snarkjs.zKey.beacon(zkey('0001'), zkey('final'), 'exchange local beacon', entropy(), BEACON_ITERATIONS_EXP);
  if (beacon === false) throw new Error(`${spec.name}: zkey beacon failed`);
  await rm(zkey('0000'));
  await rm(zkey('0001'));

  log(spec.name, 'verifying the proving key against the circuit and the ceremony…');
  if (!(await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, zkey('final')))) {
    throw new Error(`${spec.name}: zkey verify failed`);
  }

  log(spec.name, 'exporting verification key and Solidity verifier…');
  const vkey = await snarkjs.zKey.exportVerificationKey(zkey('final'));
  await writeFile(path.join(dir, files.vkey), `${JSON.stringify(vkey, null, 2)}\n`);
  const solidity = await exportSolidityVerifier(spec, zkey('final'));

  const manifest: CircuitManifest = {
    manifestVersion: MANIFEST_VERSION,
    name: spec.name,
    source: spec.source,
    sourceSha256,
    ptauPower: spec.ptauPower,
    ptau: { power: ptauPower, sha256: await sha256File(ptau) },
    constraints: info.nConstraints,
    publicSignals: [...spec.publicSignals],
    files: {
      r1cs: files.r1cs,
      wasm: files.wasm,
      zkey: files.zkey,
      vkey: files.vkey,
      solidity: path.relative(ROOT, solidity),
    },
    sha256: {
      zkey: await sha256File(path.join(dir, files.zkey)),
      vkey: await sha256File(path.join(dir, files.vkey)),
      wasm: await sha256File(path.join(dir, files.wasm)),
    },
    toolchain: tools,
    builtAt: new Date().toISOString(),
  };
  // Written last: a build interrupted before this point is not mistaken for a cached one.
  await writeFile(path.join(dir, files.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function main(): Promise<void> {
  const started = performance.now();
  const tools = await toolchain();
  const ptauPower = Math.max(...circuits.map((c) => c.ptauPower));

  for (const spec of circuits) {
    const stepStarted = performance.now();
    const sourceSha256 = await sha256File(path.join(ROOT, spec.source));
    const cached = await cachedManifest(spec, sourceSha256, tools);
    if (cached) {
      if (!existsSync(solidityFile(spec))) {
        log(spec.name, 'cached; re-exporting the Solidity verifier…');
        await exportSolidityVerifier(spec, path.join(BUILD_DIR, spec.name, cached.files.zkey));
      } else {
        log(spec.name, 'cached');
      }
      continue;
    }
    await buildCircuit(spec, ptauPower, sourceSha256, tools);
    log(spec.name, `built in ${((performance.now() - stepStarted) / 1000).toFixed(1)}s`);
  }
  console.log(`[circuits] done in ${((performance.now() - started) / 1000).toFixed(1)}s`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  // ffjavascript keeps the bn128 curve's worker threads alive until told otherwise.
  await (globalThis as { curve_bn128?: { terminate?: () => Promise<void> } }).curve_bn128?.terminate?.();
}
