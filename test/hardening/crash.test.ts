// Crashes: the real server (`node --import tsx server/main.ts`) is SIGKILLed twenty times at
// random points — while it starts and rebuilds its chain from the journal, right after it seals
// an anchor batch or settles a clearing cycle (while the anchor is on its way to the chain), and
// anywhere during order flow — and restarted each time, while clients keep placing orders and deposits and
// retry whatever got no answer with the same idempotency key. Afterwards nothing a client was
// told is lost or doubled, the books are straight and every batch is anchored exactly once.
// On PostgreSQL, and on the embedded PGlite default.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { outboxBacklog } from '../../server/chain/outbox.ts';
import { rowsOf, type Db } from '../../server/db/client.ts';
import { listedDatasetWithRights, pricePlan } from '../factories/market.ts';
import { rawId, verifiedParticipant } from '../factories/participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { freshPostgres, pgliteFixture, postgresReachable, type DatabaseFixture } from '../support/databases.ts';
import { expectBooksStraight, expectEveryAcceptedOrderTradedOnce } from './support/books.ts';
import { spawnServer, type ServerProcess } from './support/server-process.ts';

const KILLS = 20;
const INITIAL_DEPOSIT_FEN = 5_000_000n;

const targets = (await postgresReachable()) ? (['postgres', 'pglite'] as const) : (['pglite'] as const);

// The two databases are crashed side by side: each run is one server process at a time.
describe.concurrent('SIGKILL at random points', () => {
  for (const database of targets) {
    it(`on ${database}: loses nothing, doubles nothing and anchors every batch once across ${KILLS} kills`, async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `exchange-crash-${database}-`));
      const fixture = database === 'postgres' ? await freshPostgres() : pgliteFixture();
      let server: ServerProcess | undefined;
      let inProcess: TestExchange | undefined;
      try {
        const traffic = await crashRepeatedly(database, dataDir, fixture, (s) => (server = s));
        // In process on the same data: the chain is rebuilt once more from the journal; every
        // sealed batch and any last records reach the chain, and the last trades are cleared.
        inProcess = await startTestExchange({ database, dataDir, fixture });
        const services = inProcess.built.services;
        await drainEverything(inProcess);
        await services.clearing.runOnce();
        await drainEverything(inProcess);

        traffic.expectClientsToldTheTruth();
        await traffic.expectDatabaseHoldsWhatClientsWereTold(services.db);
        expect(await expectEveryAcceptedOrderTradedOnce(services.db)).toBeGreaterThan(0);
        await expectBooksStraight(services.db);
        await traffic.expectBuyersBalancesFollowTheirOrders(services.db);
        await expectClearedOnce(services.db);
        await expectEveryBatchAnchoredOnce(inProcess);
      } finally {
        if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
        if (inProcess) await inProcess.stop();
        else await fixture.drop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }, 400_000);
  }
});

/**
 * Starts the server KILLS times and SIGKILLs it each time while the clients work, then starts
 * it once more, lets the clients finish and stops it cleanly. Returns what the clients were told.
 */
async function crashRepeatedly(database: string, dataDir: string, fixture: DatabaseFixture, current: (s: ServerProcess) => void): Promise<Traffic> {
  const env = {
    ...fixture.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    // The background loops run fast, so kills land inside sealing, anchoring and clearing.
    OUTBOX_INTERVAL_MS: '100',
    CLEARING_INTERVAL_MS: '1000',
  };
  const start = () => {
    const s = spawnServer(env);
    current(s);
    return s;
  };
  const startTimes: number[] = [];

  // First start: never killed while starting (its seed writes the keys once); it sets up the market.
  let server = start();
  let started = Date.now();
  const firstUrl = await server.ready;
  let lastStartMs = Date.now() - started;
  const traffic = new Traffic(await setUpMarket(firstUrl, dataDir));
  await traffic.runFor(firstUrl, 1_000);
  server.child.kill('SIGKILL');
  await server.exited;

  for (let kill = 1; kill < KILLS; kill++) {
    const mode = (['while starting', 'after sealing or settling', 'during traffic', 'after sealing or settling', 'during traffic'] as const)[kill % 5]!;
    server = start();
    started = Date.now();
    if (mode === 'while starting') {
      // Anywhere in start-up: migrations, the journal replay, deployment checks, SEAL.
      await Promise.race([sleep(Math.random() * lastStartMs), server.exited]);
    } else {
      const url = await server.ready;
      lastStartMs = Date.now() - started;
      startTimes.push(lastStartMs);
      const s = server;
      // Right after a batch is sealed or a clearing cycle settled, its anchor is on its way to the chain.
      const sealedOrSettled = Promise.race([s.nextLine('"anchor batch sealed"'), s.nextLine('"clearing cycle settled"')]);
      const killAt = mode === 'after sealing or settling' ? sealedOrSettled.then(() => sleep(Math.random() * 60)) : sleep(150 + Math.random() * 1_500);
      await traffic.runUntil(url, Promise.race([killAt, sleep(2_500)]).then(() => s.child.kill('SIGKILL')));
    }
    server.child.kill('SIGKILL');
    await server.exited;
  }

  // The last start: clients finish what got no answer, the operator clears, and it stops cleanly.
  server = start();
  const url = await server.ready;
  await traffic.runFor(url, 1_000);
  expect(traffic.unanswered).toBe(0);
  await traffic.operatorClears(url);
  server.child.kill('SIGTERM');
  expect(await server.exited).toEqual({ code: 0, signal: null });
  const sorted = [...startTimes].sort((a, b) => a - b);
  console.info(`[crash ${database}] ${KILLS} kills; start to listening: median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms; ${JSON.stringify(traffic.counts)}`);
  return traffic;
}

// ---- The market and the clients ------------------------------------------------------------

interface Market {
  buyers: string[];
  provider: string;
  operator: string;
  autoPlan: string;
  manualPlan: string;
}

/** Through the first server's API: two plans of the demo provider, three funded buyers. */
async function setUpMarket(url: string, dataDir: string): Promise<Market> {
  const keys = JSON.parse(fs.readFileSync(path.join(dataDir, 'initial-keys.json'), 'utf8')) as { roles: string[]; token: string }[];
  const keyOf = (role: string) => keys.find((k) => k.roles.includes(role))!.token;
  // The factories only need gql and keyOf of a test exchange.
  const ex = { url, keyOf, gql: (query: string, variables?: Record<string, unknown>, token?: string) => graphql(url, token, query, variables).then((r) => r.body) } as unknown as TestExchange;
  const { datasetId } = await listedDatasetWithRights(ex);
  const autoPlan = await pricePlan(ex, datasetId, { priceFen: '100', autoAccept: true });
  const manualPlan = await pricePlan(ex, datasetId, { priceFen: '150', autoAccept: false });
  const buyers = [keyOf('buyer'), (await verifiedParticipant(ex, { roles: ['BUYER'] })).token, (await verifiedParticipant(ex, { roles: ['BUYER'] })).token];
  for (const [i, token] of buyers.entries()) {
    const r = await graphql(url, token, `mutation($a: BigInt!, $k: String!) { deposit(amountFen: $a, idempotencyKey: $k) { __typename } }`, { a: String(INITIAL_DEPOSIT_FEN), k: `crash-initial-${i}` });
    expect(r.body.data.deposit.__typename).toBe('FundsMovement');
  }
  return { buyers, provider: keyOf('provider'), operator: keyOf('operator'), autoPlan, manualPlan };
}

type Answer = { lost: true } | { lost: false; status: number; body: any };

async function graphql(url: string, token: string | undefined, query: string, variables: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: await res.json() };
}

/** A request whose answer may be lost with the server: a broken connection is not an answer. */
async function ask(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
  try {
    return { lost: false, ...(await graphql(url, token, query, variables)) };
  } catch {
    return { lost: true };
  }
}

type BuyerRequest = { kind: 'order'; key: string; planId: string; amountFen: bigint } | { kind: 'deposit'; key: string; amountFen: bigint };

const PLACE_ORDER = `mutation($p: ID!, $k: String!) { placeOrder(planId: $p, purpose: URBAN_PLANNING, idempotencyKey: $k) { __typename ... on Order { id status } ... on AppError { code message } } }`;
const DEPOSIT = `mutation($a: BigInt!, $k: String!) { deposit(amountFen: $a, idempotencyKey: $k) { __typename ... on FundsMovement { transactionId } ... on AppError { code message } } }`;

/**
 * The clients: each buyer places orders (most on the auto-accept plan) and now and then
 * deposits; the provider accepts what waits for it; the operator runs clearing cycles. A request
 * without an answer is sent again, with the same idempotency key, before anything new.
 */
class Traffic {
  /** What each client was told: order key → order id, deposit key → ledger transaction. */
  readonly orders = new Map<string, { id: string; buyer: number; amountFen: bigint }>();
  readonly deposits = new Map<string, { transactionId: string; buyer: number; amountFen: bigint }>();
  /** Answers that contradict an earlier one, untyped errors, refusals nobody provoked. */
  readonly doubled: string[] = [];
  readonly untyped: string[] = [];
  readonly refused: string[] = [];
  readonly counts = { requests: 0, lost: 0, retriedOrders: 0, accepted: 0, clearingRuns: 0 };
  private readonly unansweredByBuyer = new Map<number, BuyerRequest>();
  private next = 0;

  constructor(private readonly market: Market) {}

  get unanswered(): number {
    return this.unansweredByBuyer.size;
  }

  runFor(url: string, ms: number): Promise<void> {
    return this.runUntil(url, sleep(ms));
  }

  /** Runs every client until `stop` settles (then each finishes its request) or the server dies. */
  async runUntil(url: string, stop: Promise<unknown>): Promise<void> {
    let stopping = false;
    void stop.then(() => (stopping = true));
    const until = () => stopping;
    await Promise.all([...this.market.buyers.map((_, b) => this.buyer(url, b, until)), this.provider(url, until), this.operator(url, until)]);
  }

  private async buyer(url: string, b: number, stopping: () => boolean): Promise<void> {
    const token = this.market.buyers[b]!;
    for (;;) {
      let request = this.unansweredByBuyer.get(b);
      if (request?.kind === 'order') this.counts.retriedOrders++;
      if (!request) {
        if (stopping()) return;
        request = this.nextRequest(b);
      }
      const answer = await this.send(url, token, request.kind === 'order' ? PLACE_ORDER : DEPOSIT, request.kind === 'order' ? { p: request.planId, k: request.key } : { a: String(request.amountFen), k: request.key });
      if (answer.lost) {
        this.unansweredByBuyer.set(b, request);
        return;
      }
      this.unansweredByBuyer.delete(b);
      this.record(b, request, answer);
    }
  }

  private nextRequest(b: number): BuyerRequest {
    const n = this.next++;
    if (n % 8 === 7) return { kind: 'deposit', key: `crash-dep-${n}`, amountFen: BigInt(500 + (n % 13) * 10) };
    const manual = n % 5 === 0;
    return { kind: 'order', key: `crash-ord-${n}`, planId: manual ? this.market.manualPlan : this.market.autoPlan, amountFen: manual ? 150n : 100n };
  }

  private record(b: number, request: BuyerRequest, answer: Extract<Answer, { lost: false }>): void {
    const result = answer.body.data?.[request.kind === 'order' ? 'placeOrder' : 'deposit'];
    if (!result) return;
    if (result.__typename === 'AppError') {
      this.refused.push(`${request.key}: ${result.code} ${result.message}`);
      return;
    }
    const id = request.kind === 'order' ? result.id : result.transactionId;
    const known = request.kind === 'order' ? this.orders.get(request.key)?.id : this.deposits.get(request.key)?.transactionId;
    if (known && known !== id) this.doubled.push(`${request.key}: ${known} then ${id}`);
    if (request.kind === 'order') this.orders.set(request.key, { id, buyer: b, amountFen: request.amountFen });
    else this.deposits.set(request.key, { transactionId: id, buyer: b, amountFen: request.amountFen });
  }

  private async provider(url: string, stopping: () => boolean): Promise<void> {
    while (!stopping()) {
      const pending = await this.send(url, this.market.provider, `{ orders(side: PROVIDER, status: PENDING, first: 10) { ... on QueryOrdersConnection { edges { node { id } } } } }`, {});
      if (pending.lost) return;
      for (const { node } of pending.body.data?.orders?.edges ?? []) {
        const accepted = await this.send(url, this.market.provider, `mutation($id: ID!) { acceptOrder(orderId: $id) { __typename ... on AppError { code message } } }`, { id: node.id });
        if (accepted.lost) return;
        const result = accepted.body.data?.acceptOrder;
        if (result?.__typename === 'OrderResult') this.counts.accepted++;
        // Accepted already, by a request whose answer was lost: not a refusal of anything new.
        else if (result && result.code !== 'INVALID_STATE') this.refused.push(`accept ${node.id}: ${result.code} ${result.message}`);
      }
      await sleep(100);
    }
  }

  private async operator(url: string, stopping: () => boolean): Promise<void> {
    while (!stopping()) {
      if (!(await this.clear(url))) return;
      await sleep(400);
    }
  }

  async operatorClears(url: string): Promise<void> {
    expect(await this.clear(url)).toBe(true);
  }

  private async clear(url: string): Promise<boolean> {
    const run = await this.send(url, this.market.operator, `mutation { runClearingCycle { __typename ... on AppError { code message } } }`, {});
    if (run.lost) return false;
    const result = run.body.data?.runClearingCycle;
    if (result?.__typename === 'ClearingRun') this.counts.clearingRuns++;
    else if (result) this.refused.push(`clearing: ${result.code} ${result.message}`);
    return true;
  }

  private async send(url: string, token: string, query: string, variables: Record<string, unknown>): Promise<Answer> {
    this.counts.requests++;
    const answer = await ask(url, token, query, variables);
    if (answer.lost) this.counts.lost++;
    else if (answer.status !== 200 || answer.body.errors) this.untyped.push(`${answer.status} ${JSON.stringify(answer.body.errors ?? answer.body)}`);
    return answer;
  }

  expectClientsToldTheTruth(): void {
    expect({ doubled: this.doubled, untyped: this.untyped, refused: this.refused }).toEqual({ doubled: [], untyped: [], refused: [] });
    expect(this.orders.size).toBeGreaterThan(50);
  }

  /** Every acknowledged order and deposit exists exactly once, as acknowledged, and nothing else does. */
  async expectDatabaseHoldsWhatClientsWereTold(db: Db): Promise<void> {
    const orderRows = rowsOf(await db.execute(sql`select idempotency_key as key, id from orders where idempotency_key like 'crash-ord-%'`));
    expect(new Map(orderRows.map((r) => [r.key as string, r.id as string]))).toEqual(new Map([...this.orders].map(([key, o]) => [key, rawId(o.id)])));
    const depositRows = rowsOf(await db.execute(sql`select idempotency_key as key, id from ledger_transactions where kind = 'deposit' and idempotency_key like 'deposit:%:crash-dep-%'`));
    expect(new Map(depositRows.map((r) => [(r.key as string).split(':').at(-1)!, r.id as string]))).toEqual(
      new Map([...this.deposits].map(([key, d]) => [key, d.transactionId])),
    );
  }

  /** A buyer's money is its deposits less its live orders: available and escrow, to the fen. */
  async expectBuyersBalancesFollowTheirOrders(db: Db): Promise<void> {
    for (let b = 0; b < this.market.buyers.length; b++) {
      const deposited = INITIAL_DEPOSIT_FEN + [...this.deposits.values()].filter((d) => d.buyer === b).reduce((s, d) => s + d.amountFen, 0n);
      const orderIds = [...this.orders.values()].filter((o) => o.buyer === b).map((o) => rawId(o.id));
      const [row] = rowsOf(
        await db.execute(sql`
          with mine as (select * from orders where id in ${orderIds})
          select (select coalesce(sum(amount_fen), 0)::text from mine where status in ('pending', 'accepted')) as committed,
                 (select coalesce(sum(amount_fen), 0)::text from mine where status = 'pending') as pending,
                 (select balance_fen::text from ledger_accounts where owner_id = (select min(buyer_id::text)::uuid from mine) and kind = 'available') as available,
                 (select balance_fen::text from ledger_accounts where owner_id = (select min(buyer_id::text)::uuid from mine) and kind = 'escrow') as escrow`),
      );
      // Clearing has paid every accepted order out of escrow; what waits for the provider stays there.
      expect({ available: BigInt(row!.available as string), escrow: BigInt(row!.escrow as string) }).toEqual({
        available: deposited - BigInt(row!.committed as string),
        escrow: BigInt(row!.pending as string),
      });
    }
  }
}

// ---- What the exchange must have done ------------------------------------------------------

/** Anchors every pending record and delivers the whole outbox, waiting out retry backoffs. */
async function drainEverything(ex: TestExchange): Promise<void> {
  const { anchoring, db } = ex.built.services;
  for (let i = 0; i < 100; i++) {
    await anchoring.runOnce();
    const [unsealed] = rowsOf(await db.execute(sql`select count(*)::int as n from anchor_records where batch_id is null`));
    const backlog = await outboxBacklog(db);
    expect(backlog.failed).toBe(0);
    if (backlog.pending === 0 && unsealed!.n === 0) return;
    await sleep(200);
  }
  const stuck = rowsOf(await db.execute(sql`select kind, attempts, next_attempt_at, last_error from chain_outbox where status <> 'done'`));
  throw new Error(`the outbox did not drain: ${JSON.stringify(stuck)}`);
}

/** Every trade is cleared, every cycle settled, each settled by exactly one ledger transaction. */
async function expectClearedOnce(db: Db): Promise<void> {
  const [r] = rowsOf(
    await db.execute(sql`
      select (select count(*)::int from trades where cycle_id is null) as uncleared,
             (select count(*)::int from clearing_cycles where status <> 'settled') as unsettled,
             (select count(*)::int from clearing_cycles c
                where (select count(*) from ledger_transactions t where t.idempotency_key = 'cycle:' || c.id::text) <> 1) as not_posted_once,
             (select count(*)::int from clearing_cycles) as cycles`),
  );
  expect(r).toMatchObject({ uncleared: 0, unsettled: 0, not_posted_once: 0 });
  expect(r!.cycles).toBeGreaterThan(0);
}

/**
 * Every record is in a batch; every batch is anchored, and the chain holds exactly the
 * database's batches — each root once, put there by the one mined transaction the journal and
 * the batch row name.
 */
async function expectEveryBatchAnchoredOnce(ex: TestExchange): Promise<void> {
  const { db, contracts } = ex.built.services;
  const registry = contracts.anchorRegistry;
  const batches = rowsOf(
    await db.execute(sql`
      select b.id, b.root, b.record_count, b.status, b.tx_hash,
             (select count(*)::int from anchor_records r where r.batch_id = b.id) as records,
             (select array_agg(j.tx_hash) from chain_journal j where j.purpose = 'anchor.batch ' || b.id::text and j.status = 'mined') as mined
      from anchor_batches b`),
  );
  expect(batches.length).toBeGreaterThan(0);
  for (const b of batches) {
    expect({ status: b.status, records: b.records, mined: b.mined }).toEqual({ status: 'anchored', records: b.record_count, mined: [b.tx_hash] });
    expect(await registry.rootOf(b.id as string)).toBe(b.root);
    expect(await registry.recordCountOf(b.id as string)).toBe(b.record_count);
  }
  const events = await registry.contract.queryFilter(registry.contract.getEvent('BatchAnchored')());
  const onChain = events.map((e) => (e as unknown as { args: { batchId: string } }).args.batchId.slice(2, 34));
  expect(new Set(onChain).size).toBe(onChain.length);
  expect(onChain.sort()).toEqual(batches.map((b) => (b.id as string).replace(/-/g, '')).sort());
  const [journal] = rowsOf(await db.execute(sql`select count(*) filter (where status = 'sent')::int as unmined from chain_journal`));
  expect(journal!.unmined).toBe(0);
}
