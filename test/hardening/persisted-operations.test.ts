// Persisted operations: the typed operations of sdk/graphql (what web/ sends) are the allow-list,
// keyed by sha256. With EXCHANGE_PERSISTED_OPERATIONS=only the server runs those and nothing
// else, by exact text or by hash; by default it runs any document and still resolves hashes.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { parse, specifiedRules, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../sdk/graphql/client.ts';
import { listCatalog } from '../../sdk/graphql/catalog.ts';
import { getViewer, listParticipants } from '../../sdk/graphql/participants.ts';
import { getBalance } from '../../sdk/graphql/trading.ts';
import { loadConfig } from '../../server/config.ts';
import { rowsOf } from '../../server/db/client.ts';
import { costLimitRule } from '../../server/graphql/limits/cost-limit.ts';
import { depthLimitRule } from '../../server/graphql/limits/depth-limit.ts';
import { selectionLimitRule } from '../../server/graphql/limits/selection-limit.ts';
import { documentHash, loadOperationAllowList, SDK_GRAPHQL_DIR } from '../../server/graphql/operation-allow-list.ts';
import { schema } from '../../server/graphql/schema.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const allowList = await loadOperationAllowList();

async function post(ex: TestExchange, body: unknown, token?: string) {
  const res = await fetch(`${ex.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

const VIEWER_DOCUMENT = [...allowList.values()].find((d) => d.startsWith('{ viewer {'))!;

describe('the allow-list', () => {
  it('holds every typed operation of sdk/graphql, one per request call', () => {
    const calls = fs
      .readdirSync(SDK_GRAPHQL_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'client.ts')
      .reduce((n, f) => n + (fs.readFileSync(path.join(SDK_GRAPHQL_DIR, f), 'utf8').match(/client\.request(<|\()/g)?.length ?? 0), 0);
    expect(calls).toBeGreaterThan(30);
    expect(allowList.size).toBe(calls);
    expect(VIEWER_DOCUMENT).toBeDefined();
  });

  it('holds only documents that are valid and within the default operation limits', () => {
    const limits = loadConfig({}).graphql;
    const rules = [...specifiedRules, depthLimitRule(limits.maxDepth), selectionLimitRule(limits), costLimitRule(limits.maxCost, {})];
    for (const [hash, document] of allowList) {
      expect(documentHash(document)).toBe(hash);
      expect(validate(schema, parse(document), rules).map((e) => e.message), document).toEqual([]);
    }
  });
});

describe.each(await databaseTargets())('EXCHANGE_PERSISTED_OPERATIONS=only on %s', (database) => {
  let ex: TestExchange;

  beforeAll(async () => {
    ex = await startTestExchange({ database, env: { EXCHANGE_PERSISTED_OPERATIONS: 'only' } });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it("runs the sdk's operations as web/ sends them, anonymous and with a key", async () => {
    const anonymous = createClient({ url: `${ex.url}/graphql` });
    expect(await getViewer(anonymous)).toBeNull();
    expect((await listCatalog(anonymous, { first: 5 })).nodes).toBeInstanceOf(Array);
    const operator = anonymous.withApiKey(ex.keyOf('operator'));
    expect((await getViewer(operator))?.participant.roles).toContain('OPERATOR');
    expect((await listParticipants(operator, { first: 10 })).nodes.length).toBeGreaterThan(0);
    expect(await getBalance(anonymous.withApiKey(ex.keyOf('buyer')))).toHaveProperty('available');
  });

  it('runs a known operation named by its hash alone', async () => {
    const answer = await post(ex, { extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(VIEWER_DOCUMENT) } } }, ex.keyOf('regulator'));
    expect(answer.status).toBe(200);
    expect(answer.body.data.viewer.__typename).toBe('Viewer');
  });

  it('refuses any other document with OPERATION_NOT_ALLOWED (HTTP 400), and runs nothing of it', async () => {
    const count = async () => Number(rowsOf(await ex.built.services.db.execute(sql`select count(*)::int as n from participants`))[0]!.n);
    const before = await count();
    for (const query of [
      '{ __typename }',
      VIEWER_DOCUMENT.replace('{ viewer', '{  viewer'), // the same operation, other text
      `mutation { registerParticipant(input: { name: "白名单外", jurisdiction: "CN", registrationCode: "91110000MA01ABCD1X", roles: [BUYER] }) { __typename } }`,
    ]) {
      const answer = await post(ex, { query });
      expect(answer.status).toBe(400);
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['OPERATION_NOT_ALLOWED']);
      expect(answer.body.data).toBeUndefined();
    }
    expect(await count()).toBe(before);
  });

  it('refuses an unknown hash with PERSISTED_QUERY_NOT_FOUND', async () => {
    const answer = await post(ex, { extensions: { persistedQuery: { version: 1, sha256Hash: documentHash('{ __typename }') } } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});

describe('persisted operations by default (all documents)', () => {
  let ex: TestExchange;

  beforeAll(async () => {
    ex = await startTestExchange({ database: 'pglite' });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it('runs any document, and still resolves a known hash', async () => {
    expect((await post(ex, { query: '{ __typename }' })).body.data).toEqual({ __typename: 'Query' });
    const byHash = await post(ex, { extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(VIEWER_DOCUMENT) } } });
    expect(byHash.status).toBe(200);
    expect(byHash.body.data).toEqual({ viewer: null });
    expect((await post(ex, { extensions: { persistedQuery: { version: 1, sha256Hash: 'ab'.repeat(32) } } })).body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
