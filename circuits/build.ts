// Builds every circuit in circuits/registry.ts: compile with circom2, a local powers-of-tau
// ceremony shared by all circuits, a Groth16 setup with one contribution and a beacon, a check of
// the proving key against the circuit, then the verification key and a Solidity verifier.
// A circuit whose source (with its local includes), toolchain and ptau power are unchanged since
// its manifest is skipped.
//
//   npm run build:circuits
//   npm run build:circuits -- --only rule_chunk,positive_list
//   npm run build:circuits -- --contribute "Shanghai Data Exchange audit team"
//
// --contribute adds one more phase-2 contribution (fresh entropy) to every circuit's proving key,
// closes it with a beacon, verifies the key against the circuit and the ptau again, re-exports
// the verification key and the Solidity verifier, and appends both steps to the manifest.

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import * as snarkjs from 'snarkjs';
import { circuitFiles, DEFAULT_BUILD_DIR, MANIFEST_VERSION, type CeremonyStep, type CircuitManifest } from './manifest.ts';
import { circuits, pascalName, type CircuitSpec } from './registry.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BUILD_DIR = DEFAULT_BUILD_DIR;
// The powers of tau are universal (not tied to a circuit) and the slow part of a cold build, so
// they are kept per machine, outside the checkout: a fresh clone on the same machine reuses them.
const PTAU_DIR = process.env.PTAU_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'privacy-data-exchange', 'ptau');
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

function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)}s`;
}

const INCLUDE = /^\s*include\s+"([^"]+)"\s*;/gm;

/**
 * The source and every file it includes from this repository, depth first, each once. circomlib
 * includes resolve under node_modules and are pinned by the toolchain's version instead.
 */
async function sourceFiles(file: string, seen = new Set<string>()): Promise<string[]> {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = await readFile(file, 'utf8');
  const files = [file];
  for (const [, include] of text.matchAll(INCLUDE)) {
    const local = path.resolve(path.dirname(file), include!);
    if (existsSync(local)) files.push(...(await sourceFiles(local, seen)));
  }
  return files;
}

async function hashSources(spec: CircuitSpec): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await sourceFiles(path.join(ROOT, spec.source))) {
    hash.update(path.relative(ROOT, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
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

/**
 * The shared ceremony: new accumulator, one contribution, a beacon, phase 2 preparation. Each
 * step is written under a temporary name and renamed when complete, so an interrupted ceremony
 * resumes after its last finished step (at 2^17 on two busy cores the whole takes the better
 * part of an hour; the preparation is most of it).
 */
async function ensurePtau(power: number): Promise<string> {
  const final = path.join(PTAU_DIR, `pot${power}_final.ptau`);
  if (existsSync(final)) {
    log(`ptau 2^${power}`, 'cached');
    return final;
  }
  await mkdir(PTAU_DIR, { recursive: true });
  const step = (n: number) => path.join(PTAU_DIR, `pot${power}_${n}.ptau`);
  const started = performance.now();
  const complete = async (file: string, write: (tmp: string) => Promise<unknown>) => {
    if (existsSync(file)) return;
    await write(`${file}.tmp`);
    await rename(`${file}.tmp`, file);
  };

  if (!existsSync(step(2))) {
    if (!existsSync(step(1))) {
      log(`ptau 2^${power}`, 'new accumulator…');
      const curve = await snarkjs.curves.getCurveFromName('bn128');
      await complete(step(0), (tmp) => snarkjs.powersOfTau.newAccumulator(curve, power, tmp));
      log(`ptau 2^${power}`, 'ceremony contribution…');
      await complete(step(1), (tmp) => snarkjs.powersOfTau.contribute(step(0), tmp, 'exchange local contribution', entropy()));
    }
    log(`ptau 2^${power}`, 'beacon…');
    await complete(step(2), async (tmp) => {
      const beacon = await snarkjs.powersOfTau.beacon(step(1), tmp, 'exchange local beacon', entropy(), BEACON_ITERATIONS_EXP);
      if (beacon === false) throw new Error('powers of tau beacon failed');
    });
  } else {
    log(`ptau 2^${power}`, 'resuming after the beacon');
  }
  log(`ptau 2^${power}`, 'preparing phase 2…');
  await complete(final, (tmp) => snarkjs.powersOfTau.preparePhase2(step(2), tmp));
  await Promise.all([0, 1, 2].map((n) => rm(step(n), { force: true })));
  log(`ptau 2^${power}`, `ceremony done in ${seconds(started)}`);
  return final;
}

async function compile(spec: CircuitSpec, dir: string): Promise<void> {
  const started = performance.now();
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
  log(spec.name, `compiled in ${seconds(started)}`);
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

async function contribute(spec: CircuitSpec, from: string, to: string, name: string): Promise<CeremonyStep> {
  log(spec.name, `phase-2 contribution "${name}"…`);
  const hash = await snarkjs.zKey.contribute(from, to, name, entropy());
  return { kind: 'contribution', name, hash: hex(hash), at: new Date().toISOString() };
}

async function closeWithBeacon(spec: CircuitSpec, from: string, to: string, name: string): Promise<CeremonyStep> {
  log(spec.name, 'beacon…');
  const hash = await snarkjs.zKey.beacon(from, to, name, entropy(), BEACON_ITERATIONS_EXP);
  if (hash === false) throw new Error(`${spec.name}: zkey beacon failed`);
  return { kind: 'beacon', name, hash: hex(hash), at: new Date().toISOString() };
}

async function verifyProvingKey(spec: CircuitSpec, r1cs: string, ptau: string, zkey: string): Promise<void> {
  const started = performance.now();
  log(spec.name, 'verifying the proving key against the circuit and the ceremony…');
  if (!(await snarkjs.zKey.verifyFromR1cs(r1cs, ptau, zkey))) {
    throw new Error(`${spec.name}: zkey verify failed`);
  }
  log(spec.name, `zkey verify done in ${seconds(started)}`);
}

/** Writes verification_key.json and the Solidity verifier from the final proving key. */
async function exportKeys(spec: CircuitSpec, dir: string, zkey: string): Promise<string> {
  log(spec.name, 'exporting verification key and Solidity verifier…');
  const vkey = await snarkjs.zKey.exportVerificationKey(zkey);
  await writeFile(path.join(dir, circuitFiles(spec.name).vkey), `${JSON.stringify(vkey, null, 2)}\n`);
  return exportSolidityVerifier(spec, zkey);
}

/**
 * One more phase-2 contribution on top of the final key, a beacon after it, a full check of the
 * key against the circuit and the ptau it was set up from, and new verification keys.
 */
async function addContribution(spec: CircuitSpec, manifest: CircuitManifest, name: string): Promise<CircuitManifest> {
  const dir = path.join(BUILD_DIR, spec.name);
  const files = circuitFiles(spec.name);
  const ptau = path.join(PTAU_DIR, `pot${manifest.ptau.power}_final.ptau`);
  if (!existsSync(ptau) || (await sha256File(ptau)) !== manifest.ptau.sha256) {
    throw new Error(`${spec.name}: the ptau its key was set up from (${path.relative(ROOT, ptau)}) is gone or changed; rebuild it`);
  }
  const final = path.join(dir, files.zkey);
  const contributed = path.join(dir, `${spec.name}_contributed.zkey`);
  const closed = path.join(dir, `${spec.name}_closed.zkey`);
  const started = performance.now();
  const steps = [
    await contribute(spec, final, contributed, name),
    await closeWithBeacon(spec, contributed, closed, `exchange beacon after "${name}"`),
  ];
  await rm(contributed);
  await verifyProvingKey(spec, path.join(dir, files.r1cs), ptau, closed);
  await rename(closed, final);
  await exportKeys(spec, dir, final);
  const updated: CircuitManifest = {
    ...manifest,
    sha256: { ...manifest.sha256, zkey: await sha256File(final), vkey: await sha256File(path.join(dir, files.vkey)) },
    ceremony: [...manifest.ceremony, ...steps],
    builtAt: new Date().toISOString(),
  };
  await writeFile(path.join(dir, files.manifest), `${JSON.stringify(updated, null, 2)}\n`);
  log(spec.name, `contribution "${name}" added in ${seconds(started)}`);
  return updated;
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
  let started = performance.now();
  log(spec.name, 'groth16 setup…');
  await snarkjs.zKey.newZKey(r1cs, ptau, zkey('0000'));
  log(spec.name, `groth16 setup done in ${seconds(started)}`);
  const ceremony: CeremonyStep[] = [];
  started = performance.now();
  ceremony.push(await contribute(spec, zkey('0000'), zkey('0001'), 'exchange local contribution'));
  ceremony.push(await closeWithBeacon(spec, zkey('0001'), zkey('final'), 'exchange local beacon'));
  log(spec.name, `contribution and beacon done in ${seconds(started)}`);
  await rm(zkey('0000'));
  await rm(zkey('0001'));

  await verifyProvingKey(spec, r1cs, ptau, zkey('final'));
  const solidity = await exportKeys(spec, dir, zkey('final'));

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
    ceremony,
    toolchain: tools,
    builtAt: new Date().toISOString(),
  };
  // Written last: a build interrupted before this point is not mistaken for a cached one.
  await writeFile(path.join(dir, files.manifest), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function options(): { only: Set<string> | null; contributor: string | null } {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, contribute: { type: 'string' } },
    allowPositionals: false,
  });
  const only = values.only ? new Set(values.only.split(',').map((n) => n.trim())) : null;
  for (const name of only ?? []) {
    if (!circuits.some((c) => c.name === name)) throw new Error(`--only names an unknown circuit "${name}"`);
  }
  const contributor = values.contribute?.trim() ?? null;
  if (contributor === '') throw new Error('--contribute needs the contributor\'s name');
  return { only, contributor };
}

async function main(): Promise<void> {
  const started = performance.now();
  const { only, contributor } = options();
  const tools = await toolchain();
  // One ceremony for all: as large as the largest circuit needs, and no larger.
  const ptauPower = Math.max(...circuits.map((c) => c.ptauPower));

  for (const spec of circuits) {
    if (only && !only.has(spec.name)) continue;
    const stepStarted = performance.now();
    const sourceHash = await hashSources(spec);
    let manifest = await cachedManifest(spec, sourceHash, tools);
    if (manifest) {
      if (!existsSync(solidityFile(spec))) {
        log(spec.name, 'cached; re-exporting the Solidity verifier…');
        await exportSolidityVerifier(spec, path.join(BUILD_DIR, spec.name, manifest.files.zkey));
      } else {
        log(spec.name, 'cached');
      }
    } else {
      manifest = await buildCircuit(spec, ptauPower, sourceHash, tools);
      log(spec.name, `built in ${seconds(stepStarted)}`);
    }
    if (contributor) await addContribution(spec, manifest, contributor);
  }
  console.log(`[circuits] done in ${seconds(started)}`);
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
