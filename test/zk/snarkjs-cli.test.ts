// The exported material verifies with nothing but the snarkjs command line: a regulator needs
// verification_key.json, public.json and proof.json, not the exchange's code.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../server/config.ts';
import { PositiveList, provePositiveList } from '../../sdk/zk/positive-list.ts';
import type { Groth16ProofWithSignals } from '../../sdk/zk/groth16.ts';
import { loadCircuit } from '../../server/privacy/zk/artifacts.ts';
import { closeZk } from '../../server/privacy/zk/verify.ts';
import { proverArtifacts } from '../factories/compliance-datasets.ts';

const run = promisify(execFile);
const BIN = path.join(PROJECT_ROOT, 'node_modules', '.bin');

let dir: string;
let vkey: string;
let honest: Groth16ProofWithSignals;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'zk-cli-'));
  vkey = (await loadCircuit('positive_list')).paths.vkey;
  const list = PositiveList.build([{ destination: 702n, category: 3101n }]);
  honest = await provePositiveList(list.input({ destination: 702n, category: 3101n }), await proverArtifacts('positive_list'));
});

afterAll(async () => {
  await closeZk();
  await rm(dir, { recursive: true, force: true });
});

/** `snarkjs groth16 verify vkey.json public.json proof.json`, with the Node 22 of node_modules/.bin first on PATH. */
async function snarkjsVerify(publicSignals: unknown, proof: unknown): Promise<string> {
  const publicFile = path.join(dir, 'public.json');
  const proofFile = path.join(dir, 'proof.json');
  await writeFile(publicFile, JSON.stringify(publicSignals));
  await writeFile(proofFile, JSON.stringify(proof));
  const env = { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}` };
  const result = await run(path.join(BIN, 'snarkjs'), ['groth16', 'verify', vkey, publicFile, proofFile], { env }).catch(
    (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
  return `${result.stdout}${result.stderr}`;
}

describe('snarkjs groth16 verify', () => {
  it('prints OK for an exported proof', async () => {
    expect(await snarkjsVerify(honest.publicSignals, honest.proof)).toMatch(/OK/);
  });

  it('does not print OK for the proof with another category', async () => {
    const output = await snarkjsVerify([honest.publicSignals[0], honest.publicSignals[1], '3102'], honest.proof);
    expect(output).toMatch(/Invalid proof/);
    expect(output).not.toMatch(/OK/);
  });
});
