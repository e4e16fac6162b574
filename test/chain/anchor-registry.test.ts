// AnchorRegistry.sol on the in-process chain, deployed by the server's own deploy code.
import { randomUUID } from 'node:crypto';
import { Contract, HDNodeWallet, Interface, Wallet, ZeroHash, keccak256, parseEther, toUtf8Bytes } from 'ethers';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnchorRegistry, batchIdToBytes32 } from '../../server/chain/anchoring/anchor-registry.ts';
import { canonicalContentHash } from '../../server/chain/anchoring/content-hash.ts';
import { anchorLeafHash, buildAnchorTree } from '../../server/chain/anchoring/leaf.ts';
import { ChainClient, ChainRevertError } from '../../server/chain/client.ts';
import { loadCoreArtifact } from '../../server/chain/contracts.ts';
import { ensureDeployed } from '../../server/chain/deploy.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { openDatabase, type Database } from '../../server/db/client.ts';

const log = pino({ level: 'silent' });
const ANCHORER_ROLE = keccak256(toUtf8Bytes('ANCHORER_ROLE'));

const records = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((name, i) => ({
  kind: 'test.record',
  recordId: `record-${i}`,
  contentHash: canonicalContentHash({ name, i }),
}));

describe('AnchorRegistry', () => {
  let database: Database;
  let chain: ChainClient;
  let registry: AnchorRegistry;
  let stranger: Wallet | HDNodeWallet;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: null });
    chain = await ChainClient.open({ kind: 'embedded', projectRoot: PROJECT_ROOT }, database.db, log);
    const artifact = anchorArtifact();
    const deployment = await ensureDeployed(chain, database.db, log, artifact, [chain.operatorAddress]);
    registry = new AnchorRegistry(chain, deployment.address, artifact.abi, database.db);
    stranger = Wallet.createRandom().connect(chain.provider);
    await chain.send({ to: stranger.address, value: parseEther('1') }, 'fund stranger');
  });

  afterAll(async () => {
    await chain?.close();
    await database?.close();
  });

  it('deploys once: a second ensureDeployed reuses the recorded address', async () => {
    const again = await ensureDeployed(chain, database.db, log, anchorArtifact(), [chain.operatorAddress]);
    expect(again).toMatchObject({ address: registry.address, deployedNow: false });
  });

  it('grants the admin given to the constructor the admin and anchorer roles', async () => {
    const hasRole = registry.contract.getFunction('hasRole');
    expect(await hasRole.staticCall(ANCHORER_ROLE, chain.operatorAddress)).toBe(true);
    expect(await hasRole.staticCall(ZeroHash, chain.operatorAddress)).toBe(true);
    expect(await hasRole.staticCall(ANCHORER_ROLE, stranger.address)).toBe(false);
  });

  it('anchors a batch, emits BatchAnchored and records root, count and time', async () => {
    const batchId = randomUUID();
    const tree = buildAnchorTree(records);
    const result = await registry.anchorBatch({ batchId, root: tree.root, recordCount: records.length });
    expect(result?.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await chain.provider.getTransactionReceipt(result!.txHash);
    const events = receipt!.logs.map((l) => registry.contract.interface.parseLog(l)).filter((e) => e !== null);
    expect(events.map((e) => e.name)).toEqual(['BatchAnchored']);
    expect(events[0]!.args.toArray()).toEqual([batchIdToBytes32(batchId), tree.root, BigInt(records.length)]);

    expect(await registry.rootOf(batchId)).toBe(tree.root);
    expect(await registry.contract.getFunction('recordCountOf').staticCall(batchIdToBytes32(batchId))).toBe(BigInt(records.length));
    const block = await chain.provider.getBlock(receipt!.blockNumber);
    const [timestamp, blockNumber] = await registry.contract.getFunction('anchoredAt').staticCall(batchIdToBytes32(batchId));
    expect([timestamp, blockNumber]).toEqual([BigInt(block!.timestamp), BigInt(receipt!.blockNumber)]);
    expect(await registry.findAnchorTransaction(batchId)).toEqual({ txHash: result!.txHash, blockNumber: receipt!.blockNumber });

    // Idempotent: the same root again sends nothing; another root under the same id is refused.
    expect(await registry.anchorBatch({ batchId, root: tree.root, recordCount: records.length })).toBeNull();
    await expect(registry.anchorBatch({ batchId, root: '0x' + '11'.repeat(32), recordCount: 1 })).rejects.toThrow(/disagree/);
  });

  it('keeps the chain clock on the wall clock through a burst of anchors, one block each', async () => {
    const first = await chain.provider.getBlockNumber();
    const results = [];
    for (let i = 0; i < 30; i++) {
      const tree = buildAnchorTree(records.slice(0, 1 + (i % records.length)));
      results.push(await registry.anchorBatch({ batchId: randomUUID(), root: tree.root, recordCount: 1 + (i % records.length) }));
    }
    const wallNow = Math.floor(Date.now() / 1000);
    const blocks = await Promise.all(results.map(async (r) => (await chain.provider.getBlock((await chain.provider.getTransactionReceipt(r!.txHash))!.blockNumber))!));
    expect(new Set(blocks.map((b) => b.number)).size).toBe(30);
    expect(blocks[0]!.number).toBeGreaterThan(first);
    // 30 blocks in (much) less than 30 s: strictly increasing seconds would end up ahead of the wall clock.
    expect(blocks.at(-1)!.timestamp).toBeLessThanOrEqual(wallNow);
    for (let i = 1; i < blocks.length; i++) expect(blocks[i]!.timestamp).toBeGreaterThanOrEqual(blocks[i - 1]!.timestamp);
  });

  it('knows nothing of a batch it never anchored', async () => {
    const unknown = batchIdToBytes32(randomUUID());
    expect(await registry.contract.getFunction('rootOf').staticCall(unknown)).toBe(ZeroHash);
    expect(await registry.contract.getFunction('anchoredAt').staticCall(unknown)).toEqual([0n, 0n]);
  });

  it('reverts with AnchorAlreadyExists when a batch id is anchored a second time', async () => {
    const batchId = randomUUID();
    const root = '0x' + 'ab'.repeat(32);
    await registry.anchorBatch({ batchId, root, recordCount: 3 });
    const err = await anchorCall(registry.contract, batchIdToBytes32(batchId), '0x' + 'cd'.repeat(32), 3);
    expect(revertOf(err)).toEqual({ name: 'AnchorAlreadyExists', args: [batchIdToBytes32(batchId)] });
  });

  it('reverts with EmptyBatch for a batch of no records', async () => {
    const batchId = batchIdToBytes32(randomUUID());
    const err = await anchorCall(registry.contract, batchId, '0x' + 'ab'.repeat(32), 0);
    expect(revertOf(err)).toEqual({ name: 'EmptyBatch', args: [batchId] });
    // Through the exchange's signer it is refused before anything is signed.
    const data = registry.contract.interface.encodeFunctionData('anchor', [batchId, '0x' + 'ab'.repeat(32), 0]);
    const refused = await chain.send({ to: registry.address, data }, 'test', anchorArtifact().abi).catch((e) => e);
    expect(refused).toBeInstanceOf(ChainRevertError);
    expect(refused).toMatchObject({ errorName: 'EmptyBatch', errorArgs: [batchId] });
  });

  it('reverts with ZeroRoot for the zero root', async () => {
    const batchId = batchIdToBytes32(randomUUID());
    const err = await anchorCall(registry.contract, batchId, ZeroHash, 1);
    expect(revertOf(err)).toEqual({ name: 'ZeroRoot', args: [batchId] });
  });

  it('lets only an anchorer anchor', async () => {
    const asStranger = registry.contract.connect(stranger) as Contract;
    const err = await anchorCall(asStranger, batchIdToBytes32(randomUUID()), '0x' + 'ab'.repeat(32), 1);
    expect(revertOf(err)).toEqual({ name: 'AccessControlUnauthorizedAccount', args: [stranger.address, ANCHORER_ROLE] });
    // A real transaction from the stranger is mined as reverted and leaves no anchor.
    const batchId = randomUUID();
    const tx = await asStranger.getFunction('anchor')(batchIdToBytes32(batchId), '0x' + 'ab'.repeat(32), 1, { gasLimit: 200_000 });
    const receipt = await chain.provider.waitForTransaction(tx.hash);
    expect(receipt?.status).toBe(0);
    expect(await registry.rootOf(batchId)).toBeNull();
  });

  it('verifies a real proof, and refuses a wrong leaf, a wrong batch and an unknown batch', async () => {
    const batchId = randomUUID();
    const otherBatchId = randomUUID();
    const tree = buildAnchorTree(records);
    const other = buildAnchorTree(records.slice(0, 3));
    await registry.anchorBatch({ batchId, root: tree.root, recordCount: records.length });
    await registry.anchorBatch({ batchId: otherBatchId, root: other.root, recordCount: 3 });
    const verify = registry.contract.getFunction('verify');
    for (const [i, r] of records.entries()) {
      const leaf = anchorLeafHash(r.kind, r.recordId, r.contentHash);
      expect(tree.leafHash(tree.at(i)!)).toBe(leaf);
      expect(await verify.staticCall(batchIdToBytes32(batchId), leaf, tree.getProof(i))).toBe(true);
    }
    const proof = tree.getProof(1);
    const r = records[1]!;
    const wrongLeaf = anchorLeafHash(r.kind, r.recordId, canonicalContentHash({ name: 'altered' }));
    expect(await verify.staticCall(batchIdToBytes32(batchId), wrongLeaf, proof)).toBe(false);
    expect(await verify.staticCall(batchIdToBytes32(otherBatchId), anchorLeafHash(r.kind, r.recordId, r.contentHash), proof)).toBe(false);
    expect(await verify.staticCall(batchIdToBytes32(randomUUID()), anchorLeafHash(r.kind, r.recordId, r.contentHash), proof)).toBe(false);
  });
});

/** The revert of an `anchor` call, as the error a client would catch (nothing is sent). */
function anchorCall(contract: Contract, batchId: string, root: string, count: number): Promise<{ data?: string }> {
  return contract
    .getFunction('anchor')
    .staticCall(batchId, root, count)
    .then(
      () => ({}),
      (e: { data?: string }) => e,
    );
}

/** The custom error a reverted call carries, decoded with the registry's ABI. */
function revertOf(err: { data?: string }): { name: string; args: unknown[] } | null {
  const parsed = err.data ? new Interface(anchorArtifact().abi).parseError(err.data) : null;
  return parsed ? { name: parsed.name, args: parsed.args.toArray() } : null;
}

function anchorArtifact() {
  return loadCoreArtifact(PROJECT_ROOT, 'AnchorRegistry');
}
