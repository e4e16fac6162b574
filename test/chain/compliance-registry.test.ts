// ComplianceRegistry.sol with the generated verifiers on the in-process chain, deployed by the
// server's own code. Needs `npm run build` (circuits, then contracts).
import { Contract, Interface, Wallet, parseEther } from 'ethers';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circuits } from '../../circuits/registry.ts';
import { ChainClient, ChainRevertError } from '../../server/chain/client.ts';
import {
  circuitId,
  complianceProofHash,
  datasetIdToBytes32,
  ensureComplianceRegistry,
  solidityProof,
  type ComplianceRegistry,
  type RecordComplianceProofPayload,
} from '../../server/chain/compliance-registry.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';
import { commitDataset } from '../../sdk/zk/dataset-commitment.ts';
import type { Groth16ProofWithSignals } from '../../sdk/zk/groth16.ts';
import { minGroupSizeInputs, proveMinGroupSize } from '../../sdk/zk/min-group-size.ts';
import { PositiveList, provePositiveList } from '../../sdk/zk/positive-list.ts';
import { loadCircuit } from '../../server/privacy/zk/artifacts.ts';
import { closeZk, toSolidityCalldata } from '../../server/privacy/zk/verify.ts';
import { proverArtifacts, tradeRows, tradeSchema } from '../factories/compliance-datasets.ts';

const log = pino({ level: 'silent' });
const DATASET = '0b6f3a52-7c1e-4d2a-9f00-00000000c0de';

/** The words recordProof takes for a snarkjs proof. */
const words = (p: Groth16ProofWithSignals) => solidityProof(toSolidityCalldata(p.proof, p.publicSignals));
const signals = (p: Groth16ProofWithSignals) => p.publicSignals.map(BigInt);

async function builtCircuits() {
  return Promise.all(
    circuits.map(async ({ name }) => {
      const { manifest, vkeySha256 } = await loadCircuit(name);
      return { name, vkeySha256, publicSignalCount: manifest.publicSignals.length };
    }),
  );
}

describe('ComplianceRegistry', () => {
  let database: Database;
  let chain: ChainClient;
  let registry: ComplianceRegistry;
  let listed: Groth16ProofWithSignals;
  let groupLink: Groth16ProofWithSignals;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: null });
    chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, log);
    registry = await ensureComplianceRegistry({ client: chain, db: database.db, log, projectRoot: PROJECT_ROOT, circuits: await builtCircuits() });

    const list = PositiveList.build([{ destination: 702n, category: 3101n }, { destination: 344n, category: 3101n }]);
    listed = await provePositiveList(list.input({ destination: 702n, category: 3101n }), await proverArtifacts('positive_list'));
    // One chunk: a single link that is also the last, checking k.
    const small = commitDataset(tradeSchema, tradeRows(40));
    const [link] = minGroupSizeInputs({ dataset: small, groupColumn: 2, k: 10, salt: 12345n });
    groupLink = await proveMinGroupSize(link!, await proverArtifacts('min_group_size'));
  });

  afterAll(async () => {
    await closeZk();
    await chain?.close();
    await database?.close();
  });

  /** The chain client's revert for recordProof with these arguments. */
  async function recordReverts(args: unknown[]): Promise<ChainRevertError> {
    const data = registry.contract.interface.encodeFunctionData('recordProof', args);
    const err = await chain.send({ to: registry.address, data }, 'test', registry.abi).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChainRevertError);
    return err as ChainRevertError;
  }

  it("registers every circuit's verifier with its verification key hash and public signal count", async () => {
    for (const built of await builtCircuits()) {
      const registered = await registry.circuitOf(built.name);
      expect(registered.verificationKeyHash).toBe('0x' + built.vkeySha256);
      expect(registered.publicSignalCount).toBe(built.publicSignalCount);
      expect(await chain.provider.getCode(registered.verifier)).not.toBe('0x');
    }
  });

  it('deploys and registers once: a second ensureComplianceRegistry sends nothing', async () => {
    const before = await chain.blockNumber();
    const again = await ensureComplianceRegistry({ client: chain, db: database.db, log, projectRoot: PROJECT_ROOT, circuits: await builtCircuits() });
    expect(again.address).toBe(registry.address);
    expect(await chain.blockNumber()).toBe(before);
  });

  it('records a valid proof, emits ComplianceProofRecorded and stores the record', async () => {
    const result = await registry.recordProof({ circuit: 'positive_list', datasetId: DATASET, version: 1, publicSignals: signals(listed), proof: words(listed) });
    expect(result.proofHash).toBe(complianceProofHash('positive_list', DATASET, 1, signals(listed)));

    const receipt = await chain.provider.getTransactionReceipt(result.txHash);
    const events = receipt!.logs.map((l) => registry.contract.interface.parseLog(l)).filter((e) => e?.name === 'ComplianceProofRecorded');
    expect(events).toHaveLength(1);
    expect(events[0]!.args.toArray().map((a) => (typeof a?.toArray === 'function' ? a.toArray() : a))).toEqual([
      result.proofHash,
      circuitId('positive_list'),
      datasetIdToBytes32(DATASET),
      1n,
      signals(listed),
    ]);
    expect(await registry.isRecorded(result.proofHash)).toBe(true);
    expect(await registry.recordOf(result.proofHash)).toMatchObject({
      circuitId: circuitId('positive_list'),
      datasetId: datasetIdToBytes32(DATASET),
      version: 1n,
      recorder: chain.operatorAddress,
      verificationKeyHash: (await registry.circuitOf('positive_list')).verificationKeyHash,
    });
  });

  it('reverts ProofAlreadyRecorded on a replay of the same statement', async () => {
    const err = await recordReverts([circuitId('positive_list'), datasetIdToBytes32(DATASET), 1, signals(listed), words(listed)]);
    expect(err.errorName).toBe('ProofAlreadyRecorded');
    expect(err.errorArgs).toEqual([complianceProofHash('positive_list', DATASET, 1, signals(listed))]);
  });

  it('records the same statement for another version of the dataset', async () => {
    const result = await registry.recordProof({ circuit: 'positive_list', datasetId: DATASET, version: 2, publicSignals: signals(listed), proof: words(listed) });
    expect(await registry.isRecorded(result.proofHash)).toBe(true);
  });

  it('reverts InvalidProof on a tampered proof, and on altered public signals', async () => {
    const tampered = words(listed);
    tampered[7] = tampered[7]! + 1n;
    const err = await recordReverts([circuitId('positive_list'), datasetIdToBytes32(DATASET), 3, signals(listed), tampered]);
    expect({ name: err.errorName, args: err.errorArgs }).toEqual({ name: 'InvalidProof', args: [circuitId('positive_list')] });

    const otherCategory = [signals(listed)[0]!, signals(listed)[1]!, 3102n];
    const altered = await recordReverts([circuitId('positive_list'), datasetIdToBytes32(DATASET), 3, otherCategory, words(listed)]);
    expect(altered.errorName).toBe('InvalidProof');
  });

  it("reverts InvalidProof for a proof checked by another circuit's verifier", async () => {
    const err = await recordReverts([circuitId('range_commitment'), datasetIdToBytes32(DATASET), 3, signals(listed), words(listed)]);
    expect(err).toMatchObject({ errorName: 'InvalidProof', errorArgs: [circuitId('range_commitment')] });
  });

  it('records a min_group_size link through the same call: seven public signals', async () => {
    const result = await registry.recordProof({ circuit: 'min_group_size', datasetId: DATASET, version: 1, publicSignals: signals(groupLink), proof: words(groupLink) });
    expect(await registry.isRecorded(result.proofHash)).toBe(true);
  });

  it('reverts UnknownCircuit and PublicSignalCountMismatch', async () => {
    const unknown = circuitId('no_such_circuit');
    const err = await recordReverts([unknown, datasetIdToBytes32(DATASET), 1, signals(listed), words(listed)]);
    expect(err).toMatchObject({ errorName: 'UnknownCircuit', errorArgs: [unknown] });
    const short = await recordReverts([circuitId('min_group_size'), datasetIdToBytes32(DATASET), 1, signals(listed), words(listed)]);
    expect(short).toMatchObject({ errorName: 'PublicSignalCountMismatch', errorArgs: [circuitId('min_group_size'), 7n, 3n] });
  });

  it('lets only a recorder record and only an admin register a verifier', async () => {
    const stranger = Wallet.createRandom().connect(chain.provider);
    await chain.send({ to: stranger.address, value: parseEther('1') }, 'fund stranger');
    const asStranger = registry.contract.connect(stranger) as Contract;
    const record = await asStranger
      .getFunction('recordProof')(circuitId('positive_list'), datasetIdToBytes32(DATASET), 9, signals(listed), words(listed))
      .catch((e: { data?: string }) => e);
    expect(revertOf(record, registry)).toEqual({
      name: 'AccessControlUnauthorizedAccount',
      args: [stranger.address, await registry.contract.getFunction('RECORDER_ROLE').staticCall()],
    });
    const register = await asStranger
      .getFunction('registerVerifier')(circuitId('x'), registry.address, '0x' + '00'.repeat(32), 1)
      .catch((e: { data?: string }) => e);
    expect(revertOf(register, registry)?.name).toBe('AccessControlUnauthorizedAccount');
  });

  it('refuses to register an address without code, or zero public signals', async () => {
    const data = (verifier: string, count: number) =>
      registry.contract.interface.encodeFunctionData('registerVerifier', [circuitId('x'), verifier, '0x' + '00'.repeat(32), count]);
    const noCode = Wallet.createRandom().address;
    const err = await chain.send({ to: registry.address, data: data(noCode, 3) }, 'test', registry.abi).catch((e: unknown) => e);
    expect(err).toMatchObject({ errorName: 'VerifierWithoutCode', errorArgs: [noCode] });
    const zero = await chain.send({ to: registry.address, data: data(registry.address, 0) }, 'test', registry.abi).catch((e: unknown) => e);
    expect(zero).toMatchObject({ errorName: 'InvalidPublicSignalCount', errorArgs: [0n] });
  });

  it('records through the outbox handler once, however often it is delivered', async () => {
    const payload: RecordComplianceProofPayload = {
      circuit: 'positive_list',
      datasetId: DATASET,
      version: 7,
      publicSignals: listed.publicSignals,
      proof: words(listed).map(String),
    };
    const handler = registry.outboxHandlers()['compliance.record']!;
    const delivered = await handler(JSON.parse(JSON.stringify(payload)));
    expect(delivered?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(await handler(payload)).toBeNull();
  });
});

/** The custom error a reverted call carries, decoded with the registry's ABI. */
function revertOf(err: { data?: string }, registry: ComplianceRegistry): { name: string; args: unknown[] } | null {
  const parsed = err.data ? new Interface(registry.abi).parseError(err.data) : null;
  return parsed ? { name: parsed.name, args: parsed.args.toArray() } : null;
}
