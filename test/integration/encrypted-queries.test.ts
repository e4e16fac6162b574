// 可用不可见 end to end: the buyer's keys and query are made in the sdk, the server evaluates on
// the provider's rows under a licence, and only the buyer's secret key opens the answer.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../sdk/he/encoding.ts';
import { generateKeySet, keyPairOf, type KeySet } from '../../sdk/he/key-set.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../../sdk/he/private-aggregate.ts';
import { rowsOf } from '../../server/db/client.ts';
import { DISTRICTS, trafficRows } from '../factories/datasets.ts';
import { deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

const SUBMIT = /* GraphQL */ `
  mutation($licence: ID!, $key: String!, $params: JSON!, $query: JSON!, $epsilon: Float) {
    submitEncryptedQuery(licenceId: $licence, keyId: $key, kind: GROUP_AGGREGATE, params: $params, query: $query, epsilon: $epsilon) {
      __typename ... on EncryptedQuery { id status } ... on AppError { code field message } } }`;
const RESULT = /* GraphQL */ `
  query($id: ID!) { encryptedQuery(id: $id) { ... on EncryptedQuery { status result resultMeta errorCode errorMessage } ... on AppError { code } } }`;

describe('encrypted group aggregates over a licensed dataset (PGlite)', () => {
  let ex: TestExchange;
  let keySet: KeySet;
  let licenceId: string;
  const rows = trafficRows(120, 7);
  const buyer = () => ex.keyOf('buyer');
  const requests: string[] = [];

  beforeAll(async () => {
    ex = await startTestExchange({ database: 'pglite' });
    // Groups smaller than 25 rows never contribute.
    const { datasetId } = await listedDatasetWithRights(ex, { overrides: { minGroupSize: 25 }, rows });
    const plan = await pricePlan(ex, datasetId, { kind: 'PER_QUERY', priceFen: '50', access: 'QUERY_ONLY', autoAccept: true });
    await deposit(ex, buyer(), 1_000n);
    await placeOrder(ex, buyer(), plan);
    const lic = await ex.gql(`{ licences(side: BUYER, first: 1) { ... on QueryLicencesConnection { edges { node { id } } } } }`, {}, buyer());
    licenceId = lic.data.licences.edges[0].node.id;
    keySet = await generateKeySet({ scheme: 'bfv', groupCapacity: 8 });
    const bundle = JSON.stringify(keySet.publicBundle());
    requests.push(bundle);
    const uploaded = await ex.gql(`mutation($b: String!) { uploadHeKeySet(bundle: $b) { __typename ... on HeKeySet { keyId scheme } ... on AppError { code message } } }`, { b: bundle }, buyer());
    expect(uploaded.data.uploadHeKeySet).toMatchObject({ keyId: keySet.keyId, scheme: 'bfv' });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const plaintext = (selected: number[]) => {
    const chosen = rows.filter((r) => selected.includes(DISTRICTS.indexOf(r.district!)));
    const sizes = DISTRICTS.map((d) => rows.filter((r) => r.district === d).length);
    const counted = chosen.filter((r) => sizes[DISTRICTS.indexOf(r.district!)]! >= 25);
    return { count: BigInt(counted.length), sum: counted.reduce((s, r) => s + BigInt(r.vehicles!), 0n), suppressed: sizes.filter((n) => n < 25).length };
  };

  async function run(selected: number[]) {
    const query = await encryptGroupSelection(keySet, DISTRICTS.length, selected);
    const body = JSON.stringify(query);
    requests.push(body);
    const submitted = (await ex.gql(SUBMIT, { licence: licenceId, key: keySet.keyId, params: { groupColumn: 'district', valueColumn: 'vehicles' }, query }, buyer())).data.submitEncryptedQuery;
    expect(submitted, JSON.stringify(submitted)).toMatchObject({ status: 'QUEUED' });
    await ex.built.services.encryptedQueries.runOnce();
    return (await ex.gql(RESULT, { id: submitted.id }, buyer())).data.encryptedQuery;
  }

  it('answers a secret selection of districts with the exact count and sum, k-suppressed groups left out', async () => {
    for (const selected of [[0], [1, 3, 4], [0, 1, 2, 3, 4, 5]]) {
      const done = await run(selected);
      expect(done.status, done.errorMessage).toBe('DONE');
      const answer = await decryptGroupAggregate(keySet, done.result);
      const expected = plaintext(selected);
      expect({ count: answer.count, sum: answer.sum }).toEqual({ count: expected.count, sum: expected.sum });
      expect(answer.suppressedGroups).toBe(expected.suppressed);
    }
  });

  it('meters every query at the plan price and writes only a parameters hash to the audit log', async () => {
    const db = ex.built.services.db;
    const usage = rowsOf(await db.execute(sql`select count(*)::int as n, sum(amount_fen)::text as fen from usage_records where kind = 'group-aggregate'`))[0]!;
    expect(usage.n).toBeGreaterThanOrEqual(3);
    expect(BigInt(usage.fen as string)).toBe(50n * BigInt(usage.n as number));
    const audit = await ex.gql(`{ auditLog(action: "query.submitted") { ... on QueryAuditLogSuccess { data { details } } } }`, {}, ex.keyOf('regulator'));
    const details = audit.data.auditLog.data.map((e: any) => e.details);
    expect(details.length).toBe(usage.n);
    for (const d of details) {
      expect(Object.keys(d).sort()).toEqual(['bytes', 'datasetId', 'epsilon', 'kind', 'licenceId', 'paramsHash']);
    }
  });

  it('never sends the secret key: no request carries it', async () => {
    const secret = encodeBase64(keyPairOf(keySet).secretKey);
    expect(secret.length).toBeGreaterThan(1000);
    for (const r of requests) {
      expect(r.includes(secret)).toBe(false);
      // Not even a fragment of it.
      expect(r.includes(secret.slice(100, 164))).toBe(false);
    }
  });

  it('refuses bad queries with typed errors: wrong column, unknown key, tampered ciphertext, no licence', async () => {
    const query = await encryptGroupSelection(keySet, DISTRICTS.length, [0]);
    const wrongColumn = await ex.gql(SUBMIT, { licence: licenceId, key: keySet.keyId, params: { groupColumn: 'hour', valueColumn: 'vehicles' }, query }, buyer());
    expect(wrongColumn.data.submitEncryptedQuery).toMatchObject({ code: 'INVALID_INPUT', field: 'params.groupColumn' });
    const unknownKey = await ex.gql(SUBMIT, { licence: licenceId, key: 'f'.repeat(64), params: { groupColumn: 'district', valueColumn: 'vehicles' }, query }, buyer());
    expect(unknownKey.data.submitEncryptedQuery).toMatchObject({ code: 'NOT_FOUND', field: 'keyId' });
    const notMine = await ex.gql(SUBMIT, { licence: licenceId, key: keySet.keyId, params: { groupColumn: 'district', valueColumn: 'vehicles' }, query }, ex.keyOf('provider'));
    expect(notMine.data.submitEncryptedQuery.code).toBe('FORBIDDEN');
    const tampered = { ...query, selection: query.selection.slice(0, 200) };
    const bad = (await ex.gql(SUBMIT, { licence: licenceId, key: keySet.keyId, params: { groupColumn: 'district', valueColumn: 'vehicles' }, query: tampered }, buyer())).data.submitEncryptedQuery;
    await ex.built.services.encryptedQueries.runOnce();
    const failed = (await ex.gql(RESULT, { id: bad.id }, buyer())).data.encryptedQuery;
    expect(failed.status).toBe('FAILED');
    expect(failed.errorCode).toMatch(/MALFORMED_CIPHERTEXT|OVERSIZED_INPUT/);
    const forged = await ex.gql(`mutation($b: String!) { uploadHeKeySet(bundle: $b) { ... on AppError { code field } } }`, { b: JSON.stringify({ ...keySet.publicBundle(), secretKey: 'AAAA' }) }, buyer());
    expect(forged.data.uploadHeKeySet.code).toBe('INVALID_INPUT');
  });
});
