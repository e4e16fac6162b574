// 备案统计: the regulator's filing statistics over the trades made in this test — counts and
// turnover by period (Asia/Shanghai), domain, grade, territory and the cross-border flag.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { approvedParticipant } from '../factories/parties.ts';
import { provePositiveListMembership } from '../factories/crossborder.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';
import { closeZk } from '../../server/privacy/zk/verify.ts';

const STATS = /* GraphQL */ `
  query($groupBy: [FilingDimension!]!, $period: FilingPeriod, $from: DateTime, $to: DateTime, $domain: DataDomain, $grade: Grade, $territory: String, $crossBorder: Boolean) {
    filingStatistics(groupBy: $groupBy, period: $period, from: $from, to: $to, domain: $domain, grade: $grade, territory: $territory, crossBorder: $crossBorder) {
      __typename
      ... on FilingStatistics { tradeCount turnover { fen } groups { period domain classification grade territory crossBorder tradeCount turnover { fen } } }
      ... on AppError { code field message } } }`;

/** The local calendar day and month of an instant in Shanghai, and its ISO week. */
function shanghai(at: Date): { day: string; month: string; week: string } {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const thursday = new Date(Date.UTC(y, m - 1, d));
  thursday.setUTCDate(thursday.getUTCDate() + 4 - (thursday.getUTCDay() || 7));
  const isoYear = thursday.getUTCFullYear();
  const week = Math.ceil(((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / 86_400_000 + 1) / 7);
  return { day, month: day.slice(0, 7), week: `${isoYear}-W${String(week).padStart(2, '0')}` };
}

// The bn128 worker threads of the proofs verified in process.
afterAll(closeZk);

describe.each(await databaseTargets())('filing statistics (备案) on %s', (database) => {
  let ex: TestExchange;
  let regulator: string;
  let startedAt: Date;
  let finishedAt: Date;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    regulator = ex.keyOf('regulator');
    const buyer = ex.keyOf('buyer');
    await deposit(ex, buyer, 1_000_000n);
    const transport = (await listedDatasetWithRights(ex)).datasetId;
    const finance = (await listedDatasetWithRights(ex, { overrides: { domain: 'FINANCE', classification: 'finance.credit', titleEn: 'SME credit indicators', titleZh: '小微企业信用指标' } })).datasetId;
    const transportPlan = await pricePlan(ex, transport, { priceFen: '10000', autoAccept: true });
    const transportPremium = await pricePlan(ex, transport, { priceFen: '25000', autoAccept: true });
    const financePlan = await pricePlan(ex, finance, { priceFen: '7000', autoAccept: true });

    // A foreign buyer cleared for transport data to SG.
    const foreign = await approvedParticipant(ex, { roles: ['BUYER'], jurisdiction: 'SG' });
    await deposit(ex, foreign.token, 100_000n);
    await ex.gql(`mutation { addToPositiveList(destination: "SG", classification: "transport.traffic") { __typename } }`, {}, regulator);
    await provePositiveListMembership(ex, transport, 'SG');
    const requested = await ex.gql(
      `mutation($id: ID!) { requestSecurityAssessment(datasetId: $id, destination: "SG") { ... on SecurityAssessment { id } } }`,
      { id: transport },
      ex.keyOf('provider'),
    );
    await ex.gql(
      `mutation($id: ID!, $until: DateTime!) { decideSecurityAssessment(assessmentId: $id, approve: true, validUntil: $until) { __typename } }`,
      { id: requested.data.requestSecurityAssessment.id, until: new Date(Date.now() + 30 * 86_400_000).toISOString() },
      regulator,
    );

    startedAt = new Date();
    for (const [token, planId] of [
      [buyer, transportPlan],
      [buyer, transportPremium],
      [buyer, financePlan],
      [foreign.token, transportPlan],
    ] as const) {
      expect((await placeOrder(ex, token, planId)).status).toBe('ACCEPTED');
    }
    // A pending order is no trade and is not filed.
    await pricePlan(ex, finance, { priceFen: '3000' }).then((p) => placeOrder(ex, buyer, p));
    finishedAt = new Date(Date.now() + 1);
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const stats = async (variables: Record<string, unknown>, token = regulator) => (await ex.gql(STATS, variables, token)).data.filingStatistics;

  it('counts the trades and their turnover, in total and by domain, grade, territory and cross-border flag', async () => {
    expect(await stats({ groupBy: [] })).toMatchObject({ tradeCount: 4, turnover: { fen: '52000' }, groups: [{ tradeCount: 4, turnover: { fen: '52000' }, domain: null, period: null }] });

    const byDomain = await stats({ groupBy: ['DOMAIN', 'GRADE'] });
    expect(byDomain.groups).toEqual([
      { period: null, domain: 'FINANCE', classification: null, grade: 'L2', territory: null, crossBorder: null, tradeCount: 1, turnover: { fen: '7000' } },
      { period: null, domain: 'TRANSPORT', classification: null, grade: 'L2', territory: null, crossBorder: null, tradeCount: 3, turnover: { fen: '45000' } },
    ]);
    const byBorder = await stats({ groupBy: ['TERRITORY', 'CROSS_BORDER'] });
    expect(byBorder.groups.map((g: any) => [g.territory, g.crossBorder, g.tradeCount, g.turnover.fen])).toEqual([
      ['CN', false, 3, '42000'],
      ['SG', true, 1, '10000'],
    ]);
    const byClassification = await stats({ groupBy: ['CLASSIFICATION'], crossBorder: true });
    expect(byClassification.groups.map((g: any) => [g.classification, g.tradeCount])).toEqual([['transport.traffic', 1]]);

    // The statistics agree with the filed trades the regulator reads one by one.
    const trades = await ex.gql(`{ trades(side: ALL, first: 200) { ... on QueryTradesConnection { edges { node { amount { fen } crossBorder } } } } }`, {}, regulator);
    const all = trades.data.trades.edges.map((e: any) => e.node);
    expect(all).toHaveLength(4);
    expect(all.reduce((s: bigint, t: any) => s + BigInt(t.amount.fen), 0n)).toBe(52_000n);
  });

  it('groups by day, ISO week and month in Shanghai time, and filters by time, domain, grade and territory', async () => {
    const local = shanghai(startedAt);
    expect((await stats({ groupBy: ['PERIOD'], period: 'DAY' })).groups).toEqual([expect.objectContaining({ period: local.day, tradeCount: 4 })]);
    expect((await stats({ groupBy: ['PERIOD'], period: 'WEEK' })).groups).toEqual([expect.objectContaining({ period: local.week, tradeCount: 4 })]);
    expect((await stats({ groupBy: ['PERIOD'] })).groups).toEqual([expect.objectContaining({ period: local.month, tradeCount: 4 })]);

    expect(await stats({ groupBy: [], domain: 'TRANSPORT' })).toMatchObject({ tradeCount: 3, turnover: { fen: '45000' } });
    expect(await stats({ groupBy: [], grade: 'L2', territory: 'SG' })).toMatchObject({ tradeCount: 1, turnover: { fen: '10000' } });
    expect(await stats({ groupBy: [], grade: 'L3' })).toMatchObject({ tradeCount: 0, turnover: { fen: '0' }, groups: [] });
    expect(await stats({ groupBy: [], territory: 'CN' })).toMatchObject({ tradeCount: 3 });
    expect(await stats({ groupBy: [], from: startedAt.toISOString(), to: finishedAt.toISOString() })).toMatchObject({ tradeCount: 4 });
    expect(await stats({ groupBy: [], from: finishedAt.toISOString() })).toMatchObject({ tradeCount: 0, groups: [] });
    expect(await stats({ groupBy: ['DOMAIN'], to: startedAt.toISOString() })).toMatchObject({ tradeCount: 0, groups: [] });
  });

  it('is for regulators and the operator only, and refuses bad input with typed errors', async () => {
    expect(await stats({ groupBy: [] }, ex.keyOf('operator'))).toMatchObject({ tradeCount: 4 });
    expect(await stats({ groupBy: [] }, ex.keyOf('buyer'))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await stats({ groupBy: [] }, ex.keyOf('provider'))).toMatchObject({ code: 'FORBIDDEN' });
    expect((await ex.gql(STATS, { groupBy: [] })).data.filingStatistics).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await stats({ groupBy: [], from: finishedAt.toISOString(), to: startedAt.toISOString() })).toMatchObject({ code: 'INVALID_INPUT', field: 'to' });
    expect(await stats({ groupBy: [], territory: 'Singapore' })).toMatchObject({ code: 'INVALID_INPUT', field: 'territory' });
    expect(await stats({ groupBy: ['DOMAIN', 'DOMAIN'] })).toMatchObject({ code: 'INVALID_INPUT', field: 'groupBy' });
    expect((await ex.gql(STATS, { groupBy: ['COLOUR'] }, regulator)).errors).toBeTruthy();
  });
});
