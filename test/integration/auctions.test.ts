// 竞价 end to end: a provider opens a sealed-bid round, three buyers bid into escrow, nobody
// but each bidder sees an amount until the close, the best bid becomes an accepted order with a
// trade and a licence, and the others get their escrow back.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../server/db/client.ts';
import { balance, deposit, ledgerTotal, listedDatasetWithRights, pricePlan } from '../factories/market.ts';
import { approvedParticipant, latestTrade, type Party } from '../factories/parties.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const BID = `id status purpose amount { fen } buyer { id } order { id status amount { fen } crossBorder }`;
const ROUND = `id status closable closesAt reserve { fen } plan { id } dataset { id } bids { ${BID} } result { bidCount winningAmount { fen } }`;
const OPEN = /* GraphQL */ `
  mutation($plan: ID!, $reserve: BigInt!, $closesAt: DateTime!) { openBidRound(planId: $plan, reserveFen: $reserve, closesAt: $closesAt) {
    __typename ... on BidRound { ${ROUND} } ... on AppError { code field message } } }`;
const BID_MUTATION = /* GraphQL */ `
  mutation($round: ID!, $fen: BigInt!, $purpose: String!, $key: String!) { placeBid(roundId: $round, amountFen: $fen, purpose: $purpose, idempotencyKey: $key) {
    __typename ... on Bid { ${BID} } ... on AppError { code field message } } }`;
const WITHDRAW = /* GraphQL */ `
  mutation($id: ID!) { withdrawBid(bidId: $id) { __typename ... on Bid { ${BID} } ... on AppError { code field message } } }`;
const CLOSE = /* GraphQL */ `
  mutation($id: ID!) { closeBidRound(roundId: $id) { __typename ... on BidRound { ${ROUND} } ... on AppError { code field message } } }`;
const ROUND_NODE = /* GraphQL */ `query($id: ID!) { node(id: $id) { ... on BidRound { ${ROUND} } } }`;
const BID_NODE = /* GraphQL */ `query($id: ID!) { node(id: $id) { __typename ... on Bid { amount { fen } } } }`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(await databaseTargets())('sealed-bid rounds (竞价) on %s', (database) => {
  let ex: TestExchange;
  let provider: string;
  let a: Party;
  let b: Party;
  let c: Party;
  let plan: string;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    provider = ex.keyOf('provider');
    [a, b, c] = [
      { id: '', token: ex.keyOf('buyer') },
      await approvedParticipant(ex, { roles: ['BUYER'] }),
      await approvedParticipant(ex, { roles: ['BUYER'] }),
    ];
    a.id = (await ex.gql(`{ me { ... on Participant { id } } }`, {}, a.token)).data.me.id;
    for (const p of [a, b, c]) await deposit(ex, p.token, 200_000n);
    const { datasetId } = await listedDatasetWithRights(ex);
    plan = await pricePlan(ex, datasetId, { priceFen: '10000', access: 'DELIVERY' });
  });
  afterAll(async () => {
    expect(await ledgerTotal(ex)).toEqual({ total: 0n, negative: 0 });
    await ex?.stop();
  });

  const count = async (table: string) => Number(rowsOf(await ex.built.services.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);
  const bid = (p: Party, round: string, fen: string | number, key = `bid-${randomUUID()}`, purpose = 'URBAN_PLANNING') =>
    ex.gql(BID_MUTATION, { round, fen: String(fen), purpose, key }, p.token).then((r) => r.data.placeBid);
  const open = async (seconds: number, reserve = '20000', planId = plan) =>
    (await ex.gql(OPEN, { plan: planId, reserve, closesAt: new Date(Date.now() + seconds * 1000).toISOString() }, provider)).data.openBidRound;

  it('hides the amounts until the close; the best bid wins a trade and a licence; the others get their escrow back', async () => {
    const round = await open(10);
    expect(round).toMatchObject({ __typename: 'BidRound', status: 'OPEN', closable: false, reserve: { fen: '20000' }, plan: { id: plan }, bids: [], result: null });
    const start = { a: await balance(ex, a.token), b: await balance(ex, b.token), c: await balance(ex, c.token) };

    const bidA = await bid(a, round.id, 30_000);
    const keyB = `bid-${randomUUID()}`;
    const bidB = await bid(b, round.id, 45_000, keyB);
    const bidC = await bid(c, round.id, 45_000);
    for (const x of [bidA, bidB, bidC]) expect(x).toMatchObject({ __typename: 'Bid', status: 'SEALED', order: null });
    // The same request twice is one bid, and one escrow.
    expect((await bid(b, round.id, 45_000, keyB)).id).toBe(bidB.id);
    expect(await bid(b, round.id, 46_000, keyB)).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    expect(await bid(b, round.id, 46_000)).toMatchObject({ code: 'INVALID_STATE' });
    expect(await balance(ex, b.token)).toEqual({ available: start.b.available - 45_000n, escrow: start.b.escrow + 45_000n });

    // Sealed: the provider and the other buyers see no amount; each bidder sees its own.
    const asProvider = (await ex.gql(ROUND_NODE, { id: round.id }, provider)).data.node;
    expect(asProvider).toMatchObject({ bids: [], result: null });
    const asA = (await ex.gql(ROUND_NODE, { id: round.id }, a.token)).data.node;
    expect(asA.bids).toEqual([expect.objectContaining({ id: bidA.id, amount: { fen: '30000' } })]);
    expect((await ex.gql(BID_NODE, { id: bidB.id }, provider)).data.node).toBeNull();
    expect((await ex.gql(BID_NODE, { id: bidB.id }, a.token)).data.node).toBeNull();
    expect((await ex.gql(BID_NODE, { id: bidB.id }, ex.keyOf('regulator'))).data.node).toBeNull();
    expect((await ex.gql(BID_NODE, { id: bidB.id }, b.token)).data.node).toEqual({ __typename: 'Bid', amount: { fen: '45000' } });

    expect((await ex.gql(CLOSE, { id: round.id }, a.token)).data.closeBidRound).toMatchObject({ code: 'INVALID_STATE' });
    await sleep(Math.max(0, new Date(round.closesAt).getTime() - Date.now()) + 100);
    expect((await ex.gql(ROUND_NODE, { id: round.id }, a.token)).data.node).toMatchObject({ status: 'OPEN', closable: true, result: null });
    expect(await bid(a, round.id, 99_000)).toMatchObject({ code: 'INVALID_STATE', field: 'roundId' });

    // Anyone signed in closes it; ties go to the earliest bid.
    const closed = (await ex.gql(CLOSE, { id: round.id }, a.token)).data.closeBidRound;
    expect(closed).toMatchObject({ status: 'CLOSED', closable: false, result: { bidCount: 3, winningAmount: { fen: '45000' } } });
    expect(closed.bids).toEqual([expect.objectContaining({ id: bidA.id, status: 'LOST' })]);
    expect((await ex.gql(CLOSE, { id: round.id }, a.token)).data.closeBidRound).toMatchObject({ code: 'INVALID_STATE' });

    const won = (await ex.gql(ROUND_NODE, { id: round.id }, b.token)).data.node.bids;
    expect(won).toEqual([expect.objectContaining({ id: bidB.id, status: 'WON', order: { id: expect.any(String), status: 'ACCEPTED', amount: { fen: '45000' }, crossBorder: false } })]);
    const { tradeId, licenceId } = await latestTrade(ex, b.token);
    const trade = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Trade { amount { fen } planKind } } }`, { id: tradeId }, b.token);
    expect(trade.data.node).toEqual({ amount: { fen: '45000' }, planKind: 'FIXED' });
    const licence = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Licence { status access } } }`, { id: licenceId }, b.token);
    expect(licence.data.node).toEqual({ status: 'ACTIVE', access: 'DELIVERY' });

    // The winner's price stays in escrow for clearing; the losers have theirs back.
    expect(await balance(ex, b.token)).toEqual({ available: start.b.available - 45_000n, escrow: start.b.escrow + 45_000n });
    expect(await balance(ex, a.token)).toEqual(start.a);
    expect(await balance(ex, c.token)).toEqual(start.c);

    // After the close the provider sees every bid.
    const revealed = (await ex.gql(ROUND_NODE, { id: round.id }, provider)).data.node.bids;
    expect(revealed.map((x: any) => [x.amount.fen, x.status])).toEqual([
      ['45000', 'WON'],
      ['45000', 'LOST'],
      ['30000', 'LOST'],
    ]);
    expect((await ex.gql(BID_NODE, { id: bidC.id }, provider)).data.node).toEqual({ __typename: 'Bid', amount: { fen: '45000' } });
    expect((await ex.gql(BID_NODE, { id: bidC.id }, a.token)).data.node).toBeNull();
  });

  it('lets a bidder withdraw before the close, and a scheduler tick closes a round nobody won', async () => {
    const round = await open(4);
    const start = await balance(ex, a.token);
    const mine = await bid(a, round.id, 25_000);
    expect((await ex.gql(WITHDRAW, { id: mine.id }, c.token)).data.withdrawBid).toMatchObject({ code: 'NOT_FOUND' });
    expect((await ex.gql(WITHDRAW, { id: mine.id }, a.token)).data.withdrawBid).toMatchObject({ status: 'WITHDRAWN' });
    expect((await ex.gql(WITHDRAW, { id: mine.id }, a.token)).data.withdrawBid).toMatchObject({ code: 'INVALID_STATE' });
    expect(await balance(ex, a.token)).toEqual(start);
    await sleep(Math.max(0, new Date(round.closesAt).getTime() - Date.now()) + 100);
    // The closer npm start and npm run worker run on a timer, one pass of it.
    const outcomes = await ex.built.services.auctions.runOnce();
    expect(outcomes.map((o) => [o.round.status, o.winner])).toEqual([['closed', null]]);
    expect((await ex.gql(ROUND_NODE, { id: round.id }, a.token)).data.node).toMatchObject({ status: 'CLOSED', result: { bidCount: 0, winningAmount: null } });
  });

  it('refuses bad rounds and bad bids with typed errors, changing nothing', async () => {
    const rounds = await count('bid_rounds');
    const inPast = (await ex.gql(OPEN, { plan, reserve: '100', closesAt: new Date(Date.now() - 1000).toISOString() }, provider)).data.openBidRound;
    expect(inPast).toMatchObject({ code: 'INVALID_INPUT', field: 'closesAt' });
    expect(await open(60, '0')).toMatchObject({ code: 'INVALID_INPUT', field: 'reserveFen' });
    expect(await open(60, '100', '00000000-0000-4000-8000-000000000000')).toMatchObject({ code: 'NOT_FOUND', field: 'planId' });
    expect(await open(60, '100', 'garbage')).toMatchObject({ code: 'NOT_FOUND' });
    const { datasetId } = await listedDatasetWithRights(ex);
    const perQuery = await pricePlan(ex, datasetId, { kind: 'PER_QUERY', priceFen: '10' });
    expect(await open(60, '100', perQuery)).toMatchObject({ code: 'INVALID_INPUT', field: 'planId' });
    expect((await ex.gql(OPEN, { plan, reserve: '100', closesAt: new Date(Date.now() + 60_000).toISOString() }, a.token)).data.openBidRound).toMatchObject({ code: 'FORBIDDEN' });
    expect(await count('bid_rounds')).toBe(rounds);

    const round = await open(60);
    const bids = await count('bids');
    const funds = await balance(ex, a.token);
    expect(await bid(a, round.id, 19_999)).toMatchObject({ code: 'INVALID_INPUT', field: 'amountFen' });
    expect(await bid(a, round.id, 0)).toMatchObject({ code: 'INVALID_INPUT', field: 'amountFen' });
    expect(await bid(a, round.id, 30_000, undefined, 'MODEL_TRAINING')).toMatchObject({ code: 'LICENCE_TERMS', field: 'purpose' });
    expect(await bid(a, round.id, 30_000, undefined, 'NOT_A_PURPOSE')).toMatchObject({ code: 'INVALID_INPUT', field: 'purpose' });
    expect(await bid(a, round.id, 30_000, 'short')).toMatchObject({ code: 'INVALID_INPUT', field: 'idempotencyKey' });
    expect(await bid(a, round.id, 9_000_000)).toMatchObject({ code: 'INSUFFICIENT_FUNDS' });
    expect(await bid({ id: '', token: provider }, round.id, 30_000)).toMatchObject({ code: 'FORBIDDEN' });
    expect(await bid(a, Buffer.from('BidRound:00000000-0000-4000-8000-000000000000').toString('base64'), 30_000)).toMatchObject({ code: 'NOT_FOUND' });
    // Cross-border rules apply to bids too.
    const foreign = await approvedParticipant(ex, { roles: ['BUYER'], jurisdiction: 'SG' });
    await deposit(ex, foreign.token, 100_000n);
    expect(await bid(foreign, round.id, 30_000)).toMatchObject({ code: 'CROSS_BORDER_DENIED' });
    expect((await ex.gql(BID_MUTATION, { round: round.id, fen: '30000', purpose: 'URBAN_PLANNING', key: 'anonymous-key' })).data.placeBid).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await count('bids')).toBe(bids);
    expect(await balance(ex, a.token)).toEqual(funds);
    expect(await balance(ex, foreign.token)).toEqual({ available: 100_000n, escrow: 0n });

    const listed = await ex.gql(`{ bidRounds(status: OPEN) { ... on QueryBidRoundsSuccess { data { id } } } }`, {}, c.token);
    expect(listed.data.bidRounds.data.map((r: any) => r.id)).toContain(round.id);
  });
});
