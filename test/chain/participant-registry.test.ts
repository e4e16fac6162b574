// ParticipantRegistry.sol on the in-process chain, deployed by the server's own deploy code.
import { Contract, HDNodeWallet, Interface, Wallet, parseEther, type ContractTransactionResponse } from 'ethers';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainClient, ChainRevertError } from '../../server/chain/client.ts';
import { loadCoreArtifact } from '../../server/chain/contracts.ts';
import { ensureDeployed } from '../../server/chain/deploy.ts';
import { chainRoleId, participantIdToBytes32, ParticipantRegistry } from '../../server/chain/registry.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';

const log = pino({ level: 'silent' });
const ID_A = '6f1c2a9e-1111-4a2b-8c3d-000000000001';
const ID_B = '6f1c2a9e-1111-4a2b-8c3d-000000000002';

describe('ParticipantRegistry', () => {
  let database: Database;
  let chain: ChainClient;
  let registry: ParticipantRegistry;
  let stranger: Wallet | HDNodeWallet;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: null });
    chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, log);
    const artifact = loadCoreArtifact(PROJECT_ROOT, 'ParticipantRegistry');
    const deployment = await ensureDeployed(chain, database.db, log, artifact, [chain.operatorAddress]);
    registry = new ParticipantRegistry(chain, deployment.address, artifact.abi);
    stranger = Wallet.createRandom().connect(chain.provider);
    await chain.send({ to: stranger.address, value: parseEther('1') }, 'fund stranger');
  });

  afterAll(async () => {
    await chain?.close();
    await database?.close();
  });

  it('deploys once: a second ensureDeployed reuses the recorded address', async () => {
    const artifact = loadCoreArtifact(PROJECT_ROOT, 'ParticipantRegistry');
    const again = await ensureDeployed(chain, database.db, log, artifact, [chain.operatorAddress]);
    expect(again).toMatchObject({ address: registry.address, deployedNow: false });
  });

  it('grants the deployer the admin and operator roles', async () => {
    expect(await registry.hasRole('operator', chain.operatorAddress)).toBe(true);
  });

  it('registers a participant with its roles and emits ParticipantRegistered', async () => {
    const account = Wallet.createRandom().address;
    const profileHash = '0x' + 'ab'.repeat(32);
    const result = await registry.register({ participantId: ID_A, account, profileHash, roles: ['provider', 'buyer'] });
    expect(result?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await chain.provider.getTransactionReceipt(result!.txHash);
    const events = receipt!.logs.map((l) => registry.contract.interface.parseLog(l)).filter((e) => e?.name === 'ParticipantRegistered');
    expect(events).toHaveLength(1);
    expect(events[0]!.args.toArray()).toEqual([account, participantIdToBytes32(ID_A), profileHash]);
    expect(await registry.hasRole('provider', account)).toBe(true);
    expect(await registry.hasRole('buyer', account)).toBe(true);
    expect(await registry.hasRole('regulator', account)).toBe(false);
    expect(await registry.isRegistered(ID_A)).toBe(true);
    const record = await registry.participantOf(account);
    expect(record).toMatchObject({ participantId: participantIdToBytes32(ID_A), profileHash, active: true });
    // Idempotent: registering again sends nothing.
    expect(await registry.register({ participantId: ID_A, account, profileHash, roles: ['provider'] })).toBeNull();
  });

  it('reverts with ParticipantIdTaken when the id is bound to another address', async () => {
    const data = registry.contract.interface.encodeFunctionData('registerParticipant', [
      Wallet.createRandom().address,
      participantIdToBytes32(ID_A),
      '0x' + '00'.repeat(32),
      [chainRoleId('buyer')],
    ]);
    const err = await chain.send({ to: registry.address, data }, 'test', registryAbi()).catch((e) => e);
    expect(err).toBeInstanceOf(ChainRevertError);
    expect(err.errorName).toBe('ParticipantIdTaken');
    expect(err.errorArgs).toEqual([participantIdToBytes32(ID_A)]);
  });

  it('reverts with UnknownRole for a role outside the five', async () => {
    const bogusRole = '0x' + '42'.repeat(32);
    const data = registry.contract.interface.encodeFunctionData('registerParticipant', [
      Wallet.createRandom().address,
      participantIdToBytes32(ID_B),
      '0x' + '00'.repeat(32),
      [bogusRole],
    ]);
    const err = await chain.send({ to: registry.address, data }, 'test', registryAbi()).catch((e) => e);
    expect(err).toMatchObject({ errorName: 'UnknownRole', errorArgs: [bogusRole] });
  });

  it('lets only an operator register, and only an operator or regulator suspend', async () => {
    const asStranger = registry.contract.connect(stranger) as Contract;
    const register = asStranger.getFunction('registerParticipant');
    const err = await register(Wallet.createRandom().address, participantIdToBytes32(ID_B), '0x' + '00'.repeat(32), []).catch((e: any) => e);
    expect(revertOf(err)).toEqual({ name: 'AccessControlUnauthorizedAccount', args: [stranger.address, chainRoleId('operator')] });
    const suspend = await asStranger.getFunction('suspendParticipant')(stranger.address).catch((e: any) => e);
    expect(revertOf(suspend)).toEqual({ name: 'AccessControlUnauthorizedAccount', args: [stranger.address, chainRoleId('operator')] });
  });

  it('suspends and reinstates, emitting each event; unknown accounts revert', async () => {
    const account = Wallet.createRandom().address;
    await registry.register({ participantId: ID_B, account, profileHash: '0x' + 'cd'.repeat(32), roles: ['buyer'] });
    const contract = registry.contract;
    const tx: ContractTransactionResponse = await contract.getFunction('suspendParticipant')(account);
    const receipt = await tx.wait();
    expect(receipt!.logs.map((l) => contract.interface.parseLog(l)?.name)).toEqual(['ParticipantSuspended']);
    expect(await registry.isActive(account)).toBe(false);
    await (await contract.getFunction('reinstateParticipant')(account)).wait();
    expect(await registry.isActive(account)).toBe(true);
    const unknown = Wallet.createRandom().address;
    const err = await contract.getFunction('suspendParticipant')(unknown).catch((e: any) => e);
    expect(revertOf(err)).toEqual({ name: 'UnknownParticipant', args: [unknown] });
  });
});

/** The custom error a reverted call carries, decoded with the registry's ABI. */
function revertOf(err: { data?: string }): { name: string; args: unknown[] } | null {
  const parsed = err.data ? new Interface(registryAbi()).parseError(err.data) : null;
  return parsed ? { name: parsed.name, args: parsed.args.toArray() } : null;
}

function registryAbi() {
  return loadCoreArtifact(PROJECT_ROOT, 'ParticipantRegistry').abi;
}
