// 可用不可见 end to end: the buyer's keys and query are made in the sdk, the server evaluates on
// the provider's rows under a licence, and only the buyer's secret key opens the answer.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeBase64 } from '../../sdk/he/encoding.ts';
import { generateKeySet, keyPairOf, type KeySet } from '../../sdk/he/key-set.ts';
import { decryptIdSetMatch, encryptIdSet, idSetBuckets, newIdSetSalt } from '../../sdk/he/id-set-match.ts';
import { decryptLinearScore, encryptLinearScore } from '../../sdk/he/linear-score.ts';
import { decryptGroupAggregate, encryptGroupSelection } from '../../sdk/he/private-aggregate.ts';
import { rowsOf } from '../../server/db/client.ts';
import { MAX_OUTSTANDING_SALTS } from '../../server/domain/queries/issue-id-set-salt.ts';
import { DISTRICTS, TRAFFIC_COLUMNS, trafficRows, type FactoryColumn } from '../factories/datasets.ts';
import { deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

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

// The other two kinds, on both databases: a customer list matched against the buyer's secret
// set of identifiers (BFV), and a secret weighting of two numeric columns (CKKS). A dataset has
// at most 4 columns: the traffic columns with the hour replaced by a customer id.
const CUSTOMER_COLUMNS: FactoryColumn[] = [
  { name: 'customer', type: 'TEXT', nullable: false, sensitivity: 'NONE' },
  ...TRAFFIC_COLUMNS.filter((c) => c.name !== 'hour'),
];
const CUSTOMER_RULES = { vehicles: { range: { min: 0, max: 6000 } }, avg_speed: { range: { min: 0, max: 100 } } };
const MIN_SIZE = 25;
const customerId = (i: number) => `cust-${String(i).padStart(5, '0')}`;
const customerRows: Record<string, string | null>[] = trafficRows(120, 11).map(({ hour: _hour, ...r }, i) => ({ customer: customerId(i), ...r }));
/** 20 of the provider's customers and 20 strangers: the buyer's secret set. */
const buyerSet = [...Array.from({ length: 20 }, (_, i) => customerId(i * 5 + 2)), ...Array.from({ length: 20 }, (_, i) => customerId(10_000 + i))];
const WEIGHTS = [0.75, -2.5]; // vehicles, avg_speed

// Key sets are the slow part (seconds each): made once for both databases.
let keySetsMade: Promise<{ bfv: KeySet; ckks: KeySet }> | undefined;
const idSetAndScoreKeys = () =>
  (keySetsMade ??= (async () => ({
    bfv: await generateKeySet({ scheme: 'bfv', queries: ['id-set-match'] }),
    ckks: await generateKeySet({ scheme: 'ckks', queries: ['linear-score'] }),
  }))());

const SUBMIT_KIND = /* GraphQL */ `
  mutation($licence: ID!, $key: String!, $kind: EncryptedQueryKind!, $params: JSON!, $query: JSON!) {
    submitEncryptedQuery(licenceId: $licence, keyId: $key, kind: $kind, params: $params, query: $query) {
      __typename ... on EncryptedQuery { id status } ... on AppError { code field message } } }`;
const ISSUE_SALT = /* GraphQL */ `
  mutation($licence: ID!) { issueIdSetSalt(licenceId: $licence) { __typename ... on IdSetSalt { salt expiresAt } ... on AppError { code field message } } }`;
const ID_SET_PARAMS = { keyColumn: 'customer', valueColumn: 'vehicles' };
const SCORE_PARAMS = { groupColumn: 'district', columns: ['vehicles', 'avg_speed'] };

describe.each(await databaseTargets())('encrypted ID-set matches and linear scores through the API (%s)', (database) => {
  let ex: TestExchange;
  let keys: { bfv: KeySet; ckks: KeySet };
  let licenceId: string;
  const buyer = () => ex.keyOf('buyer');

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    const { datasetId } = await listedDatasetWithRights(ex, {
      overrides: { columns: CUSTOMER_COLUMNS, minGroupSize: MIN_SIZE, complianceRules: CUSTOMER_RULES },
      rows: customerRows,
    });
    const plan = await pricePlan(ex, datasetId, { kind: 'PER_QUERY', priceFen: '70', access: 'QUERY_ONLY', autoAccept: true });
    await deposit(ex, buyer(), 1_000n);
    await placeOrder(ex, buyer(), plan);
    const lic = await ex.gql(`{ licences(side: BUYER, first: 1) { ... on QueryLicencesConnection { edges { node { id } } } } }`, {}, buyer());
    licenceId = lic.data.licences.edges[0].node.id;
    keys = await idSetAndScoreKeys();
    for (const keySet of [keys.bfv, keys.ckks]) {
      const uploaded = await ex.gql(`mutation($b: String!) { uploadHeKeySet(bundle: $b) { __typename ... on HeKeySet { keyId } ... on AppError { code message } } }`, { b: JSON.stringify(keySet.publicBundle()) }, buyer());
      expect(uploaded.data.uploadHeKeySet).toMatchObject({ keyId: keySet.keyId });
    }
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const issueSalt = async (): Promise<string> => {
    const issued = (await ex.gql(ISSUE_SALT, { licence: licenceId }, buyer())).data.issueIdSetSalt;
    expect(issued, JSON.stringify(issued)).toMatchObject({ __typename: 'IdSetSalt', salt: expect.stringMatching(/^[0-9a-f]{32}$/) });
    return issued.salt;
  };
  const submit = async (kind: string, key: KeySet, params: object, query: object) =>
    (await ex.gql(SUBMIT_KIND, { licence: licenceId, key: key.keyId, kind, params, query }, buyer())).data.submitEncryptedQuery;
  /** Submits, lets the runner evaluate, and returns the finished query. */
  const evaluated = async (kind: string, key: KeySet, params: object, query: object) => {
    const submitted = await submit(kind, key, params, query);
    expect(submitted, JSON.stringify(submitted)).toMatchObject({ status: 'QUEUED' });
    await ex.built.services.encryptedQueries.runOnce();
    return (await ex.gql(RESULT, { id: submitted.id }, buyer())).data.encryptedQuery;
  };
  const usage = async () => {
    const rows = rowsOf(await ex.built.services.db.execute(sql`select kind, count(*)::int as n, sum(amount_fen)::text as fen from usage_records group by kind`));
    return Object.fromEntries(rows.map((r) => [String(r.kind), { n: Number(r.n), fen: BigInt(String(r.fen)) }]));
  };
  const queriesSubmitted = async () => (await ex.gql(`{ auditLog(action: "query.submitted") { ... on QueryAuditLogSuccess { data { details } } } }`, {}, ex.keyOf('regulator'))).data.auditLog.data.map((e: any) => e.details);

  /** The answer the scheme defines, from the provider's rows: every row whose bucket the buyer marked (true matches and false ones). */
  async function idSetTruth(salt: string, domainBits: number) {
    const marked = new Set(await idSetBuckets(buyerSet, salt, domainBits));
    const providerBuckets = await idSetBuckets(customerRows.map((r) => r.customer!), salt, domainBits);
    const counted = customerRows.filter((_, i) => marked.has(providerBuckets[i]!));
    const trueMatches = customerRows.filter((r) => buyerSet.includes(r.customer!)).length;
    return { count: BigInt(counted.length), sum: counted.reduce((s, r) => s + BigInt(r.vehicles!), 0n), trueMatches };
  }

  it('matches the secret identifier set: the count and sum of the provider rows in the marked buckets, metered and audited', async () => {
    const before = await usage();
    const salt = await issueSalt();
    const request = await encryptIdSet(keys.bfv, buyerSet, { salt, domainBits: 13, declareSetSize: true });
    const done = await evaluated('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, request.query);
    expect(done.status, done.errorMessage).toBe('DONE');
    const answer = await decryptIdSetMatch(keys.bfv, done.result, request);
    const truth = await idSetTruth(salt, 13);
    expect({ count: answer.count, sum: answer.sum }).toEqual({ count: truth.count, sum: truth.sum });
    // No true match is missed; what is more are the false matches the salt drew.
    expect(truth.trueMatches).toBe(20);
    expect(answer.count).toBeGreaterThanOrEqual(20n);
    const after = await usage();
    expect(after['id-set-match']!.n - (before['id-set-match']?.n ?? 0)).toBe(1);
    expect(after['id-set-match']!.fen - (before['id-set-match']?.fen ?? 0n)).toBe(70n);
    const audited = (await queriesSubmitted()).filter((d: any) => d.kind === 'id-set-match');
    expect(audited.length).toBe(1);
    // Only a hash of the parameters: neither the identifiers nor the salt appear.
    expect(Object.keys(audited[0]).sort()).toEqual(['bytes', 'datasetId', 'epsilon', 'kind', 'licenceId', 'paramsHash']);
    expect(JSON.stringify(audited)).not.toContain(salt);
  });

  it('scores the secret selection with the secret weights: CKKS within 1e-6 of the answer scale', async () => {
    const before = await usage();
    const sizes = DISTRICTS.map((d) => customerRows.filter((r) => r.district === d).length);
    expect(sizes.some((n) => n < MIN_SIZE)).toBe(true); // so the k-threshold is exercised
    for (const selected of [[0, 2], [1, 3, 4, 5]]) {
      const request = await encryptLinearScore(keys.ckks, { groupCount: DISTRICTS.length, weights: WEIGHTS, selected });
      const done = await evaluated('LINEAR_SCORE', keys.ckks, SCORE_PARAMS, request.query);
      expect(done.status, done.errorMessage).toBe('DONE');
      const answer = await decryptLinearScore(keys.ckks, done.result, request);
      const rows = customerRows.filter((r) => selected.includes(DISTRICTS.indexOf(r.district!)) && sizes[DISTRICTS.indexOf(r.district!)]! >= MIN_SIZE);
      const columnSum = (name: 'vehicles' | 'avg_speed') => rows.reduce((s, r) => s + (r[name] === null ? 0 : Number(r[name])), 0);
      const weightedSum = WEIGHTS[0]! * columnSum('vehicles') + WEIGHTS[1]! * columnSum('avg_speed');
      const weightNorm = WEIGHTS.reduce((s, w) => s + Math.abs(w), 0);
      expect(Math.abs(answer.weightedSum - weightedSum)).toBeLessThan(1e-6 * done.result.weightedSumScale * weightNorm);
      expect(Math.abs(answer.count - rows.length)).toBeLessThan(1e-6 * done.result.countScale);
      expect(answer.suppressedGroups).toBe(sizes.filter((n) => n < MIN_SIZE).length);
    }
    const after = await usage();
    expect(after['linear-score']!.n - (before['linear-score']?.n ?? 0)).toBe(2);
    expect(after['linear-score']!.fen - (before['linear-score']?.fen ?? 0n)).toBe(140n);
    expect((await queriesSubmitted()).filter((d: any) => d.kind === 'linear-score').length).toBe(2);
  });

  it('spends each issued salt once: a reused salt is SALT_REUSED, a salt of the buyer’s own INVALID_INPUT, and neither is metered', async () => {
    const salt = await issueSalt();
    const first = await encryptIdSet(keys.bfv, buyerSet, { salt, domainBits: 13, declareSetSize: true });
    expect((await submit('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, first.query)).status).toBe('QUEUED');
    await ex.built.services.encryptedQueries.runOnce();
    const before = await usage();
    // The same salt with another set would line up its buckets with the first answer's.
    const again = await encryptIdSet(keys.bfv, buyerSet.slice(1), { salt, domainBits: 13, declareSetSize: true });
    expect(await submit('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, again.query)).toMatchObject({ code: 'SALT_REUSED', field: 'query.salt' });
    const own = await encryptIdSet(keys.bfv, buyerSet, { salt: newIdSetSalt(), domainBits: 13, declareSetSize: true });
    expect(await submit('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, own.query)).toMatchObject({ code: 'INVALID_INPUT', field: 'query.salt' });
    expect(await usage()).toEqual(before);
    // Salts are the buyer's to ask for, under its own licence.
    expect((await ex.gql(ISSUE_SALT, { licence: licenceId }, ex.keyOf('provider'))).data.issueIdSetSalt.code).toBe('FORBIDDEN');
  });

  it('refuses hostile ID-set and score queries with typed errors: wrong key scheme, truncated ciphertexts, a set too large', async () => {
    const before = await usage();
    const salt = await issueSalt();
    const request = await encryptIdSet(keys.bfv, buyerSet, { salt, domainBits: 13, declareSetSize: true });
    const score = await encryptLinearScore(keys.ckks, { groupCount: DISTRICTS.length, weights: WEIGHTS, selected: [0] });
    // A key set of the other scheme, named for either kind.
    expect(await submit('ID_SET_MATCH', keys.ckks, ID_SET_PARAMS, request.query)).toMatchObject({ code: 'INVALID_INPUT', field: 'keyId' });
    expect(await submit('LINEAR_SCORE', keys.bfv, SCORE_PARAMS, score.query)).toMatchObject({ code: 'INVALID_INPUT', field: 'keyId' });
    // A domain beyond 2^22 buckets, or chunks that do not cover the domain, is refused before it is stored.
    const tooLarge = { ...request.query, domainBits: 23, chunks: Array.from({ length: 1024 }, () => 'AAAA') };
    expect(await submit('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, tooLarge)).toMatchObject({ code: 'INVALID_INPUT', field: 'query.domainBits' });
    const extraChunk = { ...request.query, chunks: [...request.query.chunks, request.query.chunks[0]!] };
    expect(await submit('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, extraChunk)).toMatchObject({ code: 'INVALID_INPUT', field: 'query.chunks' });
    expect(await usage()).toEqual(before);

    // Ciphertexts are checked by the evaluator: the query fails with the HE layer's code.
    const truncatedSet = { ...request.query, chunks: [request.query.chunks[0]!.slice(0, 300)] };
    const failedSet = await evaluated('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, truncatedSet);
    expect(failedSet).toMatchObject({ status: 'FAILED', errorCode: 'MALFORMED_CIPHERTEXT' });
    const truncatedScore = { ...score.query, weights: score.query.weights.slice(0, 300) };
    const failedScore = await evaluated('LINEAR_SCORE', keys.ckks, SCORE_PARAMS, truncatedScore);
    expect(failedScore).toMatchObject({ status: 'FAILED', errorCode: 'MALFORMED_CIPHERTEXT' });
    // A BFV ciphertext where the CKKS selection should be.
    const bfvIndicator = await encryptIdSet(keys.bfv, buyerSet, { domainBits: 13 });
    const crossed = { ...score.query, selection: bfvIndicator.query.chunks[0]! };
    const failedCrossed = await evaluated('LINEAR_SCORE', keys.ckks, SCORE_PARAMS, crossed);
    expect(failedCrossed).toMatchObject({ status: 'FAILED', errorCode: 'PARAMETER_MISMATCH' });
    // A set smaller than the dataset's minimum: the declared size gives it away.
    const small = await encryptIdSet(keys.bfv, buyerSet.slice(0, 3), { salt: await issueSalt(), domainBits: 13, declareSetSize: true });
    expect(await evaluated('ID_SET_MATCH', keys.bfv, ID_SET_PARAMS, small.query)).toMatchObject({ status: 'FAILED', errorCode: 'POLICY_VIOLATION' });
  });

  it('caps the unused salts a licence may hold', async () => {
    const [unused] = rowsOf(await ex.built.services.db.execute(sql`select count(*)::int as n from id_set_salts where query_id is null`));
    const issue = async () => (await ex.gql(ISSUE_SALT, { licence: licenceId }, buyer())).data.issueIdSetSalt;
    for (let i = Number(unused!.n); i < MAX_OUTSTANDING_SALTS; i++) expect((await issue()).__typename).toBe('IdSetSalt');
    expect(await issue()).toMatchObject({ code: 'LIMIT_REACHED', field: 'licenceId' });
  });
});
