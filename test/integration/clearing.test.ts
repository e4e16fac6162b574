// 清算 · 结算 end to end: orders and metered uses through the API and the domain, a cycle run
// by the operator, and every fen checked by hand — fees per certificate rounded down, the
// income split 70/30 by largest remainder, netting, the ledger at zero, anchors on chain,
// crash resume, remedies of rulings, races and permissions.
import { randomInt, randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalContentHash } from '../../server/chain/anchoring/content-hash.ts';
import { rowsOf, type Db } from '../../server/db/client.ts';
import { clearingCycles, disputes, ledgerAccounts, ledgerTransactions, licences, trades, usageRecords } from '../../server/db/schema.ts';
import type { ClearingTotals } from '../../server/domain/clearing/clearing-cycle.ts';
import { computeClearingCycle } from '../../server/domain/clearing/compute-clearing-cycle.ts';
import { runClearingCycle } from '../../server/domain/clearing/run-clearing-cycle.ts';
import { balancesOf } from '../../server/domain/ledger/accounts.ts';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';
import type { Viewer } from '../../server/domain/participants/roles.ts';
import { useLicence } from '../../server/domain/trading/use-licence.ts';
import { acceptOrder, deposit, ledgerTotal, listedDatasetWithRights, participantId, placeOrder, pricePlan } from '../factories/market.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const CYCLE_FIELDS = /* GraphQL */ `
  fragment CycleFields on ClearingCycle {
    id seq status trigger feeBps ledgerTransactionId
    totals { trades { count gross { fen } } usage { count gross { fen } } certificates gross { fen } fees { fen } income { fen }
      remedyCount remedies { fen } lines settlementRecords settlementBatchId settlementRoot deferredRemedies } }`;
const RUN = /* GraphQL */ `
  mutation { runClearingCycle { __typename
    ... on ClearingRun { cycle { ...CycleFields } resumed { ...CycleFields } }
    ... on AppError { code message } } }
  ${CYCLE_FIELDS}`;
const MY_SETTLEMENTS = /* GraphQL */ `
  { mySettlements(first: 50) { __typename
    ... on QueryMySettlementsConnection { edges { node { id cycleSeq participant { id }
      payable { fen } receivable { fen } net { fen yuan }
      lines { trades { fen } usage { fen } income { fen } remedyPaid { fen } remedyReceived { fen } }
      content anchor { status verifiesOnChain contentHash root txHash } } } }
    ... on AppError { code } } }`;
const CYCLE = /* GraphQL */ `
  query($id: ID!) { clearingCycle(id: $id) { __typename
    ... on ClearingCycle { id status settledAt
      obligationSummary { kind sourceKind lines participants total { fen } }
      obligations(first: 100) { edges { node { kind sourceKind sourceId amount { fen } participant { id } } } }
      settlementRecords(first: 10) { edges { node { id participant { id } net { fen } } } }
      anchor { status verifiesOnChain } }
    ... on AppError { code } } }`;

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':').slice(1).join(':');
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');

describe.each(await databaseTargets())('clearing and settlement on %s', (database) => {
  let ex: TestExchange;
  let db: Db;
  let operator: string;
  let buyerId: string;
  let providerId: string;
  let coHolderId: string;
  let coHolderToken: string;
  let buyer: Viewer;
  // Dataset 1: income 70% provider / 30% co-holder; dataset 2: all to the provider.
  let fixed1: string;
  let perQuery1: string;
  let fixed2: string;
  let perQueryLicence: string;
  let firstTradeId: string;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    db = ex.built.services.db;
    operator = ex.keyOf('operator');
    buyerId = rawId(await participantId(ex, ex.keyOf('buyer')));
    providerId = rawId(await participantId(ex, ex.keyOf('provider')));
    const reg = await ex.gql(
      `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) {
        ... on RegisterParticipantPayload { participant { id } apiKey { token } } ... on AppError { code message } } }`,
      { input: { name: '收益共有方 Co-holder Ltd', jurisdiction: 'CN', registrationCode: seedCreditCode(`CLR${randomInt(10_000, 99_999)}`), roles: ['PROVIDER'] } },
    );
    const coHolder = reg.data.registerParticipant;
    await ex.gql(`mutation($id: ID!) { reviewParticipant(participantId: $id, approve: true) { __typename } }`, { id: coHolder.participant.id }, operator);
    coHolderId = rawId(coHolder.participant.id);
    coHolderToken = coHolder.apiKey.token;
    buyer = { participantId: buyerId, participantStatus: 'verified', roles: ['buyer'], apiKeyId: randomUUID(), scopes: ['read', 'buyer'] };

    const d1 = await listedDatasetWithRights(ex, {
      income: [
        { holderId: globalId('Participant', providerId), shareBps: 7000 },
        { holderId: coHolder.participant.id, shareBps: 3000 },
      ],
    });
    fixed1 = await pricePlan(ex, d1.datasetId, { priceFen: '123457' });
    perQuery1 = await pricePlan(ex, d1.datasetId, { kind: 'PER_QUERY', priceFen: '333' });
    const d2 = await listedDatasetWithRights(ex);
    fixed2 = await pricePlan(ex, d2.datasetId, { priceFen: '999' });
    expect((await deposit(ex, ex.keyOf('buyer'), 2_000_000n)).__typename).toBe('FundsMovement');
  });
  afterAll(async () => {
    await ex?.stop();
  });

  async function buy(planId: string, accept = true): Promise<string> {
    const order = await placeOrder(ex, ex.keyOf('buyer'), planId);
    expect(order.__typename, JSON.stringify(order)).toBe('Order');
    if (accept) expect((await acceptOrder(ex, order.id)).__typename).toBe('OrderResult');
    return rawId(order.id);
  }

  async function licenceOf(orderId: string): Promise<{ licenceId: string; tradeId: string }> {
    const [row] = await db
      .select({ licenceId: licences.id, tradeId: trades.id })
      .from(licences)
      .innerJoin(trades, eq(trades.id, licences.tradeId))
      .where(eq(trades.orderId, orderId));
    return row!;
  }

  async function use(licenceId: string, times: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < times; i++) {
      const { usage } = await db.transaction((tx) => useLicence(tx, buyer, { licenceId, use: 'query', usageRef: `query:${randomUUID()}`, kind: 'group_aggregate' }));
      ids.push(usage.id);
    }
    return ids;
  }

  async function run(token = operator) {
    const r = await ex.gql(RUN, {}, token);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data.runClearingCycle;
  }

  async function feesBalance(): Promise<bigint> {
    const [row] = await db.select({ balance: ledgerAccounts.balanceFen }).from(ledgerAccounts).where(and(isNull(ledgerAccounts.ownerId), eq(ledgerAccounts.kind, 'fees')));
    return row!.balance;
  }

  async function snapshot() {
    return {
      buyer: await balancesOf(db, buyerId),
      provider: await balancesOf(db, providerId),
      coHolder: await balancesOf(db, coHolderId),
      fees: await feesBalance(),
    };
  }

  async function settlementPostings(cycleId: string): Promise<number> {
    const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(ledgerTransactions).where(eq(ledgerTransactions.reference, `cycle:${cycleId}`));
    return Number(row!.n);
  }

  async function mySettlements(token: string) {
    const r = await ex.gql(MY_SETTLEMENTS, {}, token);
    expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
    return r.data.mySettlements.edges.map((e: any) => e.node);
  }

  async function expectLedgerSound() {
    expect(await ledgerTotal(ex)).toEqual({ total: 0n, negative: 0 });
  }

  it('clears trades and metered uses: a fee per certificate rounded down, income split 70/30 by largest remainder, netted per participant', async () => {
    const o1 = await buy(fixed1);
    const o2 = await buy(fixed1);
    const o3 = await buy(fixed2);
    const o4 = await buy(perQuery1);
    const pending = await buy(fixed1, false);
    perQueryLicence = (await licenceOf(o4)).licenceId;
    firstTradeId = (await licenceOf(o1)).tradeId;
    const priced = await use(perQueryLicence, 7);
    const unpriced = await use((await licenceOf(o1)).licenceId, 2);
    const before = await snapshot();
    // Escrow holds the accepted trades (2 × 123,457 + 999), the uses (7 × 333) and the pending order (123,457).
    expect(before.buyer.escrowFen).toBe(246_914n + 999n + 2_331n + 123_457n);

    const result = await run();
    expect(result.__typename).toBe('ClearingRun');
    expect(result.resumed).toEqual([]);
    const cycle = result.cycle;
    // Dataset 1: gross 246,914 + 2,331 = 249,245; fee 2% = 4,984.9 → 4,984; net 244,261 →
    //   70% = 170,982.7 and 30% = 73,278.3: floors 170,982 + 73,278 leave 1 fen, to the larger remainder (0.7).
    // Dataset 2: gross 999; fee 19.98 → 19; net 980, all to the provider.
    // One fee on both grosses would be 5,004.88 → 5,004: the fee is rounded per certificate, 4,984 + 19 = 5,003.
    expect(cycle).toMatchObject({
      seq: 1,
      status: 'SETTLED',
      trigger: 'MANUAL',
      feeBps: 200,
      totals: {
        trades: { count: 4, gross: { fen: '247913' } },
        usage: { count: 9, gross: { fen: '2331' } },
        certificates: 2,
        gross: { fen: '250244' },
        fees: { fen: '5003' },
        income: { fen: '245241' },
        remedyCount: 0,
        remedies: { fen: '0' },
        // payables: (buyer, cert 1) trades and usage, (buyer, cert 2) trades; 2 fees; 3 income shares
        lines: 8,
        settlementRecords: 3,
        settlementRoot: expect.stringMatching(/^0x[0-9a-f]{64}$/),
        deferredRemedies: [],
      },
    });

    const after = await snapshot();
    expect(after.buyer.availableFen - before.buyer.availableFen).toBe(0n);
    expect(before.buyer.escrowFen - after.buyer.escrowFen).toBe(250_244n);
    expect(after.buyer.escrowFen).toBe(123_457n); // the pending order stays in escrow
    expect(after.provider.availableFen - before.provider.availableFen).toBe(170_983n + 980n);
    expect(after.coHolder.availableFen - before.coHolder.availableFen).toBe(73_278n);
    expect(after.fees - before.fees).toBe(5_003n);
    await expectLedgerSound();

    // Each trade and use is cleared, once, in this cycle; the pending order's is not a trade.
    const id = rawId(cycle.id);
    const cleared = await db.select({ cycleId: trades.cycleId }).from(trades).where(inArray(trades.orderId, [o1, o2, o3, o4]));
    expect(cleared.map((t) => t.cycleId)).toEqual([id, id, id, id]);
    expect(await db.select().from(trades).where(eq(trades.orderId, pending))).toEqual([]);
    const metered = await db.select({ cycleId: usageRecords.cycleId }).from(usageRecords).where(inArray(usageRecords.id, [...priced, ...unpriced]));
    expect(metered.map((u) => u.cycleId)).toEqual(Array(9).fill(id));
    expect(await settlementPostings(id)).toBe(1);

    // Netted per participant, as each sees it.
    const [mine] = await mySettlements(ex.keyOf('buyer'));
    expect(mine).toMatchObject({
      cycleSeq: 1,
      payable: { fen: '250244' },
      receivable: { fen: '0' },
      net: { fen: '-250244', yuan: '-2502.44' },
      lines: { trades: { fen: '247913' }, usage: { fen: '2331' }, income: { fen: '0' }, remedyPaid: { fen: '0' }, remedyReceived: { fen: '0' } },
    });
    expect((await mySettlements(ex.keyOf('provider')))[0]).toMatchObject({ payable: { fen: '0' }, receivable: { fen: '171963' }, net: { fen: '171963' } });
    expect((await mySettlements(coHolderToken))[0]).toMatchObject({ receivable: { fen: '73278' }, net: { fen: '73278' }, lines: { income: { fen: '73278' } } });

    // The regulator reads the cycle, its lines summed and one by one.
    const read = (await ex.gql(CYCLE, { id: cycle.id }, ex.keyOf('regulator'))).data.clearingCycle;
    expect(read.obligationSummary).toEqual([
      { kind: 'FEE', sourceKind: 'certificate', lines: 2, participants: 0, total: { fen: '5003' } },
      { kind: 'PAYABLE', sourceKind: 'trade', lines: 2, participants: 1, total: { fen: '247913' } },
      { kind: 'PAYABLE', sourceKind: 'usage', lines: 1, participants: 1, total: { fen: '2331' } },
      { kind: 'RECEIVABLE', sourceKind: 'certificate', lines: 3, participants: 2, total: { fen: '245241' } },
    ]);
    const shares = read.obligations.edges.map((e: any) => e.node).filter((o: any) => o.kind === 'RECEIVABLE');
    expect(shares.map((o: any) => [rawId(o.participant.id), o.amount.fen]).sort()).toEqual(
      [
        [providerId, '170983'],
        [coHolderId, '73278'],
        [providerId, '980'],
      ].sort(),
    );
    expect(read.settlementRecords.edges).toHaveLength(3);
  });

  it('does nothing on a second run: no cycle, no posting', async () => {
    const before = await snapshot();
    const n = rowsOf(await db.execute(sql`select count(*)::int as n from clearing_cycles`))[0]!.n;
    const again = await run();
    expect(again).toMatchObject({ __typename: 'ClearingRun', cycle: null, resumed: [] });
    expect(await ex.built.services.clearing.runOnce()).toEqual({ cycle: null, resumed: [] }); // the scheduler's run
    expect(rowsOf(await db.execute(sql`select count(*)::int as n from clearing_cycles`))[0]!.n).toBe(n);
    expect(await snapshot()).toEqual(before);
  });

  it('anchors every settlement record and the cycle summary; each proof verifies on chain against its content', async () => {
    const [cycle] = await db.select().from(clearingCycles).where(eq(clearingCycles.seq, 1n));
    const { batchId, root } = (cycle!.totals as ClearingTotals).settlement!;
    // Settlement sealed the cycle's own batch; the chain does not hold its root yet.
    const [sealed] = await mySettlements(ex.keyOf('buyer'));
    expect(sealed.anchor).toMatchObject({ status: 'SEALED', verifiesOnChain: false, root });
    await ex.built.services.anchoring.runOnce();
    for (const token of [ex.keyOf('buyer'), ex.keyOf('provider'), coHolderToken]) {
      const [record] = await mySettlements(token);
      expect(record.anchor).toMatchObject({ status: 'ANCHORED', verifiesOnChain: true, root, txHash: expect.stringMatching(/^0x/) });
      // A regulator rebuilds the leaf's content hash from the record's own content.
      expect(canonicalContentHash(record.content)).toBe(record.anchor.contentHash);
    }
    // One batch: the three records and the cycle's summary, under the root the chain holds.
    expect(await ex.built.services.contracts.anchorRegistry.rootOf(batchId)).toBe(root);
    expect(await ex.built.services.contracts.anchorRegistry.recordCountOf(batchId)).toBe(4);
    const read = (await ex.gql(CYCLE, { id: globalId('ClearingCycle', cycle!.id) }, ex.keyOf('regulator'))).data.clearingCycle;
    expect(read.anchor).toEqual({ status: 'ANCHORED', verifiesOnChain: true });
  });

  it('settles a cycle computed before a crash on the next run, exactly once, and computes no second cycle meanwhile', async () => {
    const order = await buy(fixed2);
    const before = await snapshot();
    // The process dies between the two transactions: the cycle is computed, nothing is posted.
    const computed = await computeClearingCycle({ db, trigger: 'schedule', feeBps: 200 });
    expect(computed).toMatchObject({ status: 'computed', ledgerTransactionId: null });
    expect(await snapshot()).toEqual(before);
    await expect(computeClearingCycle({ db, trigger: 'schedule', feeBps: 200 })).rejects.toMatchObject({ code: 'INVALID_STATE' });

    await buy(fixed2); // arrives after the crash: the resumed cycle does not take it, the next one does
    const result = await run();
    expect(result.resumed.map((c: any) => rawId(c.id))).toEqual([computed!.id]);
    expect(result.resumed[0]).toMatchObject({ status: 'SETTLED', totals: { trades: { count: 1 }, gross: { fen: '999' }, fees: { fen: '19' } } });
    expect(result.cycle).toMatchObject({ status: 'SETTLED', totals: { trades: { count: 1 }, gross: { fen: '999' } } });
    const after = await snapshot();
    expect(after.provider.availableFen - before.provider.availableFen).toBe(2n * 980n);
    expect(after.fees - before.fees).toBe(2n * 19n);
    expect(await settlementPostings(computed!.id)).toBe(1);
    const [trade] = await db.select({ cycleId: trades.cycleId }).from(trades).where(eq(trades.orderId, order));
    expect(trade!.cycleId).toBe(computed!.id);
    await expectLedgerSound();
  });

  it('rolls back a settlement that fails mid-way, and the next run posts everything exactly once', async () => {
    await buy(fixed1);
    await use(perQueryLicence, 3);
    const before = await snapshot();
    const crash = runClearingCycle({
      db,
      actor: null,
      trigger: 'schedule',
      feeBps: 200,
      hooks: {
        afterPosting: () => {
          throw new Error('simulated crash after posting');
        },
      },
    });
    await expect(crash).rejects.toThrow('simulated crash after posting');
    const [stuck] = await db.select().from(clearingCycles).where(eq(clearingCycles.status, 'computed'));
    expect(stuck).toBeDefined();
    expect(await settlementPostings(stuck!.id)).toBe(0);
    expect(await snapshot()).toEqual(before);
    const anchored = rowsOf(await db.execute(sql`select count(*)::int as n from anchor_records where record_id = ${stuck!.id}`));
    expect(anchored[0]!.n).toBe(0);

    const result = await run();
    expect(result.cycle).toBeNull();
    expect(result.resumed.map((c: any) => rawId(c.id))).toEqual([stuck!.id]);
    // Gross 123,457 + 3 × 333 = 124,456; fee 2,489.12 → 2,489; net 121,967 → 70% = 85,376.9, 30% = 36,590.1:
    // floors 85,376 + 36,590 leave 1 fen, to the provider (remainder 0.9).
    expect(result.resumed[0].totals).toMatchObject({ gross: { fen: '124456' }, fees: { fen: '2489' }, income: { fen: '121967' } });
    const after = await snapshot();
    expect(after.provider.availableFen - before.provider.availableFen).toBe(85_377n);
    expect(after.coHolder.availableFen - before.coHolder.availableFen).toBe(36_590n);
    expect(after.fees - before.fees).toBe(2_489n);
    expect(before.buyer.escrowFen - after.buyer.escrowFen).toBe(124_456n);
    expect(await settlementPostings(stuck!.id)).toBe(1);
    expect((await run()).cycle).toBeNull();
    expect(await settlementPostings(stuck!.id)).toBe(1);
    await expectLedgerSound();
  });

  it('pays ruled refunds and penalties from the provider to the buyer in the next cycle, deferring one the provider cannot cover', async () => {
    const before = await snapshot();
    // Rulings as the disputes context leaves them (status ruled, remedy and amount, no remedy
    // cycle yet); the 100-million-yuan one stands for any remedy the provider cannot cover.
    const ruled = (remedy: 'refund' | 'penalty' | 'licence_revocation' | 'none', remedyFen: bigint | null, ruledAt: Date) => ({
      tradeId: firstTradeId,
      openedBy: buyerId,
      respondentId: providerId,
      claim: '数据与描述不符 data not as described',
      status: 'ruled' as const,
      breach: true,
      remedy,
      remedyFen,
      ruling: 'breach found',
      ruledAt,
    });
    const [tooLarge, refund, penalty, revocation] = await db
      .insert(disputes)
      .values([
        ruled('refund', 10_000_000_000n, new Date(Date.now() - 4000)),
        ruled('refund', 5_000n, new Date(Date.now() - 3000)),
        ruled('penalty', 1_234n, new Date(Date.now() - 2000)),
        ruled('licence_revocation', null, new Date(Date.now() - 1000)),
      ])
      .returning();

    const result = await run();
    expect(result.cycle).toMatchObject({ status: 'SETTLED', totals: { trades: { count: 0 }, usage: { count: 0 }, remedyCount: 2, remedies: { fen: '6234' }, lines: 4 } });
    const after = await snapshot();
    expect(after.provider.availableFen - before.provider.availableFen).toBe(-6_234n);
    expect(after.buyer.availableFen - before.buyer.availableFen).toBe(6_234n);
    expect(after.fees).toBe(before.fees);
    const cycleId = rawId(result.cycle.id);
    const rows = await db.select().from(disputes).where(inArray(disputes.id, [tooLarge!.id, refund!.id, penalty!.id, revocation!.id]));
    const remedyCycle = new Map(rows.map((d) => [d.id, d.remedyCycleId]));
    expect(remedyCycle.get(refund!.id)).toBe(cycleId);
    expect(remedyCycle.get(penalty!.id)).toBe(cycleId);
    expect(remedyCycle.get(tooLarge!.id)).toBeNull();
    expect(remedyCycle.get(revocation!.id)).toBeNull();
    const [providerRecord] = await mySettlements(ex.keyOf('provider'));
    expect(providerRecord).toMatchObject({ payable: { fen: '6234' }, net: { fen: '-6234' }, lines: { remedyPaid: { fen: '6234' } } });
    const [buyerRecord] = await mySettlements(ex.keyOf('buyer'));
    expect(buyerRecord).toMatchObject({ receivable: { fen: '6234' }, lines: { remedyReceived: { fen: '6234' } } });

    // The remedy the provider cannot cover waits; alone, it opens no cycle.
    expect((await run()).cycle).toBeNull();
    await expectLedgerSound();
    await db.update(disputes).set({ status: 'withdrawn' }).where(eq(disputes.id, tooLarge!.id));
  });

  it('never double-posts when two runs race', async () => {
    const order = await buy(fixed2);
    const before = await snapshot();
    const runs = await Promise.all([1, 2].map(() => runClearingCycle({ db, actor: null, trigger: 'schedule', feeBps: 200 })));
    const cycles = runs.flatMap((r) => [r.cycle, ...r.resumed]).filter((c) => c !== null);
    const ids = [...new Set(cycles.map((c) => c.id))];
    expect(ids).toHaveLength(1);
    expect(await settlementPostings(ids[0]!)).toBe(1);
    const [trade] = await db.select({ cycleId: trades.cycleId }).from(trades).where(eq(trades.orderId, order));
    expect(trade!.cycleId).toBe(ids[0]);
    expect((await snapshot()).provider.availableFen - before.provider.availableFen).toBe(980n);
    await expectLedgerSound();
  });

  it('lets only the operator run clearing; the regulator reads cycles; a participant reads only its own settlements', async () => {
    for (const role of ['buyer', 'provider', 'regulator'] as const) {
      expect((await run(ex.keyOf(role))).code, role).toBe('FORBIDDEN');
    }
    expect((await ex.gql(RUN, {})).data.runClearingCycle.code).toBe('UNAUTHENTICATED');
    await expect(runClearingCycle({ db, actor: buyer, trigger: 'manual', feeBps: 200 })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const list = `{ clearingCycles(first: 2) { __typename ... on QueryClearingCyclesConnection { edges { node { seq status } } pageInfo { hasNextPage } } ... on AppError { code } } }`;
    expect((await ex.gql(list, {}, ex.keyOf('buyer'))).data.clearingCycles.code).toBe('FORBIDDEN');
    const seen = (await ex.gql(list, {}, ex.keyOf('regulator'))).data.clearingCycles;
    expect(seen.edges.map((e: any) => e.node.status)).toEqual(['SETTLED', 'SETTLED']);
    expect(seen.edges[0].node.seq).toBeGreaterThan(seen.edges[1].node.seq);
    expect(seen.pageInfo.hasNextPage).toBe(true);

    const mine = await mySettlements(ex.keyOf('buyer'));
    expect(mine.length).toBeGreaterThan(1);
    expect(new Set(mine.map((r: any) => rawId(r.participant.id)))).toEqual(new Set([buyerId]));
    const [first] = await db.select().from(clearingCycles).where(eq(clearingCycles.seq, 1n));
    expect((await ex.gql(CYCLE, { id: globalId('ClearingCycle', first!.id) }, ex.keyOf('buyer'))).data.clearingCycle.code).toBe('FORBIDDEN');
  });
});
