// 市场风险预警: each surveillance rule on a market built through the API, with a scenario that
// must raise an alert and one that must not; then the regulator acknowledges an alert.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../../server/domain/participants/authenticate-api-key.ts';
import type { AlertRow } from '../../server/domain/surveillance/alert.ts';
import { scanMarket } from '../../server/domain/surveillance/scan-market.ts';
import { useLicence } from '../../server/domain/trading/use-licence.ts';
import { rowsOf, type Db } from '../../server/db/client.ts';
import { deposit, placeOrder } from '../factories/market.ts';
import { listedDatasetOf, planOf, rawId, verifiedParticipant, type TestParticipant } from '../factories/participants.ts';
import { databaseTargets } from '../support/databases.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

describe.each(await databaseTargets())('surveillance on %s', (database) => {
  let ex: TestExchange;
  let db: Db;
  let regulator: string;
  // A and B share a controller; C controls D; the demo buyer is unrelated to all.
  let a: TestParticipant, b: TestParticipant, c: TestParticipant, d: TestParticipant;
  let demoBuyer: string;
  let demoBuyerId: string;
  const datasets: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const plans: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const trades: Record<string, string> = {};
  let raised: AlertRow[];
  let outlierOrder: string;
  let ordinaryOrder: string;

  /** `buyer` buys the fixed, auto-accepted plan of `seller`'s dataset: the trade's id. */
  async function buy(name: string, buyerToken: string, seller: 'a' | 'b' | 'c') {
    const order = await placeOrder(ex, buyerToken, plans[seller]);
    expect(order.status, JSON.stringify(order)).toBe('ACCEPTED');
    const [row] = rowsOf(await db.execute(sql`select id::text as id from trades where order_id = ${rawId(order.id)}`));
    trades[name] = String(row!.id);
  }

  /** Uses of a per-query licence on `seller`'s dataset, all within a second. */
  async function queries(seller: 'a' | 'b', n: number) {
    const plan = await planOf(ex, seller === 'a' ? a.token : b.token, datasets[seller], { kind: 'PER_QUERY', priceFen: '1', access: 'QUERY_ONLY' });
    const order = await placeOrder(ex, demoBuyer, plan);
    const [licence] = rowsOf(await db.execute(sql`select l.id::text as id from licences l join trades t on t.id = l.trade_id where t.order_id = ${rawId(order.id)}`));
    const viewer = await authenticateApiKey({ db, token: demoBuyer });
    for (let i = 0; i < n; i++) {
      await db.transaction((tx) => useLicence(tx, viewer, { licenceId: String(licence!.id), use: 'query', usageRef: `q-${randomUUID()}`, kind: 'group_aggregate' }));
    }
  }

  async function disputesAgainst(respondent: TestParticipant, daysAgo: number[]) {
    for (const days of daysAgo) {
      await db.execute(sql`insert into disputes (trade_id, opened_by, respondent_id, claim, created_at)
        values (${trades.ab}, ${demoBuyerId}, ${respondent.rawId}, '数据与描述不符', now() - make_interval(days => ${days}))`);
    }
  }

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    db = ex.built.services.db as Db;
    regulator = ex.keyOf('regulator');
    demoBuyer = ex.keyOf('buyer');
    demoBuyerId = rawId((await ex.gql(`{ me { ... on Participant { id } } }`, {}, demoBuyer)).data.me.id);
    a = await verifiedParticipant(ex, { controllerCode: 'GROUP-HOLDING-01' });
    b = await verifiedParticipant(ex, { controllerCode: 'GROUP-HOLDING-01' });
    c = await verifiedParticipant(ex);
    d = await verifiedParticipant(ex, { controllerCode: c.registrationCode });
    for (const [key, p] of [['a', a], ['b', b], ['c', c]] as const) {
      datasets[key] = await listedDatasetOf(ex, p);
      plans[key] = await planOf(ex, p.token, datasets[key], { priceFen: '1000' });
    }
    for (const token of [a.token, b.token, c.token, d.token, demoBuyer]) await deposit(ex, token, 1_000_000n);

    await buy('ab', a.token, 'b'); // A buys from B: related (same controller), and A → B of the loop A → B → C → A
    await buy('bc', b.token, 'c'); // B buys from C …
    await buy('cb', c.token, 'b'); // … and C from B: a loop of two
    await buy('ca', c.token, 'a'); // C buys from A: closes A → B → C → A
    await buy('demo-a', demoBuyer, 'a'); // unrelated, one way only
    await buy('dc', d.token, 'c'); // D buys from its controller C: related
    for (let i = 0; i < 3; i++) await buy(`demo-c-${i}`, demoBuyer, 'c'); // C's dataset: five trades at 1,000 fen

    const expensive = await planOf(ex, c.token, datasets.c, { priceFen: '50000', autoAccept: false });
    const dearer = await planOf(ex, c.token, datasets.c, { priceFen: '5000', autoAccept: false });
    outlierOrder = rawId((await placeOrder(ex, demoBuyer, expensive)).id);
    ordinaryOrder = rawId((await placeOrder(ex, demoBuyer, dearer)).id);

    await queries('b', 7); // a burst against B's dataset
    await queries('a', 3); // a few against A's

    await disputesAgainst(c, [1, 5, 10]); // three in ten days
    await disputesAgainst(a, [2, 3]); // two
    await disputesAgainst(b, [0, 40, 80]); // three, but never three within thirty days

    const viewer = await authenticateApiKey({ db, token: regulator });
    raised = (await scanMarket({ db, actor: viewer, thresholds: { queriesPerMinute: 5 } })).raised;
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const of = (rule: string) => raised.filter((r) => r.rule === rule);

  it('flags trades between related parties, and not trades between strangers', () => {
    const flagged = of('related_parties');
    expect(flagged.map((r) => r.subjectId).sort()).toEqual([trades.ab, trades.dc].sort());
    expect(flagged.find((r) => r.subjectId === trades.ab)!.evidence).toMatchObject({ buyerId: a.rawId, providerId: b.rawId, relation: 'both are controlled by GROUP-HOLDING-01' });
    expect(flagged.find((r) => r.subjectId === trades.dc)!.evidence).toMatchObject({ relation: 'the provider controls the buyer' });
  });

  it('flags loops of two and of three, and not one-way trading', () => {
    const loops = of('wash_trading').map((r) => (r.evidence as { participants: string[] }).participants.slice().sort().join(','));
    expect(loops.sort()).toEqual([[b.rawId, c.rawId].sort().join(','), [a.rawId, b.rawId, c.rawId].sort().join(',')].sort());
    expect(of('wash_trading').every((r) => r.severity === 'critical')).toBe(true);
    expect(JSON.stringify(of('wash_trading'))).not.toContain(demoBuyerId);
    expect(JSON.stringify(of('wash_trading'))).not.toContain(d.rawId);
  });

  it("flags an order priced far outside the dataset's trades, and not one a few times dearer", () => {
    expect(of('price_outlier').map((r) => r.subjectId)).toEqual([outlierOrder]);
    expect(of('price_outlier')[0]!.evidence).toMatchObject({ amountFen: '50000', medianFen: '1000', ratio: 50, tradesJudgedAgainst: 5 });
    expect(of('price_outlier').some((r) => r.subjectId === ordinaryOrder)).toBe(false);
  });

  it('flags a burst of queries against one dataset, and not a handful', () => {
    expect(of('query_burst').map((r) => r.subjectId)).toEqual([rawId(datasets.b)]);
    expect(of('query_burst')[0]!.evidence).toMatchObject({ usesInOneMinute: 7, buyers: 1, threshold: 5 });
  });

  it('flags repeated disputes against one provider within thirty days, and not two, nor three spread over months', () => {
    expect(of('repeated_disputes').map((r) => r.subjectId)).toEqual([c.rawId]);
    expect(of('repeated_disputes')[0]!.evidence).toMatchObject({ disputes: 3, respondentId: c.rawId });
  });

  it('shows the alerts to the regulator alone, raises each once, and records its acknowledgement', async () => {
    const ALERTS = `query($status: AlertStatus) { alerts(status: $status) { __typename ... on QueryAlertsSuccess { data { id rule severity subjectId status evidence note } } ... on AppError { code } } }`;
    const open = (await ex.gql(ALERTS, { status: 'OPEN' }, regulator)).data.alerts.data;
    expect(open).toHaveLength(raised.length);
    expect((await ex.gql(ALERTS, {}, ex.keyOf('operator'))).data.alerts.code).toBe('FORBIDDEN');

    // Scanning again raises nothing new.
    const again = await ex.gql(`mutation { scanMarket { ... on MarketScan { raised { id } candidates } } }`, {}, regulator);
    expect(again.data.scanMarket.raised).toEqual([]);
    expect(again.data.scanMarket.candidates).toBeGreaterThan(0);

    const ACK = `mutation($id: ID!, $note: String!) { acknowledgeAlert(alertId: $id, note: $note) { __typename ... on Alert { status note acknowledgedBy { name } } ... on AppError { code } } }`;
    const target = open.find((x: { rule: string }) => x.rule === 'WASH_TRADING');
    expect((await ex.gql(ACK, { id: target.id, note: '已约谈相关主体' }, ex.keyOf('provider'))).data.acknowledgeAlert.code).toBe('FORBIDDEN');
    const acked = (await ex.gql(ACK, { id: target.id, note: '已约谈相关主体' }, regulator)).data.acknowledgeAlert;
    expect(acked).toMatchObject({ __typename: 'Alert', status: 'ACKNOWLEDGED', note: '已约谈相关主体', acknowledgedBy: { name: expect.stringContaining('Regulator') } });
    expect((await ex.gql(ACK, { id: target.id, note: '再次确认' }, regulator)).data.acknowledgeAlert.code).toBe('INVALID_STATE');
    expect((await ex.gql(ACK, { id: randomUUID(), note: '不存在' }, regulator)).data.acknowledgeAlert.code).toBe('NOT_FOUND');
    expect((await ex.gql(ALERTS, { status: 'OPEN' }, regulator)).data.alerts.data).toHaveLength(raised.length - 1);
    const log = await ex.gql(`{ auditLog(action: "alert.acknowledged") { ... on QueryAuditLogSuccess { data { subjectId details } } } }`, {}, regulator);
    expect(log.data.auditLog.data).toEqual([{ subjectId: target.id, details: { rule: 'wash_trading', note: '已约谈相关主体' } }]);
  });
});
