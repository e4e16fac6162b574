import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { databaseTargets } from '../support/databases.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

describe.each(await databaseTargets())('the audit log and data delivery on %s', (database) => {
  let ex: TestExchange;
  beforeAll(async () => {
    ex = await startTestExchange({ database });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const log = async (filter = '') =>
    (await ex.gql(`{ auditLog(first: 500${filter}) { ... on QueryAuditLogSuccess { data { seq action actorId subjectKind subjectId details hash prevHash } } } }`, {}, ex.keyOf('regulator'))).data.auditLog.data;

  it('records security-relevant actions in a hash chain the regulator can search and check', async () => {
    await ex.gql(`mutation { createApiKey(label: "ci", scopes: [READ]) { __typename } }`, {}, ex.keyOf('provider'));
    const { datasetId } = await listedDatasetWithRights(ex);
    const entries = await log();
    const actions = entries.map((e: any) => e.action);
    for (const a of ['auth.key-used', 'apikey.created', 'listing.reviewed']) expect(actions).toContain(a);
    // Newest first, each linked to the one before.
    for (let i = 0; i + 1 < entries.length; i++) expect(entries[i].prevHash).toBe(entries[i + 1].hash);
    const reviewed = await log(`, action: "listing.reviewed"`);
    expect(reviewed.length).toBeGreaterThan(0);
    expect(reviewed.every((e: any) => e.action === 'listing.reviewed' && e.subjectKind === 'dataset')).toBe(true);
    expect(reviewed.map((e: any) => e.subjectId)).toContain(rawId(datasetId));
    const check = await ex.gql(`{ auditChain { ... on AuditChainCheck { intact entries problem } } }`, {}, ex.keyOf('regulator'));
    expect(check.data.auditChain).toMatchObject({ intact: true, problem: null });
    expect(check.data.auditChain.entries).toBe((await log()).length);
  });

  it('exports CSV to the regulator only', async () => {
    const res = await fetch(`${ex.url}/regulator/audit-log.csv?action=apikey.created`, { headers: { authorization: `Bearer ${ex.keyOf('regulator')}` } });
    expect(res.status).toBe(200);
    const csv = await res.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,actor_id,api_key_id,action,subject_kind,subject_id,details,prev_hash,hash');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.slice(1).every((l) => l.includes(',apikey.created,'))).toBe(true);
    expect((await fetch(`${ex.url}/regulator/audit-log.csv`, { headers: { authorization: `Bearer ${ex.keyOf('buyer')}` } })).status).toBe(403);
    expect((await fetch(`${ex.url}/regulator/audit-log.csv`)).status).toBe(403);
    const asBuyer = await ex.gql(`{ auditLog { ... on AppError { code } } }`, {}, ex.keyOf('buyer'));
    expect(asBuyer.data.auditLog.code).toBe('FORBIDDEN');
  });

  it('refuses edits and deletes, and finds an entry changed behind its back', async () => {
    const db = ex.built.services.db;
    await expect(db.execute(sql`update audit_log set action = 'nothing' where seq = 1`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log where seq = 1`)).rejects.toThrow();
    // Someone with the database owner's rights switches the guard off and edits an entry.
    await db.execute(sql`alter table audit_log disable trigger audit_log_append_only`);
    await db.execute(sql`update audit_log set details = '{"forged":true}' where seq = 2`);
    await db.execute(sql`alter table audit_log enable trigger audit_log_append_only`);
    const check = await ex.gql(`{ auditChain { ... on AuditChainCheck { intact brokenAt problem } } }`, {}, ex.keyOf('regulator'));
    expect(check.data.auditChain).toMatchObject({ intact: false, brokenAt: '2', problem: expect.stringContaining('changed') });
  });

  it('delivers rows only under a delivery licence, and logs each delivery', async () => {
    const buyer = ex.keyOf('buyer');
    const { datasetId } = await listedDatasetWithRights(ex);
    const delivery = await pricePlan(ex, datasetId, { priceFen: '100', access: 'DELIVERY', autoAccept: true });
    const queryOnly = await pricePlan(ex, datasetId, { priceFen: '100', access: 'QUERY_ONLY', autoAccept: true });
    await deposit(ex, buyer, 200n);
    await placeOrder(ex, buyer, delivery);
    await placeOrder(ex, buyer, queryOnly);
    const lics = (await ex.gql(`{ licences(side: BUYER) { ... on QueryLicencesConnection { edges { node { id access dataset { id } } } } } }`, {}, buyer)).data.licences.edges
      .map((e: any) => e.node)
      .filter((l: any) => l.dataset.id === datasetId);
    const get = (l: any, token = buyer) => fetch(`${ex.url}/deliveries/${rawId(l.id)}.csv`, { headers: { authorization: `Bearer ${token}` } });
    const ok = await get(lics.find((l: any) => l.access === 'DELIVERY'));
    expect(ok.status).toBe(200);
    const csv = await ok.text();
    expect(csv.split('\r\n')[0]).toBe('district,hour,vehicles,avg_speed');
    expect(csv.trim().split('\r\n').length).toBe(41);
    const refused = await get(lics.find((l: any) => l.access === 'QUERY_ONLY'));
    expect(refused.status).toBe(422);
    expect((await refused.json()).error).toBe('LICENCE_TERMS');
    expect((await get(lics[0], ex.keyOf('provider'))).status).toBe(404);
    const delivered = await log(`, action: "data.delivered"`);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].details).toMatchObject({ rows: 40 });
  });
});
