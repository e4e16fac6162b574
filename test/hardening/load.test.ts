// Load: 1,000 orders at once through the GraphQL endpoint on real PostgreSQL — 100 buyers (some
// short of funds) on 50 datasets of five providers, with duplicate requests, wrong purposes,
// providers deciding and buyers cancelling the same pending orders. Afterwards the books must
// be straight: no negative balance, a ledger that sums to zero, one trade and one licence per
// accepted order, a typed reason for every refusal; and again after a clearing cycle.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../server/db/client.ts';
import { ERROR_CODES } from '../../server/domain/errors.ts';
import { deposit, PLACE_ORDER } from '../factories/market.ts';
import { listedDatasetOf, planOf, verifiedParticipant, type TestParticipant } from '../factories/participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { postgresReachable } from '../support/databases.ts';
import { expectBooksStraight, expectEveryAcceptedOrderTradedOnce } from './support/books.ts';

const PROVIDERS = 5;
const DATASETS_PER_PROVIDER = 10;
const BUYERS = 100;
const ORDERS_PER_BUYER = 10;
/** Buyers from this index on get less than their orders cost, so some orders must be refused. */
const FIRST_SHORT_BUYER = 80;
const SHORT_DEPOSIT_FEN = 9_000n;
/** Every n-th order asks for a purpose its plan does not licence. */
const WRONG_PURPOSE_EVERY = 37;
/** Every n-th order is sent twice at once with the same idempotency key. */
const DUPLICATE_EVERY = 20;

interface Listing {
  planId: string;
  priceFen: bigint;
  autoAccept: boolean;
  provider: TestParticipant;
}

interface OrderAttempt {
  buyer: number;
  key: string;
  listing: Listing;
  purpose: string;
}

type PlaceOrderResult =
  | { __typename: 'Order'; id: string; status: string; amount: { fen: string } }
  | { __typename: 'AppError'; code: string; field: string | null; message: string };

/** A small deterministic generator, so a failure replays the same mix of orders. */
function seededRandom(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) % 2 ** 31), x / 2 ** 31);
}

const reachable = await postgresReachable();

describe.skipIf(!reachable)(`1,000 concurrent orders on PostgreSQL${reachable ? '' : ' (skipped: no PostgreSQL answers on 127.0.0.1:5432)'}`, () => {
  let ex: TestExchange;
  let buyers: TestParticipant[];
  let listings: Listing[];
  const deposits = new Map<string, bigint>();

  const query = (sqlText: ReturnType<typeof sql>) => ex.built.services.db.execute(sqlText).then(rowsOf);

  beforeAll(async () => {
    ex = await startTestExchange({ database: 'postgres' });
    const providers = await inBatches(PROVIDERS, PROVIDERS, () => verifiedParticipant(ex, { roles: ['PROVIDER'] }));
    // Each provider lists its datasets one after another; the providers work side by side.
    const perProvider = await Promise.all(
      providers.map(async (provider, p) => {
        const mine: Listing[] = [];
        for (let d = 0; d < DATASETS_PER_PROVIDER; d++) {
          const datasetId = await listedDatasetOf(ex, provider);
          const priceFen = BigInt(1_000 + 500 * ((p * DATASETS_PER_PROVIDER + d) % 9));
          // A third of the plans wait for the provider's decision.
          const autoAccept = d % 3 !== 0;
          mine.push({ planId: await planOf(ex, provider.token, datasetId, { priceFen: String(priceFen), autoAccept }), priceFen, autoAccept, provider });
        }
        return mine;
      }),
    );
    listings = perProvider.flat();
    buyers = await inBatches(BUYERS, 10, () => verifiedParticipant(ex, { roles: ['BUYER'] }));
    const mostExpensive = listings.reduce((max, l) => (l.priceFen > max ? l.priceFen : max), 0n);
    await inBatches(BUYERS, 10, async (b) => {
      const amount = b < FIRST_SHORT_BUYER ? mostExpensive * BigInt(ORDERS_PER_BUYER) : SHORT_DEPOSIT_FEN;
      const funded = await deposit(ex, buyers[b]!.token, amount, `load-deposit-${b}`);
      expect(funded.__typename, JSON.stringify(funded)).toBe('FundsMovement');
      deposits.set(buyers[b]!.rawId, amount);
    });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it('keeps the books straight and refuses only with typed reasons', async () => {
    const random = seededRandom(9);
    const attempts: OrderAttempt[] = [];
    for (let b = 0; b < BUYERS; b++) {
      for (let o = 0; o < ORDERS_PER_BUYER; o++) {
        const n = attempts.length;
        attempts.push({
          buyer: b,
          key: `load-order-${b}-${o}`,
          listing: listings[Math.floor(random() * listings.length)]!,
          purpose: n % WRONG_PURPOSE_EVERY === WRONG_PURPOSE_EVERY - 1 ? 'MODEL_TRAINING' : 'URBAN_PLANNING',
        });
      }
    }

    // Everything at once: each order, a duplicate of every twentieth, and for an order on a
    // manual plan the provider's decision racing the buyer's cancellation.
    const decisions: Promise<string>[] = [];
    const results = await Promise.all(
      attempts.map(async (attempt, n) => {
        const send = () => placeOrderRaw(ex, buyers[attempt.buyer]!.token, attempt);
        const [result, duplicate] = await Promise.all([send(), n % DUPLICATE_EVERY === 0 ? send() : Promise.resolve(null)]);
        if (result.__typename === 'Order' && result.status === 'PENDING') decisions.push(...decidePending(ex, result.id, attempt, buyers[attempt.buyer]!.token, n));
        return { attempt, result, duplicate };
      }),
    );
    const decided = await Promise.all(decisions);

    // Every answer is an order or a typed refusal with a known code.
    const refusals = results.filter((r) => r.result.__typename === 'AppError');
    for (const { result } of refusals) expect(Object.keys(ERROR_CODES)).toContain((result as { code: string }).code);
    // Refusals are what the test provoked and nothing else.
    for (const { attempt, result } of refusals) {
      const code = (result as { code: string }).code;
      if (attempt.purpose === 'MODEL_TRAINING') expect(code).toBe('LICENCE_TERMS');
      else expect({ code, short: attempt.buyer >= FIRST_SHORT_BUYER }).toEqual({ code: 'INSUFFICIENT_FUNDS', short: true });
    }
    expect(refusals.filter((r) => (r.result as { code: string }).code === 'INSUFFICIENT_FUNDS').length).toBeGreaterThan(0);
    // A duplicate request is the same order, never a second one. (A refused request records
    // nothing, so its twin may still succeed once a cancellation has freed funds.)
    const orderIdsByKey = new Map<string, Set<string>>();
    for (const { attempt, result, duplicate } of results) {
      const ids = [result, duplicate].filter((r): r is Extract<PlaceOrderResult, { __typename: 'Order' }> => r?.__typename === 'Order').map((r) => r.id);
      if (ids.length > 0) orderIdsByKey.set(attempt.key, new Set(ids));
    }
    for (const ids of orderIdsByKey.values()) expect(ids.size).toBe(1);
    // Each race between a provider's decision and a buyer's cancellation has exactly one
    // winner; the loser is told INVALID_STATE.
    for (let i = 0; i < decided.length; i += 2) {
      const outcomes = [decided[i]!, decided[i + 1]!];
      expect(outcomes.filter((o) => o !== 'INVALID_STATE'), JSON.stringify(outcomes)).toHaveLength(1);
      expect(['ACCEPTED', 'REJECTED', 'CANCELLED']).toContain(outcomes.find((o) => o !== 'INVALID_STATE'));
    }

    // The database holds one order per request that was answered with an order; a provider's
    // rejection carries its reason.
    const [placed] = await query(sql`
      select count(*)::int as n, count(*) filter (where status = 'rejected' and coalesce(reason, '') = '')::int as unexplained
      from orders where idempotency_key like 'load-order-%'`);
    expect(placed).toEqual({ n: orderIdsByKey.size, unexplained: 0 });
    const accepted = await expectEveryAcceptedOrderTradedOnce(ex.built.services.db);
    expect(accepted).toBeGreaterThan(500);
    const byCode = new Map<string, number>();
    for (const r of refusals) byCode.set((r.result as { code: string }).code, (byCode.get((r.result as { code: string }).code) ?? 0) + 1);
    console.info(`[load] ${results.length + results.filter((r) => r.duplicate).length} requests, ${orderIdsByKey.size} orders, ${accepted} accepted; refused: ${[...byCode].map(([c, n]) => `${c} ${n}`).join(', ')}; ${decided.length / 2} provider decisions`);
    await expectBooksStraight(ex.built.services.db);
    await expectBalancesFollowOrders();

    // A clearing cycle pays the providers out of escrow; the books stay straight.
    await ex.built.services.clearing.runOnce();
    await expectBooksStraight(ex.built.services.db);
    const [cleared] = await query(sql`
      select (select count(*)::int from trades where cycle_id is null) as uncleared,
             (select coalesce(sum(balance_fen), 0)::text from ledger_accounts where kind = 'escrow' and owner_id in ${[...deposits.keys()]}) as buyer_escrow,
             (select coalesce(sum(amount_fen), 0)::text from orders where status = 'pending' and buyer_id in ${[...deposits.keys()]}) as pending_fen`);
    expect(cleared).toMatchObject({ uncleared: 0 });
    expect(cleared!.buyer_escrow).toBe(cleared!.pending_fen);
  });

  /** Each buyer's available and escrow balances are exactly its deposit less its live orders. */
  async function expectBalancesFollowOrders(): Promise<void> {
    const rows = await query(sql`
      select p.id,
        coalesce((select balance_fen from ledger_accounts a where a.owner_id = p.id and a.kind = 'available'), 0)::text as available,
        coalesce((select balance_fen from ledger_accounts a where a.owner_id = p.id and a.kind = 'escrow'), 0)::text as escrow,
        coalesce((select sum(amount_fen) from orders o where o.buyer_id = p.id and o.status in ('pending', 'accepted')), 0)::text as committed
      from participants p where p.id in ${[...deposits.keys()]}`);
    expect(rows).toHaveLength(BUYERS);
    for (const r of rows) {
      const committed = BigInt(r.committed as string);
      expect({ available: BigInt(r.available as string), escrow: BigInt(r.escrow as string) }).toEqual({
        available: deposits.get(r.id as string)! - committed,
        escrow: committed,
      });
    }
  }
});

async function placeOrderRaw(ex: TestExchange, token: string, attempt: OrderAttempt): Promise<PlaceOrderResult> {
  const res = await fetch(`${ex.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: PLACE_ORDER, variables: { plan: attempt.listing.planId, purpose: attempt.purpose, key: attempt.key } }),
  });
  const body = (await res.json()) as { data?: { placeOrder: PlaceOrderResult }; errors?: unknown };
  // An untyped error or a 500 is a failure of the exchange, whatever the load.
  expect({ status: res.status, errors: body.errors }).toEqual({ status: 200, errors: undefined });
  return body.data!.placeOrder;
}

/**
 * For a pending order: the provider accepts it (or rejects every fifth, with a reason) while
 * the buyer cancels every fourth at the same moment. Returns the two outcomes (a status or an
 * error code); a decision nobody races is paired with a placeholder that cannot win.
 */
function decidePending(ex: TestExchange, orderId: string, attempt: OrderAttempt, buyerToken: string, n: number): Promise<string>[] {
  const outcome = (field: string) => (r: { data: Record<string, { __typename: string; code?: string; status?: string; order?: { status: string } }> }) => {
    const v = r.data[field]!;
    return v.__typename === 'AppError' ? v.code! : (v.order?.status ?? v.status!);
  };
  const provider = attempt.listing.provider.token;
  const decision =
    n % 5 === 0
      ? ex.gql(`mutation($id: ID!) { rejectOrder(orderId: $id, reason: "负载测试：拒绝") { __typename ... on Order { status } ... on AppError { code } } }`, { id: orderId }, provider).then(outcome('rejectOrder'))
      : ex.gql(`mutation($id: ID!) { acceptOrder(orderId: $id) { __typename ... on OrderResult { order { status } } ... on AppError { code } } }`, { id: orderId }, provider).then(outcome('acceptOrder'));
  const cancellation =
    n % 4 === 0
      ? ex.gql(`mutation($id: ID!) { cancelOrder(orderId: $id) { __typename ... on Order { status } ... on AppError { code } } }`, { id: orderId }, buyerToken).then(outcome('cancelOrder'))
      : Promise.resolve('INVALID_STATE');
  return [decision, cancellation];
}

/** Runs `make(i)` for i < count, `width` at a time, and returns the results in order. */
async function inBatches<T>(count: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += width) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, k) => make(start + k)))));
  }
  return out;
}
