// The range commitment circuit end to end: sdk prover, in-process verifier, on-chain verifier.
// Needs `npm run build` first (as `npm test` does): the circuits, then the contracts, so that
// the compiled verifier carries the current verification key. It is deployed with the server's
// own chain client and deploy code.

import { ethers } from 'ethers';
import pino from 'pino';
import * as snarkjs from 'snarkjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainClient } from '../../server/chain/client.ts';
import { loadArtifact } from '../../server/chain/contracts.ts';
import { ensureDeployed } from '../../server/chain/deploy.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { poseidonHash, SNARK_SCALAR_FIELD } from '../../sdk/poseidon.ts';
import {
  proveRangeCommitment,
  rangeCommitmentInput,
  type ProverArtifacts,
  type RangeCommitmentProof,
} from '../../sdk/zk/range-commitment.ts';
import { loadCircuit } from '../../server/privacy/zk/artifacts.ts';
import { closeZk, MalformedProofError, toSolidityCalldata, verifyGroth16 } from '../../server/privacy/zk/verify.ts';

const MAX_U64 = (1n << 64n) - 1n;
const SALT = 0x2b5e_8d31_f0c4_77a9_0e12_c3d4_5a6b_7c8dn;

let artifacts: ProverArtifacts;
let honest: RangeCommitmentProof;

/** A field element given as a decimal string, as public signals travel. */
const signal = (x: bigint) => x.toString();

beforeAll(async () => {
  const { paths } = await loadCircuit('range_commitment');
  artifacts = { wasm: paths.wasm, zkey: paths.zkey };
  honest = await proveRangeCommitment(rangeCommitmentInput({ value: 42n, salt: SALT, min: 10n, max: 100n }), artifacts);
});

afterAll(async () => {
  await closeZk();
});

describe('proveRangeCommitment', () => {
  it('makes a proof that verifies in process, with public signals commitment, min, max', async () => {
    const commitment = poseidonHash([42n, SALT]);
    expect(honest.publicSignals).toEqual([signal(commitment), '10', '100']);
    expect(await verifyGroth16('range_commitment', honest.publicSignals, honest.proof)).toBe(true);
  });

  it.each([
    { case: 'value at min', value: 10n, min: 10n, max: 100n },
    { case: 'value at max', value: 100n, min: 10n, max: 100n },
    { case: 'a single-point interval at zero', value: 0n, min: 0n, max: 0n },
    { case: 'the largest 64-bit value over the full range', value: MAX_U64, min: 0n, max: MAX_U64 },
  ])('proves $case', async ({ value, min, max }) => {
    const { proof, publicSignals } = await proveRangeCommitment(rangeCommitmentInput({ value, salt: SALT, min, max }), artifacts);
    expect(await verifyGroth16('range_commitment', publicSignals, proof)).toBe(true);
  });

  it.each([
    { case: 'below min', value: 9n },
    { case: 'above max', value: 101n },
  ])('cannot prove a value $case', async ({ value }) => {
    const input = rangeCommitmentInput({ value, salt: SALT, min: 10n, max: 100n });
    await expect(proveRangeCommitment(input, artifacts)).rejects.toThrow(/Assert Failed/);
  });

  it('cannot prove a commitment that does not open to the value', async () => {
    const input = { ...rangeCommitmentInput({ value: 42n, salt: SALT, min: 10n, max: 100n }), value: 43n };
    await expect(proveRangeCommitment(input, artifacts)).rejects.toThrow(/Assert Failed/);
  });

  it.each([
    { case: 'a value of 2^64', options: { value: 1n << 64n, salt: SALT, min: 0n, max: MAX_U64 } },
    { case: 'a negative value', options: { value: -1n, salt: SALT, min: 0n, max: MAX_U64 } },
    { case: 'a value of p - 1 (-1 in the field)', options: { value: SNARK_SCALAR_FIELD - 1n, salt: SALT, min: 0n, max: MAX_U64 } },
    { case: 'a max of 2^64', options: { value: 1n, salt: SALT, min: 0n, max: 1n << 64n } },
    { case: 'min above max', options: { value: 5n, salt: SALT, min: 6n, max: 4n } },
    { case: 'a salt outside the field', options: { value: 5n, salt: SNARK_SCALAR_FIELD, min: 0n, max: 9n } },
  ])('refuses $case on entry', ({ options }) => {
    expect(() => rangeCommitmentInput(options)).toThrow(RangeError);
  });

  it('refuses a value that is not a bigint', () => {
    expect(() => rangeCommitmentInput({ value: 5 as unknown as bigint, salt: SALT, min: 0n, max: 9n })).toThrow(TypeError);
  });
});

describe('range_commitment circuit, fed directly (the sdk checks bypassed)', () => {
  // A cheating prover runs its own witness generator: the circuit alone must refuse these.
  it.each([
    { case: 'a value of 2^64 inside a wrapped interval', value: 1n << 64n, min: 0n, max: MAX_U64 },
    { case: 'p - 1, which is -1 in the field', value: SNARK_SCALAR_FIELD - 1n, min: 0n, max: MAX_U64 },
    { case: 'p - 1 against a max beyond 64 bits', value: SNARK_SCALAR_FIELD - 1n, min: 0n, max: SNARK_SCALAR_FIELD - 1n },
    { case: 'a min of p - 1 wrapping below zero', value: 5n, min: SNARK_SCALAR_FIELD - 1n, max: 10n },
  ])('rejects $case', async ({ value, min, max }) => {
    const input = { value, salt: SALT, commitment: poseidonHash([value, SALT]), min, max };
    await expect(snarkjs.groth16.fullProve(input, artifacts.wasm, artifacts.zkey)).rejects.toThrow(/Assert Failed/);
  });
});

describe('verifyGroth16 on range_commitment', () => {
  const tampered = (index: number, value: bigint) => honest.publicSignals.map((s, i) => (i === index ? signal(value) : s));

  it('fails for another commitment', async () => {
    const other = poseidonHash([42n, SALT + 1n]);
    expect(await verifyGroth16('range_commitment', tampered(0, other), honest.proof)).toBe(false);
  });

  it('fails for another min', async () => {
    expect(await verifyGroth16('range_commitment', tampered(1, 0n), honest.proof)).toBe(false);
  });

  it('fails for another max', async () => {
    expect(await verifyGroth16('range_commitment', tampered(2, 1000n), honest.proof)).toBe(false);
  });

  it('fails for a proof point negated (still on the curve)', async () => {
    const [x, y] = honest.proof.pi_a;
    const q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
    const proof = { ...honest.proof, pi_a: [x, (q - BigInt(y)).toString(), '1'] };
    expect(await verifyGroth16('range_commitment', honest.publicSignals, proof)).toBe(false);
  });

  it.each([
    { case: 'too few public signals', signals: () => honest.publicSignals.slice(0, 2), proof: () => honest.proof },
    { case: 'a public signal at the field modulus', signals: () => tampered(1, SNARK_SCALAR_FIELD), proof: () => honest.proof },
    { case: 'a public signal that is a number', signals: () => [honest.publicSignals[0], 10, 100], proof: () => honest.proof },
    { case: 'a proof without pi_c', signals: () => honest.publicSignals, proof: () => ({ ...honest.proof, pi_c: undefined }) },
    { case: 'a proof that is a string', signals: () => honest.publicSignals, proof: () => 'proof' },
  ])('throws MalformedProofError for $case', async ({ signals, proof }) => {
    await expect(verifyGroth16('range_commitment', signals(), proof())).rejects.toThrow(MalformedProofError);
  });
});

describe('RangeCommitmentVerifier on chain', () => {
  let database: Database;
  let chain: ChainClient;
  let verifier: ethers.Contract;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: null });
    chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, pino({ level: 'silent' }));
    const artifact = loadArtifact(PROJECT_ROOT, 'contracts/generated/RangeCommitmentVerifier.sol', 'RangeCommitmentVerifier');
    const deployment = await ensureDeployed(chain, database.db, pino({ level: 'silent' }), artifact, []);
    verifier = chain.contract(deployment.address, artifact.abi);
  });

  afterAll(async () => {
    await chain?.close();
    await database?.close();
  });

  it('accepts the sdk proof', async () => {
    const { a, b, c, input } = toSolidityCalldata(honest.proof, honest.publicSignals);
    expect(await verifier.getFunction('verifyProof')(a, b, c, input)).toBe(true);
  });

  it('rejects the proof with another max', async () => {
    const { a, b, c, input } = toSolidityCalldata(honest.proof, honest.publicSignals);
    expect(await verifier.getFunction('verifyProof')(a, b, c, [input[0], input[1], 1000n])).toBe(false);
  });

  it('rejects a tampered proof', async () => {
    const { a, b, c, input } = toSolidityCalldata(honest.proof, honest.publicSignals);
    expect(await verifier.getFunction('verifyProof')(a, b, [c[0], c[1] + 1n], input)).toBe(false);
  });
});
