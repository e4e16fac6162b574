// 争议 · 违约鉴定 end to end: a party opens a dispute on a trade, the exchange assembles the
// evidence from its records, an arbiter rules, the remedy takes effect or waits for clearing,
// and every step is anchored on chain.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disputes } from '../../server/db/schema.ts';
import { authenticateApiKey } from '../../server/domain/participants/authenticate-api-key.ts';
import { useLicence } from '../../server/domain/trading/use-licence.ts';
import { balance, deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { approvedParticipant, latestTrade, rawId, type Party } from '../factories/parties.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const ANCHOR = 'status kind recordId verifiesOnChain';
const DISPUTE = `id status claim breach remedy remedyAmount { fen } remedyCleared ruling ruledAt
  openedBy { id } respondent { id } arbiter { id } trade { id }
  openingAnchor { ${ANCHOR} } rulingAnchor { ${ANCHOR} } withdrawalAnchor { ${ANCHOR} }
  evidence { assembledAt hash trade order licence
    usage { total truncated byKind { kind count } records { id kind at amount { fen } } }
    tradeFiling { ${ANCHOR} }
    listingDecisions { action toStatus anchor { ${ANCHOR} } } }`;
const OPEN = /* GraphQL */ `
  mutation($trade: ID!, $claim: String!) { openDispute(tradeId: $trade, claim: $claim) {
    __typename ... on Dispute { ${DISPUTE} } ... on AppError { code field message } } }`;
const RULE = /* GraphQL */ `
  mutation($id: ID!, $breach: Boolean!, $remedy: DisputeRemedy!, $fen: BigInt, $ruling: String!) {
    ruleDispute(disputeId: $id, breach: $breach, remedy: $remedy, remedyFen: $fen, ruling: $ruling) {
      __typename ... on Dispute { ${DISPUTE} } ... on AppError { code field message } } }`;
const REFRESH = /* GraphQL */ `
  mutation($id: ID!) { refreshDisputeEvidence(disputeId: $id) { __typename ... on Dispute { ${DISPUTE} } ... on AppError { code field message } } }`;
const WITHDRAW = /* GraphQL */ `
  mutation($id: ID!) { withdrawDispute(disputeId: $id) { __typename ... on Dispute { ${DISPUTE} } ... on AppError { code field message } } }`;
const NODE = /* GraphQL */ `query($id: ID!) { node(id: $id) { __typename ... on Dispute { ${DISPUTE} } } }`;

describe.each(await databaseTargets())('disputes (争议 · 违约鉴定) on %s', (database) => {
  let ex: TestExchange;
  let buyer: string;
  let provider: string;
  let arbiter: Party;
  let outsider: Party;
  let plan: string;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    buyer = ex.keyOf('buyer');
    provider = ex.keyOf('provider');
    arbiter = await approvedParticipant(ex, { roles: ['ARBITER'], name: '数据交易仲裁委员会 Data Arbitration Panel' });
    outsider = await approvedParticipant(ex, { roles: ['BUYER'] });
    const { datasetId } = await listedDatasetWithRights(ex);
    plan = await pricePlan(ex, datasetId, { priceFen: '50000', access: 'QUERY_ONLY', autoAccept: true });
    await deposit(ex, buyer, 1_000_000n);
  });
  afterAll(async () => {
    await ex?.stop();
  });

  /** A fresh trade of the seeded buyer, with `uses` metered queries on its licence. */
  async function trade(uses = 0): Promise<{ tradeId: string; licenceId: string; usageRefs: string[] }> {
    const order = await placeOrder(ex, buyer, plan);
    expect(order.status).toBe('ACCEPTED');
    const { tradeId, licenceId } = await latestTrade(ex, buyer);
    const viewer = await authenticateApiKey({ db: ex.built.services.db, token: buyer });
    const usageRefs: string[] = [];
    for (let i = 0; i < uses; i++) {
      const usageRef = `query:secret-question-${randomUUID()}`;
      await ex.built.services.db.transaction((tx) => useLicence(tx, viewer, { licenceId: rawId(licenceId), use: 'query', usageRef, kind: 'group_aggregate' }));
      usageRefs.push(usageRef);
    }
    return { tradeId, licenceId, usageRefs };
  }

  it('opens a dispute by the buyer with an evidence bundle: the trade, its licence and usage, and the anchored filing', async () => {
    const { tradeId, usageRefs } = await trade(2);
    const opened = (await ex.gql(OPEN, { trade: tradeId, claim: '数据与描述不符 the data does not match its description' }, buyer)).data.openDispute;
    expect(opened).toMatchObject({
      __typename: 'Dispute',
      status: 'OPEN',
      breach: null,
      remedy: null,
      trade: { id: tradeId },
      openingAnchor: { status: 'PENDING', kind: 'disputes.opened' },
      rulingAnchor: null,
    });
    const provId = (await ex.gql(`{ me { ... on Participant { id } } }`, {}, provider)).data.me.id;
    expect(opened.respondent.id).toBe(provId);
    const evidence = opened.evidence;
    expect(evidence.trade).toMatchObject({ id: rawId(tradeId), amountFen: '50000', crossBorder: false, domain: 'transport', grade: 'L2' });
    expect(evidence.order).toMatchObject({ status: 'accepted', amountFen: '50000' });
    expect(evidence.order.idempotencyKey).toBeUndefined();
    expect(evidence.licence).toMatchObject({ status: 'active', queriesUsed: 2, access: 'query_only' });
    expect(evidence.usage).toMatchObject({ total: 2, truncated: false, byKind: [{ kind: 'group_aggregate', count: 2 }] });
    expect(evidence.usage.records).toHaveLength(2);
    // Ids, kinds and times — never what a query asked.
    for (const ref of usageRefs) expect(JSON.stringify(evidence)).not.toContain(ref);
    expect(evidence.tradeFiling).toMatchObject({ kind: 'trading.trade-filing', recordId: rawId(tradeId), status: 'PENDING' });
    expect(evidence.listingDecisions).toEqual([expect.objectContaining({ action: 'approve', toStatus: 'listed', anchor: expect.objectContaining({ kind: 'catalog.listing-decision' }) })]);

    // One open dispute per party and trade; outsiders do not learn the trade exists.
    expect((await ex.gql(OPEN, { trade: tradeId, claim: 'again' }, buyer)).data.openDispute).toMatchObject({ code: 'INVALID_STATE' });
    expect((await ex.gql(OPEN, { trade: tradeId, claim: 'not mine' }, outsider.token)).data.openDispute).toMatchObject({ code: 'NOT_FOUND' });
    expect((await ex.gql(OPEN, { trade: tradeId, claim: 'supervising' }, ex.keyOf('regulator'))).data.openDispute).toMatchObject({ code: 'FORBIDDEN' });
    expect((await ex.gql(OPEN, { trade: tradeId, claim: '' }, buyer)).data.openDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'claim' });
    expect((await ex.gql(NODE, { id: opened.id }, outsider.token)).data.node).toBeNull();

    // Once anchored, a refresh carries the filing's proof, which verifies against the chain.
    await ex.built.services.anchoring.runOnce();
    const refreshed = (await ex.gql(REFRESH, { id: opened.id }, arbiter.token)).data.refreshDisputeEvidence;
    expect(refreshed.evidence.tradeFiling).toMatchObject({ status: 'ANCHORED', verifiesOnChain: true });
    expect(refreshed.evidence.listingDecisions[0].anchor).toMatchObject({ status: 'ANCHORED', verifiesOnChain: true });
    expect(refreshed.openingAnchor).toMatchObject({ status: 'ANCHORED', verifiesOnChain: true });
    expect(new Date(refreshed.evidence.assembledAt) >= new Date(evidence.assembledAt)).toBe(true);
    expect((await ex.gql(REFRESH, { id: opened.id }, outsider.token)).data.refreshDisputeEvidence).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets only an arbiter rule; a licence revocation takes effect at once; a ruled dispute is closed', async () => {
    const { tradeId, licenceId } = await trade(1);
    const opened = (await ex.gql(OPEN, { trade: tradeId, claim: '超出许可用途使用 use beyond the licensed purpose' }, provider)).data.openDispute;
    expect(opened.status).toBe('OPEN');
    const ruling = { id: opened.id, breach: true, remedy: 'LICENCE_REVOCATION', ruling: '买方超范围使用，撤销许可' };

    for (const token of [buyer, provider, ex.keyOf('regulator'), ex.keyOf('operator')]) {
      expect((await ex.gql(RULE, ruling, token)).data.ruleDispute).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await ex.gql(RULE, ruling)).data.ruleDispute).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await ex.gql(RULE, { ...ruling, breach: false }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'remedy' });
    // Money remedies are owed by a provider in breach; this dispute is against the buyer.
    expect((await ex.gql(RULE, { ...ruling, remedy: 'PENALTY', fen: '100' }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'remedy' });
    expect((await ex.gql(RULE, { ...ruling, fen: '100' }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'remedyFen' });
    expect((await ex.gql(RULE, { ...ruling, ruling: '' }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'ruling' });
    expect((await ex.gql(NODE, { id: opened.id }, arbiter.token)).data.node).toMatchObject({ status: 'OPEN', arbiter: null });

    const ruled = (await ex.gql(RULE, ruling, arbiter.token)).data.ruleDispute;
    expect(ruled).toMatchObject({ status: 'RULED', breach: true, remedy: 'LICENCE_REVOCATION', remedyAmount: null, arbiter: { id: arbiter.id }, rulingAnchor: { status: 'PENDING' } });
    const licence = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Licence { status statusReason } } }`, { id: licenceId }, buyer);
    expect(licence.data.node.status).toBe('REVOKED');
    const viewer = await authenticateApiKey({ db: ex.built.services.db, token: buyer });
    await expect(
      ex.built.services.db.transaction((tx) => useLicence(tx, viewer, { licenceId: rawId(licenceId), use: 'query', usageRef: `query:${randomUUID()}`, kind: 'group_aggregate' })),
    ).rejects.toMatchObject({ code: 'LICENCE_TERMS' });

    expect((await ex.gql(RULE, { ...ruling, remedy: 'NONE', breach: false }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_STATE' });
    expect((await ex.gql(REFRESH, { id: opened.id }, provider)).data.refreshDisputeEvidence).toMatchObject({ code: 'INVALID_STATE' });
    expect((await ex.gql(WITHDRAW, { id: opened.id }, provider)).data.withdrawDispute).toMatchObject({ code: 'INVALID_STATE' });

    await ex.built.services.anchoring.runOnce();
    const after = (await ex.gql(NODE, { id: opened.id }, ex.keyOf('regulator'))).data.node;
    expect(after.rulingAnchor).toMatchObject({ status: 'ANCHORED', kind: 'disputes.ruling', verifiesOnChain: true });
    expect(after.openingAnchor).toMatchObject({ status: 'ANCHORED', verifiesOnChain: true });
  });

  it('leaves a refund for the next clearing cycle, at most the trade amount', async () => {
    const { tradeId } = await trade();
    const opened = (await ex.gql(OPEN, { trade: tradeId, claim: '数据缺失 rows are missing' }, buyer)).data.openDispute;
    const funds = await balance(ex, buyer);
    const refund = { id: opened.id, breach: true, remedy: 'REFUND', ruling: '卖方违约，部分退款' };
    expect((await ex.gql(RULE, { ...refund, fen: '50001' }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'remedyFen' });
    expect((await ex.gql(RULE, { ...refund }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'remedyFen' });
    expect((await ex.gql(RULE, { ...refund, fen: '-5' }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_INPUT', field: 'remedyFen' });
    const ruled = (await ex.gql(RULE, { ...refund, fen: '20000' }, arbiter.token)).data.ruleDispute;
    expect(ruled).toMatchObject({ status: 'RULED', remedy: 'REFUND', remedyAmount: { fen: '20000' }, remedyCleared: false });
    // Nothing moves at the ruling: the clearing cycle posts it.
    expect(await balance(ex, buyer)).toEqual(funds);
    const [row] = await ex.built.services.db.select().from(disputes).where(eq(disputes.id, rawId(opened.id)));
    expect(row).toMatchObject({ status: 'ruled', remedy: 'refund', remedyFen: 20_000n, remedyCycleId: null });
    expect(row!.ruledAt).toBeInstanceOf(Date);

    // The operator's next cycle pays it from the provider to the buyer.
    const run = await ex.gql(`mutation { runClearingCycle { __typename ... on AppError { code message } } }`, {}, ex.keyOf('operator'));
    expect(run.data.runClearingCycle.__typename).toBe('ClearingRun');
    expect((await ex.gql(NODE, { id: opened.id }, buyer)).data.node).toMatchObject({ remedyCleared: true });
    expect((await balance(ex, buyer)).available).toBe(funds.available + 20_000n);
  });

  it('lets the party that opened a dispute withdraw it while open, and no one else', async () => {
    const { tradeId } = await trade();
    const opened = (await ex.gql(OPEN, { trade: tradeId, claim: '延迟交付 late delivery' }, buyer)).data.openDispute;
    expect((await ex.gql(WITHDRAW, { id: opened.id }, provider)).data.withdrawDispute).toMatchObject({ code: 'FORBIDDEN' });
    expect((await ex.gql(WITHDRAW, { id: opened.id }, outsider.token)).data.withdrawDispute).toMatchObject({ code: 'NOT_FOUND' });
    const withdrawn = (await ex.gql(WITHDRAW, { id: opened.id }, buyer)).data.withdrawDispute;
    expect(withdrawn).toMatchObject({ status: 'WITHDRAWN', withdrawalAnchor: { status: 'PENDING', kind: 'disputes.withdrawn' } });
    expect((await ex.gql(RULE, { id: opened.id, breach: false, remedy: 'NONE', ruling: 'moot' }, arbiter.token)).data.ruleDispute).toMatchObject({ code: 'INVALID_STATE' });
    expect((await ex.gql(WITHDRAW, { id: opened.id }, buyer)).data.withdrawDispute).toMatchObject({ code: 'INVALID_STATE' });
    // A new dispute on the same trade may be opened once the first is closed.
    expect((await ex.gql(OPEN, { trade: tradeId, claim: '再次申请 again' }, buyer)).data.openDispute.status).toBe('OPEN');

    const mine = await ex.gql(`{ disputes(scope: MINE) { ... on QueryDisputesConnection { edges { node { id status } } } } }`, {}, buyer);
    expect(mine.data.disputes.edges.map((e: any) => e.node.id)).toContain(opened.id);
    const all = await ex.gql(`{ disputes(scope: ALL, status: WITHDRAWN) { ... on QueryDisputesConnection { edges { node { id } } } ... on AppError { code } } }`, {}, arbiter.token);
    expect(all.data.disputes.edges.map((e: any) => e.node.id)).toEqual([opened.id]);
    expect((await ex.gql(`{ disputes(scope: ALL) { ... on AppError { code } } }`, {}, buyer)).data.disputes).toMatchObject({ code: 'FORBIDDEN' });
  });
});
