import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../server/db/client.ts';
import { AppError } from '../../server/domain/errors.ts';
import { authenticateApiKey } from '../../server/domain/participants/authenticate-api-key.ts';
import { placeOrder as placeOrderDomain } from '../../server/domain/trading/place-order.ts';
import { useLicence } from '../../server/domain/trading/use-licence.ts';
import { acceptOrder, balance, deposit, ledgerTotal, listedDatasetWithRights, placeOrder, pricePlan, PLACE_ORDER } from '../factories/market.ts';
import { databaseTargets } from '../support/databases.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

describe.each(await databaseTargets())('orders, escrow, trades and licences on %s', (database) => {
  let ex: TestExchange;
  let buyer: string;
  let datasetId: string;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    buyer = ex.keyOf('buyer');
    ({ datasetId } = await listedDatasetWithRights(ex));
  });
  afterAll(async () => {
    // Every scenario above kept the books straight.
    const { total, negative } = await ledgerTotal(ex);
    expect(total).toBe(0n);
    expect(negative).toBe(0);
    await ex?.stop();
  });

  it('deposits and withdraws through the gateway, once per idempotency key', async () => {
    const first = await deposit(ex, buyer, 500_000n, 'deposit-key-0001');
    const again = await deposit(ex, buyer, 500_000n, 'deposit-key-0001');
    expect(again.transactionId).toBe(first.transactionId);
    expect((await deposit(ex, buyer, 1n, 'deposit-key-0001')).code).toBe('IDEMPOTENCY_CONFLICT');
    const before = await balance(ex, buyer);
    const tooMuch = await ex.gql(`mutation { withdraw(amountFen: "${before.available + 1n}", idempotencyKey: "withdraw-key-01") { __typename ... on AppError { code } } }`, {}, buyer);
    expect(tooMuch.data.withdraw.code).toBe('INSUFFICIENT_FUNDS');
    expect(await balance(ex, buyer)).toEqual(before);
    const out = await ex.gql(`mutation { withdraw(amountFen: "1000", idempotencyKey: "withdraw-key-02") { ... on FundsMovement { balance { available { fen } } } } }`, {}, buyer);
    expect(BigInt(out.data.withdraw.balance.available.fen)).toBe(before.available - 1000n);
    expect((await deposit(ex, buyer, -5, 'deposit-key-0002')).code).toBe('INVALID_INPUT');
  });

  it('reserves the price in escrow, and the accepted order becomes a trade and a licence', async () => {
    const plan = await pricePlan(ex, datasetId, { priceFen: '120000' });
    await deposit(ex, buyer, 200_000n);
    const before = await balance(ex, buyer);
    const order = await placeOrder(ex, buyer, plan, 'URBAN_PLANNING', 'order-key-000001');
    expect(order).toMatchObject({ status: 'PENDING', access: 'DELIVERY', crossBorder: false, amount: { fen: '120000' } });
    expect(await balance(ex, buyer)).toEqual({ available: before.available - 120_000n, escrow: before.escrow + 120_000n });

    // The same key is the same order, and escrow is taken once.
    expect((await placeOrder(ex, buyer, plan, 'URBAN_PLANNING', 'order-key-000001')).id).toBe(order.id);
    expect((await placeOrder(ex, buyer, plan, 'ACADEMIC_RESEARCH', 'order-key-000001')).code).toBe('IDEMPOTENCY_CONFLICT');
    expect((await balance(ex, buyer)).escrow).toBe(before.escrow + 120_000n);

    expect((await acceptOrder(ex, order.id, buyer)).code).toBe('FORBIDDEN');
    const accepted = await acceptOrder(ex, order.id);
    expect(accepted.order.status).toBe('ACCEPTED');
    expect((await acceptOrder(ex, order.id)).code).toBe('INVALID_STATE');

    const licences = await ex.gql(`{ licences(side: BUYER) { ... on QueryLicencesConnection { edges { node { status access purpose territories onwardTransfer validUntil dataset { id } } } } } }`, {}, buyer);
    expect(licences.data.licences.edges[0].node).toMatchObject({ status: 'ACTIVE', access: 'DELIVERY', purpose: 'URBAN_PLANNING', territories: ['CN'], onwardTransfer: false, dataset: { id: datasetId } });
    const trades = await ex.gql(`{ trades(side: PROVIDER) { ... on QueryTradesConnection { edges { node { amount { fen } grade domain territory crossBorder cleared } } } } }`, {}, ex.keyOf('provider'));
    expect(trades.data.trades.edges[0].node).toMatchObject({ amount: { fen: '120000' }, grade: 'L2', domain: 'transport', territory: 'CN', crossBorder: false, cleared: false });
  });

  it('returns the escrow when the buyer cancels or the provider rejects', async () => {
    const plan = await pricePlan(ex, datasetId, { priceFen: '3000' });
    await deposit(ex, buyer, 10_000n);
    const start = await balance(ex, buyer);
    const a = await placeOrder(ex, buyer, plan);
    const cancelled = await ex.gql(`mutation($id: ID!) { cancelOrder(orderId: $id) { ... on Order { status } ... on AppError { code } } }`, { id: a.id }, buyer);
    expect(cancelled.data.cancelOrder.status).toBe('CANCELLED');
    const b = await placeOrder(ex, buyer, plan);
    const noReason = await ex.gql(`mutation($id: ID!) { rejectOrder(orderId: $id, reason: " ") { ... on AppError { code field } } }`, { id: b.id }, ex.keyOf('provider'));
    expect(noReason.data.rejectOrder).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    const rejected = await ex.gql(`mutation($id: ID!) { rejectOrder(orderId: $id, reason: "用途不符") { ... on Order { status reason } } }`, { id: b.id }, ex.keyOf('provider'));
    expect(rejected.data.rejectOrder).toEqual({ status: 'REJECTED', reason: '用途不符' });
    expect(await balance(ex, buyer)).toEqual(start);
    const late = await ex.gql(`mutation($id: ID!) { cancelOrder(orderId: $id) { ... on AppError { code } } }`, { id: b.id }, buyer);
    expect(late.data.cancelOrder.code).toBe('INVALID_STATE');
  });

  it('streams the status of an order over server-sent events until it is decided', async () => {
    const plan = await pricePlan(ex, datasetId, { priceFen: '700' });
    await deposit(ex, buyer, 700n);
    const order = await placeOrder(ex, buyer, plan);
    const res = await fetch(`${ex.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${buyer}` },
      body: JSON.stringify({ query: `subscription($id: ID!) { orderStatus(orderId: $id) { ... on Order { status } } }`, variables: { id: order.id } }),
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const statuses: string[] = [];
    let buffer = '';
    let accepted = false;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (const m of buffer.matchAll(/^data: (.+)$/gm)) {
        const status = JSON.parse(m[1]!).data?.orderStatus?.status;
        if (status && statuses.at(-1) !== status) statuses.push(status);
      }
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
      if (statuses.includes('PENDING') && !accepted) {
        accepted = true;
        expect((await acceptOrder(ex, order.id)).order.status).toBe('ACCEPTED');
      }
    }
    expect(statuses).toEqual(['PENDING', 'ACCEPTED']);
  });

  it('streams a trade until it is cleared, and the provider its new settlement record', async () => {
    const plan = await pricePlan(ex, datasetId, { priceFen: '900', autoAccept: true });
    await deposit(ex, buyer, 900n);
    await placeOrder(ex, buyer, plan);
    const trade = (await ex.gql(`{ trades(side: BUYER, first: 1) { ... on QueryTradesConnection { edges { node { id cleared } } } } }`, {}, buyer)).data.trades.edges[0].node;
    expect(trade.cleared).toBe(false);
    const events = async (token: string, query: string, variables: Record<string, unknown>, count: number, during: () => Promise<unknown>) => {
      const res = await fetch(`${ex.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const reader = res.body!.getReader();
      const seen: unknown[] = [];
      let buffer = '';
      let triggered = false;
      while (seen.length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        const parts = buffer.split('\n\n');
        buffer = parts.pop()!;
        for (const part of parts) {
          const data = /^data: (.+)$/m.exec(part);
          if (data) seen.push(JSON.parse(data[1]!).data);
        }
        if (seen.length >= 1 && !triggered) {
          triggered = true;
          await during();
        }
      }
      await reader.cancel();
      return seen;
    };
    const tradeEvents = await events(buyer, `subscription($id: ID!) { tradeStatus(tradeId: $id) { ... on Trade { cleared } } }`, { id: trade.id }, 2, () =>
      ex.built.services.clearing.runOnce(),
    );
    expect(tradeEvents).toEqual([{ tradeStatus: { cleared: false } }, { tradeStatus: { cleared: true } }]);

    await placeOrder(ex, buyer, plan, 'URBAN_PLANNING', 'second-trade-for-settlement');
    const provider = ex.keyOf('provider');
    const settlementEvents = await events(provider, `subscription { mySettlements { ... on SettlementRecord { id } } }`, {}, 2, () =>
      deposit(ex, buyer, 900n).then(() => ex.built.services.clearing.runOnce()),
    );
    const [before, after] = settlementEvents as { mySettlements: { id: string } | null }[];
    expect(after!.mySettlements?.id).toBeTruthy();
    expect(after!.mySettlements?.id).not.toBe(before!.mySettlements?.id);
  });

  it('accepts at once on an auto-accept plan', async () => {
    const plan = await pricePlan(ex, datasetId, { priceFen: '500', autoAccept: true });
    await deposit(ex, buyer, 500n);
    expect((await placeOrder(ex, buyer, plan)).status).toBe('ACCEPTED');
  });

  it('refuses with typed reasons and changes nothing: funds, purpose, territory, unlisted, own data', async () => {
    const count = async () => Number(rowsOf(await ex.built.services.db.execute(sql`select count(*)::int as n from orders`))[0]!.n);
    const expensive = await pricePlan(ex, datasetId, { priceFen: '999999999' });
    const cnOnlyElsewhere = await pricePlan(ex, datasetId, { territories: ['CN-GD'] });
    const before = await count();
    const funds = await balance(ex, buyer);
    expect((await placeOrder(ex, buyer, expensive)).code).toBe('INSUFFICIENT_FUNDS');
    expect((await placeOrder(ex, buyer, expensive, 'MODEL_TRAINING')).code).toBe('LICENCE_TERMS');
    // The seeded buyer is in CN (Beijing); a plan licensed for Guangdong only does not cover it.
    expect((await placeOrder(ex, buyer, cnOnlyElsewhere)).code).toBe('LICENCE_TERMS');
    expect((await placeOrder(ex, buyer, '00000000-0000-4000-8000-000000000000')).code).toBe('NOT_FOUND');
    expect((await placeOrder(ex, buyer, 'nonsense')).code).toBe('NOT_FOUND');
    expect((await placeOrder(ex, ex.keyOf('provider'), expensive)).code).toBe('FORBIDDEN');
    expect((await placeOrder(ex, ex.keyOf('regulator'), expensive)).code).toBe('FORBIDDEN');
    expect((await ex.gql(PLACE_ORDER, { plan: expensive, purpose: 'URBAN_PLANNING', key: 'k' })).data.placeOrder.code).toBe('UNAUTHENTICATED');

    const suspended = await listedDatasetWithRights(ex);
    const suspendedPlan = await pricePlan(ex, suspended.datasetId);
    await ex.gql(`mutation($id: ID!) { superviseDataset(datasetId: $id, action: SUSPEND, reason: "核查中") { __typename } }`, { id: suspended.datasetId }, ex.keyOf('regulator'));
    expect((await placeOrder(ex, buyer, suspendedPlan)).code).toBe('INVALID_STATE');
    expect(await count()).toBe(before);
    expect(await balance(ex, buyer)).toEqual(funds);
  });

  it('checks every use of a licence against its terms and meters it', async () => {
    const plan = await pricePlan(ex, datasetId, { kind: 'PER_QUERY', priceFen: '25', access: 'QUERY_ONLY', queryQuota: 2, autoAccept: true });
    await deposit(ex, buyer, 1_000n);
    await placeOrder(ex, buyer, plan);
    const viewer = await authenticateApiKey({ db: ex.built.services.db, token: buyer });
    const lic = await ex.gql(`{ licences(side: BUYER, first: 1) { ... on QueryLicencesConnection { edges { node { id access queryQuota perQueryPrice { fen } } } } } }`, {}, buyer);
    const licence = lic.data.licences.edges[0].node;
    expect(licence).toMatchObject({ access: 'QUERY_ONLY', queryQuota: 2, perQueryPrice: { fen: '25' } });
    const licenceId = rawId(licence.id);
    const db = ex.built.services.db;
    const use = (kind: 'query' | 'delivery', ref: string) => db.transaction((tx) => useLicence(tx, viewer, { licenceId, use: kind, usageRef: ref, kind: 'group_aggregate' }));
    const funds = await balance(ex, buyer);
    await use('query', `q-${licenceId}-1`);
    expect(await balance(ex, buyer)).toEqual({ available: funds.available - 25n, escrow: funds.escrow + 25n });
    await expect(use('delivery', `d-${licenceId}-1`)).rejects.toMatchObject({ code: 'LICENCE_TERMS' });
    await use('query', `q-${licenceId}-2`);
    await expect(use('query', `q-${licenceId}-3`)).rejects.toMatchObject({ code: 'LIMIT_REACHED' });
    const other = await authenticateApiKey({ db, token: ex.keyOf('provider') });
    await expect(db.transaction((tx) => useLicence(tx, other, { licenceId, use: 'query', usageRef: 'x', kind: 'k' }))).rejects.toBeInstanceOf(AppError);
    const usage = rowsOf(await db.execute(sql`select count(*)::int as n, sum(amount_fen)::text as fen from usage_records where licence_id = ${licenceId}`))[0]!;
    expect(usage).toEqual({ n: 2, fen: '50' });
  });

  it.runIf(database === 'postgres')('never overdraws under 200 concurrent orders against one balance', async () => {
    const plan = await pricePlan(ex, datasetId, { priceFen: '1000' });
    const viewer = await authenticateApiKey({ db: ex.built.services.db, token: buyer });
    // Exactly 73 orders' worth of funds: withdraw everything, deposit 73,000 fen.
    const start = await balance(ex, buyer);
    if (start.available > 0n) {
      await ex.gql(`mutation($a: BigInt!) { withdraw(amountFen: $a, idempotencyKey: "drain-before-race") { __typename } }`, { a: String(start.available) }, buyer);
    }
    await deposit(ex, buyer, 73_000n);
    const available = (await balance(ex, buyer)).available;
    expect(available).toBe(73_000n);
    const expectedWins = 73;
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        placeOrderDomain({ db: ex.built.services.db, actor: viewer, input: { planId: plan, purpose: 'urban_planning', idempotencyKey: `concurrent-${i}-${Date.now()}` } }),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled').length;
    const reasons = new Set(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason?.code));
    expect(won).toBe(expectedWins);
    expect([...reasons]).toEqual(['INSUFFICIENT_FUNDS']);
    const end = await balance(ex, buyer);
    expect(end.available).toBe(available - BigInt(won) * 1000n);
    expect(end.available >= 0n).toBe(true);
  });
});
