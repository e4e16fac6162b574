// Chain faults on an external node (CHAIN_RPC_URL): while the node is unreachable the exchange
// keeps trading and its outbox grows, then drains once the node is back; an anchoring
// transaction that reverts, or that the node drops, is sent again until the batch is anchored —
// once.
import { Contract, Wallet, parseUnits } from 'ethers';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outboxBacklog } from '../../server/chain/outbox.ts';
import { ANCHOR_BATCH_KIND, sealPendingRecords } from '../../server/chain/anchoring/seal-pending-records.ts';
import { loadCoreArtifact } from '../../server/chain/contracts.ts';
import { PROJECT_ROOT } from '../../server/config.ts';
import { rowsOf } from '../../server/db/client.ts';
import { anchorBatches, chainJournal, chainOutbox } from '../../server/db/schema.ts';
import { deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { verifiedParticipant } from '../factories/participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';
import { OPERATOR_KEY, SECOND_ADMIN_KEY, startExternalNode, type ExternalNode } from './support/external-chain.ts';

describe.each(await databaseTargets())('chain faults on an external node, %s', (database) => {
  let node: ExternalNode;
  let ex: TestExchange;
  let planId: string;
  let buyer: string;

  const services = () => ex.built.services;
  const backlog = () => outboxBacklog(services().db);

  /** Runs the anchoring worker until the outbox is empty (rows that failed wait out their backoff). */
  async function drainUntilEmpty(): Promise<void> {
    for (let i = 0; i < 120; i++) {
      await services().anchoring.runOnce();
      if ((await backlog()).pending === 0) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`the outbox did not drain: ${JSON.stringify(await backlog())}`);
  }

  /** Every sealed batch holds its root on chain, with the transaction the database names. */
  async function expectEveryBatchAnchoredOnce(): Promise<void> {
    const batches = await services().db.select().from(anchorBatches);
    const registry = services().contracts.anchorRegistry;
    for (const batch of batches) {
      expect(batch.status).toBe('anchored');
      expect(await registry.rootOf(batch.id)).toBe(batch.root);
      expect(await registry.findAnchorTransaction(batch.id)).toEqual({ txHash: batch.txHash, blockNumber: Number(batch.blockNumber) });
    }
    const events = await registry.contract.queryFilter(registry.contract.getEvent('BatchAnchored')());
    expect(events).toHaveLength(batches.length);
  }

  /** The anchoring transaction the exchange is about to have mined: journalled and in the node's pool. */
  async function anchorTransactionInPool(batchId: string): Promise<string> {
    for (let i = 0; i < 200; i++) {
      const [row] = await services()
        .db.select()
        .from(chainJournal)
        .where(and(eq(chainJournal.purpose, `${ANCHOR_BATCH_KIND} ${batchId}`), eq(chainJournal.status, 'sent')));
      if (row && (await node.direct.getTransaction(row.txHash))) return row.txHash;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no anchoring transaction for batch ${batchId} reached the node`);
  }

  /** A trade, hence one trade-filing record to anchor; sealed into a batch of its own. */
  async function sealedBatchOfOneTrade(): Promise<string> {
    expect((await placeOrder(ex, buyer, planId)).status).toBe('ACCEPTED');
    const batch = await sealPendingRecords(services().db);
    expect(batch!.recordCount).toBe(1);
    return batch!.id;
  }

  beforeAll(async () => {
    node = await startExternalNode();
    ex = await startTestExchange({ database, env: { CHAIN_RPC_URL: node.url, CHAIN_SIGNER_KEY: OPERATOR_KEY, CHAIN_CONFIRMATIONS: '1' } });
    expect(services().chain.embedded).toBe(false);
    buyer = ex.keyOf('buyer');
    const { datasetId } = await listedDatasetWithRights(ex);
    planId = await pricePlan(ex, datasetId, { priceFen: '800', autoAccept: true });
    await deposit(ex, buyer, 100_000n);
    // Whatever the start-up and the set-up put in the outbox reaches the chain first.
    await drainUntilEmpty();
  });
  afterEach(async () => {
    // A failed test leaves no fault behind for the next one.
    await node.link.open();
    await node.direct.send('evm_setAutomine', [true]);
  });
  afterAll(async () => {
    await ex?.stop();
    await node?.close();
  });

  it('keeps trading while the node is unreachable, and drains the outbox once it is back', async () => {
    await node.link.cut();
    const health = await (await fetch(`${ex.url}/health`)).json();
    expect(health).toMatchObject({ status: 'degraded', database: { ok: true }, chain: { ok: false, outbox: { pending: 0, failed: 0 } } });

    // Trading goes on: orders become trades and licences, a new buyer is admitted.
    for (let i = 0; i < 3; i++) expect((await placeOrder(ex, buyer, planId)).status).toBe('ACCEPTED');
    await services().anchoring.runOnce();
    const afterFirst = await backlog();
    expect(afterFirst.pending).toBeGreaterThanOrEqual(1);
    const newcomer = await verifiedParticipant(ex, { roles: ['BUYER'] });
    for (let i = 0; i < 2; i++) expect((await placeOrder(ex, buyer, planId)).status).toBe('ACCEPTED');
    await services().anchoring.runOnce();
    const afterSecond = await backlog();
    // The outbox grows: a second batch and the newcomer's admission wait for the chain.
    expect(afterSecond.pending).toBeGreaterThanOrEqual(afterFirst.pending + 2);
    expect(afterSecond.failed).toBe(0);
    const waiting = await services().db.select().from(chainOutbox).where(eq(chainOutbox.status, 'pending'));
    expect(waiting.filter((r) => r.attempts > 0).every((r) => r.lastError)).toBe(true);
    expect((await (await fetch(`${ex.url}/health`)).json()).chain).toMatchObject({ ok: false, outbox: { pending: afterSecond.pending } });

    await node.link.open();
    await drainUntilEmpty();
    await expectEveryBatchAnchoredOnce();
    expect(await services().contracts.participantRegistry.hasRole('buyer', newcomer.chainAddress)).toBe(true);
    const unmined = rowsOf(await services().db.execute(sql`select count(*)::int as n from chain_journal where status = 'sent'`))[0]!;
    expect(unmined.n).toBe(0);
    expect((await (await fetch(`${ex.url}/health`)).json()).chain).toMatchObject({ ok: true, outbox: { pending: 0, failed: 0 } });
  });

  it('sends again an anchoring transaction that reverted, until the batch is anchored', async () => {
    const artifact = loadCoreArtifact(PROJECT_ROOT, 'AnchorRegistry');
    const address = services().contracts.anchorRegistry.address;
    const operator = new Wallet(OPERATOR_KEY, node.direct);
    const secondAdmin = new Wallet(SECOND_ADMIN_KEY, node.direct);
    const asOperator = new Contract(address, artifact.abi, operator);
    const asSecondAdmin = new Contract(address, artifact.abi, secondAdmin);
    const anchorer: string = await asOperator.getFunction('ANCHORER_ROLE')();
    const adminRole: string = await asOperator.getFunction('DEFAULT_ADMIN_ROLE')();
    await (await asOperator.getFunction('grantRole')(adminRole, secondAdmin.address)).wait();

    // The exchange's transaction passes its gas estimate and waits in the pool; in the same
    // block, mined first for its higher tip, the operator loses the anchorer role.
    const batchId = await sealedBatchOfOneTrade();
    await node.direct.send('evm_setAutomine', [false]);
    const run = services().anchoring.runOnce();
    const reverted = await anchorTransactionInPool(batchId);
    const tip = { maxPriorityFeePerGas: parseUnits('50', 'gwei'), maxFeePerGas: parseUnits('100', 'gwei') };
    await asSecondAdmin.getFunction('revokeRole')(anchorer, operator.address, tip);
    await node.direct.send('evm_mine', []);
    await run;
    expect((await node.direct.getTransactionReceipt(reverted))!.status).toBe(0);
    const [row] = await services().db.select().from(chainOutbox).where(and(eq(chainOutbox.kind, ANCHOR_BATCH_KIND), eq(chainOutbox.dedupeKey, batchId)));
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toContain('reverted');
    expect(await services().contracts.anchorRegistry.rootOf(batchId)).toBeNull();

    await asSecondAdmin.getFunction('grantRole')(anchorer, operator.address, tip);
    await node.direct.send('evm_mine', []);
    await node.direct.send('evm_setAutomine', [true]);
    await drainUntilEmpty();

    const journal = await services().db.select().from(chainJournal).where(eq(chainJournal.purpose, `${ANCHOR_BATCH_KIND} ${batchId}`));
    expect(journal.map((j) => j.status).sort()).toEqual(['mined', 'reverted']);
    const [batch] = await services().db.select().from(anchorBatches).where(eq(anchorBatches.id, batchId));
    expect(batch!.txHash).toBe(journal.find((j) => j.status === 'mined')!.txHash);
    await expectEveryBatchAnchoredOnce();
  });

  it('sends again an anchoring transaction the node dropped from its pool', async () => {
    const batchId = await sealedBatchOfOneTrade();
    await node.direct.send('evm_setAutomine', [false]);
    const run = services().anchoring.runOnce();
    const dropped = await anchorTransactionInPool(batchId);
    expect(await node.direct.send('hardhat_dropTransaction', [dropped])).toBe(true);
    await node.direct.send('evm_setAutomine', [true]);
    // The exchange notices the node forgot it (rather than waiting out the receipt timeout).
    await run;
    const [row] = await services().db.select().from(chainOutbox).where(and(eq(chainOutbox.kind, ANCHOR_BATCH_KIND), eq(chainOutbox.dedupeKey, batchId)));
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row!.lastError).toContain('dropped');

    await drainUntilEmpty();
    const journal = await services().db.select().from(chainJournal).where(eq(chainJournal.purpose, `${ANCHOR_BATCH_KIND} ${batchId}`));
    // The same nonce, fees and data sign to the very same transaction: one journal row, now mined.
    expect(journal.map((j) => [j.txHash, j.status])).toEqual([[dropped, 'mined']]);
    await expectEveryBatchAnchoredOnce();
  });
});
