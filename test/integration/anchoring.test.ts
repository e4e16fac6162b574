// Anchoring end to end on the real exchange: records written in the caller's transaction,
// sealed into a Merkle batch, anchored once on chain, each with a proof that a third party
// checks with plain ethers against the contract.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AbiCoder, Contract, keccak256, toUtf8Bytes, type Provider } from 'ethers';
import { and, count, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueAnchor } from '../../server/chain/anchoring/enqueue-anchor.ts';
import { getAnchorProof, type AnchorProof } from '../../server/chain/anchoring/get-anchor-proof.ts';
import { recomputeBatchRoot } from '../../server/chain/anchoring/recompute-batch-root.ts';
import { ANCHOR_BATCH_KIND, sealPendingRecords, type AnchorBatchPayload } from '../../server/chain/anchoring/seal-pending-records.ts';
import { findChainWork } from '../../server/chain/outbox.ts';
import { anchorBatches, anchorRecords, chainJournal, chainOutbox } from '../../server/db/schema.ts';
import type { Services } from '../../server/services.ts';
import { databaseTargets } from '../support/databases.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

// ---- The third party's check: ethers and the contract's address, nothing of the server. ----

const THIRD_PARTY_ABI = ['function verify(bytes32,bytes32,bytes32[]) view returns (bool)', 'function rootOf(bytes32) view returns (bytes32)'];

function thirdPartyLeaf(kind: string, recordId: string, contentHash: string): string {
  const encoded = AbiCoder.defaultAbiCoder().encode(
    ['bytes32', 'bytes32', 'bytes32'],
    [keccak256(toUtf8Bytes(kind)), keccak256(toUtf8Bytes(recordId)), contentHash],
  );
  return keccak256(keccak256(encoded));
}

function thirdPartyBatchId(batchId: string): string {
  return '0x' + batchId.replace(/-/g, '').toLowerCase().padEnd(64, '0');
}

async function verifyWithPlainEthers(
  provider: Provider,
  address: string,
  record: { kind: string; recordId: string; contentHash: string; batchId: string; proof: string[] },
): Promise<{ verified: boolean; root: string }> {
  const anchors = new Contract(address, THIRD_PARTY_ABI, provider);
  const batchId = thirdPartyBatchId(record.batchId);
  const leaf = thirdPartyLeaf(record.kind, record.recordId, record.contentHash);
  return { verified: await anchors.getFunction('verify')(batchId, leaf, record.proof), root: await anchors.getFunction('rootOf')(batchId) };
}

// ---------------------------------------------------------------------------------------------

describe.each(await databaseTargets())('anchoring on %s', (database) => {
  let ex: TestExchange;
  let services: Services;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    services = ex.built.services;
    // Whatever the start-up seed recorded is anchored first, so each test sees its own batches.
    await services.anchoring.runOnce();
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const proofOf = async (kind: string, recordId: string): Promise<AnchorProof> => {
    const proof = await getAnchorProof(services.db, services.contracts.anchorRegistry, kind, recordId);
    expect(proof).not.toBeNull();
    return proof!;
  };
  const journalCount = async (purpose = `${ANCHOR_BATCH_KIND} %`) =>
    (await services.db.select({ n: count() }).from(chainJournal).where(like(chainJournal.purpose, purpose)))[0]!.n;

  /** Twenty-five records of two kinds; each content's keys are written sorted, so JSON.stringify is canonical. */
  const enqueueRecords = async (n: number) => {
    const written = [];
    for (let i = 0; i < n; i++) {
      const kind = i % 2 === 0 ? 'test.certificate' : 'test.listing-decision';
      const recordId = randomUUID();
      const content = { amount: String(1000n * BigInt(i)), decidedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(), holder: `持有人-${i}`, seq: i };
      const row = await enqueueAnchor(services.db, { kind, recordId, content });
      expect(row.contentHash).toBe(keccak256(toUtf8Bytes(JSON.stringify(content))));
      written.push({ kind, recordId });
    }
    return written;
  };

  it('anchors 25 records in one batch, and every proof verifies with plain ethers against the contract', async () => {
    const records = await enqueueRecords(25);
    expect((await proofOf(records[0]!.kind, records[0]!.recordId)).status).toBe('pending');

    const run = await services.anchoring.runOnce();
    expect(run.sealed).toHaveLength(1);
    expect(run.delivered).toBeGreaterThanOrEqual(1);
    const [batch] = await services.db.select().from(anchorBatches).where(eq(anchorBatches.id, run.sealed[0]!.id));
    expect(batch).toMatchObject({ status: 'anchored', recordCount: 25 });
    expect(batch!.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    const receipt = await services.chain.provider.getTransactionReceipt(batch!.txHash!);
    expect(receipt).toMatchObject({ status: 1, blockNumber: Number(batch!.blockNumber) });

    const address = services.contracts.anchorRegistry.address;
    const leafIndexes = new Set<number>();
    for (const r of records) {
      const p = await proofOf(r.kind, r.recordId);
      expect(p).toMatchObject({ status: 'anchored', batchId: batch!.id, root: batch!.root, txHash: batch!.txHash, verifiesOnChain: true });
      expect(p.leaf).toBe(thirdPartyLeaf(r.kind, r.recordId, p.contentHash));
      leafIndexes.add(p.leafIndex!);
      const check = await verifyWithPlainEthers(services.chain.provider, address, { ...p, batchId: p.batchId! });
      expect(check).toEqual({ verified: true, root: batch!.root });
    }
    expect([...leafIndexes].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
  });

  it('sends nothing when the worker runs again', async () => {
    const before = await journalCount('%');
    const run = await services.anchoring.runOnce();
    expect(run).toEqual({ sealed: [], delivered: 0 });
    expect(await journalCount('%')).toBe(before);
  });

  it('reports a sealed batch as sealed until it is anchored', async () => {
    const [r] = await enqueueRecords(1);
    const batch = await sealPendingRecords(services.db, { maxRecords: 100 });
    expect(batch).toMatchObject({ status: 'sealed', recordCount: 1 });
    expect(await proofOf(r!.kind, r!.recordId)).toMatchObject({ status: 'sealed', batchId: batch!.id, leafIndex: 0, proof: [], verifiesOnChain: false });
    await services.anchoring.runOnce();
    expect(await proofOf(r!.kind, r!.recordId)).toMatchObject({ status: 'anchored', verifiesOnChain: true });
  });

  it('anchors a batch delivered again, or twice at once, with one transaction and one BatchAnchored event', async () => {
    await enqueueRecords(3);
    const batch = await sealPendingRecords(services.db, { maxRecords: 100 });
    const payload: AnchorBatchPayload = { batchId: batch!.id, root: batch!.root, recordCount: batch!.recordCount };
    const handler = services.contracts.anchorRegistry.outboxHandlers()[ANCHOR_BATCH_KIND]!;

    // Two deliveries racing: one sends, the other finds the root on chain and sends nothing.
    const results = await Promise.all([handler(payload), handler(payload)]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const sent = results.find((r) => r !== null)!;

    // The outbox row is still pending (the handler ran outside the dispatcher): the worker
    // delivers it, as it would after a crash between the transaction and marking the row.
    await services.db.update(anchorBatches).set({ status: 'sealed', txHash: null, blockNumber: null }).where(eq(anchorBatches.id, batch!.id));
    expect(await services.anchoring.runOnce()).toMatchObject({ sealed: [], delivered: 1 });
    // And once more, after the row is marked pending again by hand.
    await services.db
      .update(chainOutbox)
      .set({ status: 'pending', nextAttemptAt: new Date(0) })
      .where(and(eq(chainOutbox.kind, ANCHOR_BATCH_KIND), eq(chainOutbox.dedupeKey, batch!.id)));
    expect(await services.anchoring.runOnce()).toMatchObject({ sealed: [], delivered: 1 });

    expect(await journalCount(`${ANCHOR_BATCH_KIND} ${batch!.id}`)).toBe(1);
    const anchors = new Contract(services.contracts.anchorRegistry.address, ['event BatchAnchored(bytes32 indexed batchId, bytes32 root, uint32 recordCount)'], services.chain.provider);
    const events = await anchors.queryFilter(anchors.getEvent('BatchAnchored')(thirdPartyBatchId(batch!.id)), 0);
    expect(events).toHaveLength(1);
    const [row] = await services.db.select().from(anchorBatches).where(eq(anchorBatches.id, batch!.id));
    expect(row).toMatchObject({ status: 'anchored', txHash: sent.txHash, blockNumber: BigInt(sent.blockNumber) });
    expect(await findChainWork(services.db, ANCHOR_BATCH_KIND, batch!.id)).toMatchObject({ status: 'done' });
  });

  it('recomputes the anchored root from the database, and a different one once a content hash is edited', async () => {
    const records = await enqueueRecords(6);
    const { sealed } = await services.anchoring.runOnce();
    const batchId = sealed[0]!.id;
    const onChain = (await verifyWithPlainEthers(services.chain.provider, services.contracts.anchorRegistry.address, { ...records[0]!, contentHash: '0x' + '00'.repeat(32), batchId, proof: [] })).root;
    expect(await recomputeBatchRoot(services.db, batchId)).toBe(onChain);

    // Warm the proof cache, then alter one record behind the exchange's back.
    const honest = await proofOf(records[2]!.kind, records[2]!.recordId);
    expect(honest.verifiesOnChain).toBe(true);
    const forged = keccak256(toUtf8Bytes('forged'));
    await services.db.execute(sql`update anchor_records set content_hash = ${forged} where kind = ${records[2]!.kind} and record_id = ${records[2]!.recordId}`);

    const recomputed = await recomputeBatchRoot(services.db, batchId);
    expect(recomputed).not.toBe(onChain);
    const tampered = await proofOf(records[2]!.kind, records[2]!.recordId);
    expect(tampered).toMatchObject({ contentHash: forged, root: onChain, verifiesOnChain: false });
    expect((await verifyWithPlainEthers(services.chain.provider, services.contracts.anchorRegistry.address, { ...tampered, batchId })).verified).toBe(false);

    // Put back, the record proves again and the batch recomputes to the anchored root.
    await services.db.execute(sql`update anchor_records set content_hash = ${honest.contentHash} where kind = ${records[2]!.kind} and record_id = ${records[2]!.recordId}`);
    expect(await recomputeBatchRoot(services.db, batchId)).toBe(onChain);
    expect(await proofOf(records[2]!.kind, records[2]!.recordId)).toMatchObject({ proof: honest.proof, verifiesOnChain: true });
  });

  it('does not anchor a record whose transaction rolled back', async () => {
    const recordId = randomUUID();
    const rollback = new Error('the state change failed');
    await expect(
      services.db.transaction(async (tx) => {
        await enqueueAnchor(tx, { kind: 'test.certificate', recordId, content: { recordId } });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    await services.anchoring.runOnce();
    expect(await getAnchorProof(services.db, services.contracts.anchorRegistry, 'test.certificate', recordId)).toBeNull();
    expect(await services.db.select().from(anchorRecords).where(eq(anchorRecords.recordId, recordId))).toEqual([]);
  });

  it('refuses the same record twice', async () => {
    const recordId = randomUUID();
    await enqueueAnchor(services.db, { kind: 'test.certificate', recordId, content: { v: 1 } });
    await expect(enqueueAnchor(services.db, { kind: 'test.certificate', recordId, content: { v: 2 } })).rejects.toThrow();
    // The same id under another kind is another record.
    await enqueueAnchor(services.db, { kind: 'test.listing-decision', recordId, content: { v: 1 } });
    await services.anchoring.runOnce();
    expect((await proofOf('test.certificate', recordId)).verifiesOnChain).toBe(true);
  });
});

describe('anchoring across a restart of the embedded exchange', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-anchoring-'));
  let ex: TestExchange | undefined;
  afterAll(async () => {
    await ex?.stop({ keepData: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('still proves what was anchored, and anchors new records on top', async () => {
    ex = await startTestExchange({ database: 'pglite', dataDir });
    const first = randomUUID();
    await enqueueAnchor(ex.built.services.db, { kind: 'test.certificate', recordId: first, content: { first } });
    await ex.built.services.anchoring.runOnce();
    const before = await getAnchorProof(ex.built.services.db, ex.built.services.contracts.anchorRegistry, 'test.certificate', first);
    expect(before).toMatchObject({ status: 'anchored', verifiesOnChain: true });
    await ex.stop({ keepData: true });

    ex = await startTestExchange({ database: 'pglite', dataDir });
    const services = ex.built.services;
    const after = await getAnchorProof(services.db, services.contracts.anchorRegistry, 'test.certificate', first);
    expect(after).toEqual(before);
    const check = await verifyWithPlainEthers(services.chain.provider, services.contracts.anchorRegistry.address, { ...after!, batchId: after!.batchId! });
    expect(check).toEqual({ verified: true, root: before!.root });

    const second = randomUUID();
    await enqueueAnchor(services.db, { kind: 'test.certificate', recordId: second, content: { second } });
    await services.anchoring.runOnce();
    expect(await getAnchorProof(services.db, services.contracts.anchorRegistry, 'test.certificate', second)).toMatchObject({ status: 'anchored', verifiesOnChain: true });
  });
});
