// The regulator's node (EXCHANGE_MODE=regulator-readonly, docs/regulator-node.md): a second
// server on the primary's PostgreSQL database (the replica's stand-in, opened read-only) and the
// primary's chain read over JSON-RPC without a key. A regulator reads and verifies records there
// and its supervisory actions are forwarded to the primary; everyone else and every other write
// is refused with a typed error, and the node itself writes nothing. PostgreSQL only: two
// processes cannot share a PGlite data dir.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Db } from '../../server/db/client.ts';
import { deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { latestTrade } from '../factories/parties.ts';
import { listedDatasetOf, planOf, verifiedParticipant, type TestParticipant } from '../factories/participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { serveChainRpc, type ChainRpcEndpoint } from '../support/chain-rpc.ts';
import { postgresReachable } from '../support/databases.ts';

/** Rows per table, and the keys' last-use times: what any write by the node would change. */
async function snapshot(db: Db): Promise<Record<string, string>> {
  const tables = rowsOf(await db.execute(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`));
  const out: Record<string, string> = {};
  for (const t of tables) {
    const [row] = rowsOf(await db.execute(sql`select count(*)::text as n from ${sql.identifier(String(t.table_name))}`));
    out[String(t.table_name)] = String(row!.n);
  }
  const [used] = rowsOf(await db.execute(sql`select coalesce(string_agg(coalesce(last_used_at::text, '-'), ',' order by id), '') as used from api_keys`));
  out['api_keys.last_used_at'] = String(used!.used);
  return out;
}

describe.runIf(await postgresReachable())("the regulator's read-only node on PostgreSQL", () => {
  let primary: TestExchange;
  let node: TestExchange;
  let rpc: ChainRpcEndpoint;
  let regulator: string;
  let tradeId: string;
  let seller: TestParticipant;

  beforeAll(async () => {
    primary = await startTestExchange({ database: 'postgres' });
    regulator = primary.keyOf('regulator');
    // A filed and anchored trade, and a related-party trade for surveillance to find.
    const buyer = primary.keyOf('buyer');
    await deposit(primary, buyer, 100_000n);
    const { datasetId } = await listedDatasetWithRights(primary);
    expect((await placeOrder(primary, buyer, await pricePlan(primary, datasetId, { priceFen: '10000', autoAccept: true }))).status).toBe('ACCEPTED');
    tradeId = (await latestTrade(primary, buyer)).tradeId;
    seller = await verifiedParticipant(primary, { controllerCode: 'GROUP-HOLDING-NODE' });
    const related = await verifiedParticipant(primary, { controllerCode: 'GROUP-HOLDING-NODE' });
    await deposit(primary, related.token, 100_000n);
    expect((await placeOrder(primary, related.token, await planOf(primary, seller.token, await listedDatasetOf(primary, seller), { priceFen: '500' }))).status).toBe('ACCEPTED');
    await primary.built.services.anchoring.runOnce();

    rpc = await serveChainRpc(primary.built.services.chain);
    node = await startTestExchange({
      database: 'postgres',
      fixture: primary.fixture,
      dataDir: primary.dataDir,
      env: { EXCHANGE_MODE: 'regulator-readonly', CHAIN_RPC_URL: rpc.url, EXCHANGE_PRIMARY_URL: `${primary.url}/graphql` },
    });
  });
  afterAll(async () => {
    await node?.stop({ keepData: true });
    await rpc?.close();
    await primary?.stop();
  });

  it('starts without a signer, on a read-only database session, with the contracts the primary deployed', async () => {
    const services = node.built.services;
    expect(services.chain.readOnly).toBe(true);
    expect(() => services.chain.operatorAddress).toThrow(/read-only/);
    expect(services.contracts.anchorRegistry.address).toBe(primary.built.services.contracts.anchorRegistry.address);
    expect(node.built.seededKeys).toEqual([]);
    // The session refuses writes: PostgreSQL's read-only transaction error.
    await expect(services.db.execute(sql`update participants set name = name`)).rejects.toMatchObject({ cause: expect.objectContaining({ code: '25006' }) });
    const health = await (await fetch(`${node.url}/health`)).json();
    expect(health.chain).toMatchObject({ ok: true, kind: 'json-rpc', operator: null });
    // It only reads the chain: no transaction was sent through the endpoint.
    expect(rpc.methods.filter((m) => m.startsWith('eth_send'))).toEqual([]);
  });

  it('lets a regulator read and verify records against the chain, and writes nothing doing so', async () => {
    const before = await snapshot(primary.built.services.db);
    const verified = await node.gql(`query($id: ID!) { verifyRecord(id: $id) { ... on RecordVerification { kind status verified verifiesOnChain rootOnChain } } }`, { id: tradeId }, regulator);
    expect(verified.data.verifyRecord).toEqual({ kind: 'trading.trade-filing', status: 'ANCHORED', verified: true, verifiesOnChain: true, rootOnChain: true });
    const stats = await node.gql(`{ filingStatistics(groupBy: []) { ... on FilingStatistics { tradeCount turnover { fen } } } }`, {}, regulator);
    expect(stats.data.filingStatistics).toEqual({ tradeCount: 2, turnover: { fen: '10500' } });
    const report = await node.gql(`{ filingReport(period: MONTH) { ... on FilingReport { lines { breakdown trades } } } }`, {}, regulator);
    expect(report.data.filingReport.lines[0]).toEqual({ breakdown: 'TOTAL', trades: 2 });
    const chain = await node.gql(`{ auditChain { ... on AuditChainCheck { intact entries } } }`, {}, regulator);
    expect(chain.data.auditChain.intact).toBe(true);
    const csv = await fetch(`${node.url}/regulator/filing-report.csv?period=month`, { headers: { authorization: `Bearer ${regulator}` } });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toBe('period,breakdown,key,listings,trades,turnover_fen,queries,disputes');
    expect(await snapshot(primary.built.services.db)).toEqual(before);
  });

  it('refuses other keys, anonymous callers and every write mutation with typed errors, and writes nothing', async () => {
    const before = await snapshot(primary.built.services.db);
    const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code;
    expect(code(await node.gql(`{ me { __typename } }`))).toBe('UNAUTHENTICATED');
    for (const role of ['buyer', 'provider', 'operator'] as const) {
      const r = await node.gql(`{ me { __typename } }`, {}, primary.keyOf(role));
      expect(code(r), role).toBe('FORBIDDEN');
      expect(r.data ?? null).toBeNull();
    }
    for (const mutation of [
      `mutation { deposit(amountFen: "100", idempotencyKey: "node-1") { __typename } }`,
      `mutation { createApiKey(label: "node", scopes: [READ]) { __typename } }`,
      `mutation($id: ID!) { suspendParticipant(participantId: $id, reason: "夹带写操作") { __typename } deposit(amountFen: "1", idempotencyKey: "node-2") { __typename } }`,
    ]) {
      const r = await node.gql(mutation, { id: seller.id }, regulator);
      expect(code(r), mutation).toBe('FORBIDDEN');
      expect(r.data ?? null).toBeNull();
    }
    const http = (path: string, token?: string) => fetch(`${node.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await http('/regulator/filing-report.csv?period=month')).status).toBe(401);
    expect((await http('/regulator/audit-log.csv', primary.keyOf('operator'))).status).toBe(403);
    expect((await http('/deliveries/00000000-0000-4000-8000-000000000000.csv', primary.keyOf('buyer'))).status).toBe(404);
    expect(await snapshot(primary.built.services.db)).toEqual(before);
  });

  it("forwards a regulator's supervisory actions to the primary, which records them; the node reads the result", async () => {
    const scan = await node.gql(`mutation { scanMarket { ... on MarketScan { raised { id rule subjectKind } } } }`, {}, regulator);
    const raised = scan.data.scanMarket.raised as { id: string; rule: string }[];
    expect(raised.map((a) => a.rule)).toContain('RELATED_PARTIES');
    const alertId = raised.find((a) => a.rule === 'RELATED_PARTIES')!.id;
    const ack = await node.gql(`mutation($id: ID!) { acknowledgeAlert(alertId: $id, note: "已核实，系集团内部采购") { ... on Alert { status note } } }`, { id: alertId }, regulator);
    expect(ack.data.acknowledgeAlert).toEqual({ status: 'ACKNOWLEDGED', note: '已核实，系集团内部采购' });
    const suspend = await node.gql(
      `mutation($id: ID!) { suspendParticipant(participantId: $id, reason: "关联交易核查期间暂停") { ... on ParticipantSupervision { participant { status } action { action } } } }`,
      { id: seller.id },
      regulator,
    );
    expect(suspend.data.suspendParticipant).toEqual({ participant: { status: 'SUSPENDED' }, action: { action: 'participant.suspended' } });

    // The primary wrote them (its audit log names the regulator); the node reads them from the shared database.
    const alerts = await node.gql(`{ alerts(status: ACKNOWLEDGED) { ... on QueryAlertsSuccess { data { id } } } }`, {}, regulator);
    expect(alerts.data.alerts.data.map((a: { id: string }) => a.id)).toContain(alertId);
    const log = await node.gql(`{ auditLog(first: 10) { ... on QueryAuditLogSuccess { data { action } } } }`, {}, regulator);
    expect(log.data.auditLog.data.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['participant.suspended', 'alert.acknowledged', 'surveillance.scanned']));
  });
});
