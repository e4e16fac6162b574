// 备案报表: the periodic filing report over a market built in this test — two listings, four
// trades (one cross-border, one per-query), three metered queries, one delivery (not a query)
// and one dispute — as JSON through GraphQL and as CSV over HTTP, with every figure known.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../../server/domain/participants/authenticate-api-key.ts';
import { useLicence } from '../../server/domain/trading/use-licence.ts';
import type { Db } from '../../server/db/client.ts';
import { deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { approvedParticipant, latestTrade, rawId } from '../factories/parties.ts';
import { provePositiveListMembership } from '../factories/crossborder.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';
import { closeZk } from '../../server/privacy/zk/verify.ts';

const REPORT = /* GraphQL */ `
  query($period: FilingPeriod!, $from: DateTime, $to: DateTime) {
    filingReport(period: $period, from: $from, to: $to) {
      __typename
      ... on FilingReport { period from to lines { period breakdown key listings trades turnover { fen } queries disputes } }
      ... on AppError { code field message } } }`;

/** The Shanghai calendar day, month and quarter of an instant. */
function shanghai(at: Date): { day: string; month: string; quarter: string } {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  return { day, month: day.slice(0, 7), quarter: `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}` };
}

type Line = { period: string; breakdown: string; key: string | null; listings: number; trades: number; turnover: { fen: string }; queries: number; disputes: number };
const line = (breakdown: string, key: string | null, listings: number, trades: number, turnoverFen: number, queries: number, disputes: number) => ({
  breakdown,
  key,
  listings,
  trades,
  turnover: { fen: String(turnoverFen) },
  queries,
  disputes,
});

// The bn128 worker threads of the proofs verified in process.
afterAll(closeZk);

describe.each(await databaseTargets())('the filing report (备案报表) on %s', (database) => {
  let ex: TestExchange;
  let regulator: string;
  let startedAt: Date;
  let finishedAt: Date;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    regulator = ex.keyOf('regulator');
    const buyer = ex.keyOf('buyer');
    startedAt = new Date();
    await deposit(ex, buyer, 1_000_000n);
    const transport = (await listedDatasetWithRights(ex)).datasetId;
    const finance = (await listedDatasetWithRights(ex, { overrides: { domain: 'FINANCE', classification: 'finance.credit', titleEn: 'SME credit indicators', titleZh: '小微企业信用指标' } })).datasetId;
    const transportPlan = await pricePlan(ex, transport, { priceFen: '10000', autoAccept: true });
    const perQueryPlan = await pricePlan(ex, transport, { kind: 'PER_QUERY', priceFen: '100', access: 'QUERY_ONLY', autoAccept: true });
    const financePlan = await pricePlan(ex, finance, { priceFen: '7000', autoAccept: true });

    // A foreign buyer cleared for transport data to Singapore: one cross-border trade.
    const foreign = await approvedParticipant(ex, { roles: ['BUYER'], jurisdiction: 'SG' });
    await deposit(ex, foreign.token, 100_000n);
    await ex.gql(`mutation { addToPositiveList(destination: "SG", classification: "transport.traffic") { __typename } }`, {}, regulator);
    await provePositiveListMembership(ex, transport, 'SG');
    const requested = await ex.gql(`mutation($id: ID!) { requestSecurityAssessment(datasetId: $id, destination: "SG") { ... on SecurityAssessment { id } } }`, { id: transport }, ex.keyOf('provider'));
    await ex.gql(
      `mutation($id: ID!, $until: DateTime!) { decideSecurityAssessment(assessmentId: $id, approve: true, validUntil: $until) { __typename } }`,
      { id: requested.data.requestSecurityAssessment.id, until: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      regulator,
    );
    expect((await placeOrder(ex, foreign.token, transportPlan)).status).toBe('ACCEPTED');

    const db = ex.built.services.db as Db;
    const viewer = await authenticateApiKey({ db, token: buyer });
    // A delivery of the fixed plan's data: a use of the licence, but no query.
    expect((await placeOrder(ex, buyer, transportPlan)).status).toBe('ACCEPTED');
    const delivery = rawId((await latestTrade(ex, buyer)).licenceId);
    await db.transaction((tx) => useLicence(tx, viewer, { licenceId: delivery, use: 'delivery', usageRef: `delivery:${delivery}`, kind: 'csv' }));
    // Three metered queries on a per-query licence (its trade's amount is 0: each query is paid when made).
    expect((await placeOrder(ex, buyer, perQueryPlan)).status).toBe('ACCEPTED');
    const perQuery = rawId((await latestTrade(ex, buyer)).licenceId);
    for (let i = 0; i < 3; i++) {
      await db.transaction((tx) => useLicence(tx, viewer, { licenceId: perQuery, use: 'query', usageRef: `report-q-${i}`, kind: 'group_aggregate' }));
    }
    // A dispute on the finance trade.
    expect((await placeOrder(ex, buyer, financePlan)).status).toBe('ACCEPTED');
    const opened = await ex.gql(
      `mutation($id: ID!) { openDispute(tradeId: $id, claim: "数据与描述不符") { __typename ... on AppError { code message } } }`,
      { id: (await latestTrade(ex, buyer)).tradeId },
      buyer,
    );
    expect(opened.data.openDispute.__typename, JSON.stringify(opened)).toBe('Dispute');
    finishedAt = new Date(Date.now() + 1);
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const report = async (variables: Record<string, unknown>, token = regulator) => (await ex.gql(REPORT, variables, token)).data.filingReport;
  const since = () => ({ from: startedAt.toISOString(), to: finishedAt.toISOString() });

  it('counts listings, trades, turnover, queries and disputes per month, in total and by domain, grade, jurisdiction, cross-border flag and price plan', async () => {
    const r = await report({ period: 'MONTH', ...since() });
    const month = shanghai(startedAt).month;
    expect(r.period).toBe('MONTH');
    expect(r.lines.every((l: Line) => l.period === month)).toBe(true);
    expect(r.lines.map(({ period: _, ...l }: Line) => l)).toEqual([
      line('TOTAL', null, 2, 4, 27_000, 3, 1),
      line('DOMAIN', 'finance', 1, 1, 7_000, 0, 1),
      line('DOMAIN', 'transport', 1, 3, 20_000, 3, 0),
      line('GRADE', 'L2', 2, 4, 27_000, 3, 1),
      line('JURISDICTION', 'CN', 0, 3, 17_000, 3, 1),
      line('JURISDICTION', 'SG', 0, 1, 10_000, 0, 0),
      line('CROSS_BORDER', 'false', 0, 3, 17_000, 3, 1),
      line('CROSS_BORDER', 'true', 0, 1, 10_000, 0, 0),
      line('PRICE_PLAN', 'fixed', 0, 3, 27_000, 0, 1),
      line('PRICE_PLAN', 'per_query', 0, 1, 0, 3, 0),
    ]);
  });

  it('labels days and quarters in Shanghai time, and leaves out what falls outside the range', async () => {
    const local = shanghai(startedAt);
    const total = (r: { lines: Line[] }) => r.lines.filter((l) => l.breakdown === 'TOTAL');
    expect(total(await report({ period: 'DAY', ...since() }))).toEqual([{ period: local.day, ...line('TOTAL', null, 2, 4, 27_000, 3, 1) }]);
    expect(total(await report({ period: 'QUARTER', ...since() }))).toEqual([{ period: local.quarter, ...line('TOTAL', null, 2, 4, 27_000, 3, 1) }]);
    expect((await report({ period: 'MONTH', from: finishedAt.toISOString() })).lines).toEqual([]);
  });

  it('exports the same lines as CSV for a regulator', async () => {
    const json = await report({ period: 'MONTH', ...since() });
    const q = new URLSearchParams({ period: 'month', ...since() });
    const res = await fetch(`${ex.url}/regulator/filing-report.csv?${q}`, { headers: { authorization: `Bearer ${regulator}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain('filing-report-month.csv');
    const rows = (await res.text()).trimEnd().split('\r\n');
    expect(rows[0]).toBe('period,breakdown,key,listings,trades,turnover_fen,queries,disputes');
    expect(rows).toHaveLength(1 + json.lines.length);
    const month = shanghai(startedAt).month;
    expect(rows.slice(1, 3)).toEqual([`${month},total,,2,4,27000,3,1`, `${month},domain,finance,1,1,7000,0,1`]);
    expect(rows).toContain(`${month},pricePlan,per_query,0,1,0,3,0`);
  });

  it('is for regulators only, and refuses bad input with typed errors', async () => {
    for (const role of ['operator', 'buyer', 'provider'] as const) expect(await report({ period: 'MONTH' }, ex.keyOf(role))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await ex.gql(REPORT, { period: 'MONTH' })).data.filingReport).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await report({ period: 'MONTH', from: finishedAt.toISOString(), to: startedAt.toISOString() })).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    expect((await ex.gql(REPORT, { period: 'FORTNIGHT' }, regulator)).errors).toBeTruthy();

    const csv = (query: string, token?: string) => fetch(`${ex.url}/regulator/filing-report.csv?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await csv('period=month')).status).toBe(401);
    expect((await csv('period=month', ex.keyOf('buyer'))).status).toBe(403);
    const bad = await csv('period=fortnight', regulator);
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: 'INVALID_INPUT' });
  });
});
