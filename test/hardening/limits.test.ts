// The API's protections over real HTTP (README "Production settings"): GraphQL depth, alias,
// field-count and cost limits, introspection, request body sizes, CORS and security headers.
// Rate limits and persisted operations have files of their own beside this one.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { databaseTargets } from '../support/databases.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

const PARTNER = 'https://partner.example';
const BODY_LIMIT = 64 * 1024;
const UPLOAD_LIMIT = 256 * 1024;

/** POSTs a GraphQL request and returns the status, the headers and the parsed answer. */
async function post(ex: TestExchange, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${ex.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, body: (await res.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

function codesOf(answer: { body: { errors?: { extensions?: { code?: string } }[] } }): (string | undefined)[] {
  return (answer.body.errors ?? []).map((e) => e.extensions?.code);
}

/** `{ dataset { rights { previous { … } } } }` nested to `depth` fields in all. */
function nestedQuery(depth: number): string {
  const inner = 'previous { '.repeat(depth - 3) + 'id' + ' }'.repeat(depth - 3);
  return `{ dataset(id: "x") { ... on Dataset { rights { ${inner} } } } }`;
}

describe('production settings in the configuration', () => {
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
  };

  it('has defaults that leave the web UI and the tests room, and switches introspection off in production', () => {
    const c = loadConfig({});
    expect(c.graphql).toEqual({ maxDepth: 12, maxAliases: 30, maxFields: 1000, maxCost: 25_000, introspection: true, persistedOperations: 'all' });
    expect(c.protection).toMatchObject({ maxBodyBytes: 1024 * 1024, corsOrigins: [], hstsMaxAgeSeconds: 0, trustProxy: false });
    expect(loadConfig({ NODE_ENV: 'production' }).graphql.introspection).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', EXCHANGE_GRAPHQL_INTROSPECTION: 'true' }).graphql.introspection).toBe(true);
  });

  it('reads origins, proxies and limits, and names a malformed or misspelt one', () => {
    const c = loadConfig({ EXCHANGE_CORS_ORIGINS: 'https://a.example, http://b.example:8080', EXCHANGE_TRUST_PROXY: '1', EXCHANGE_PERSISTED_OPERATIONS: 'only' });
    expect(c.protection.corsOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
    expect(c.protection.trustProxy).toBe(1);
    expect(c.graphql.persistedOperations).toBe('only');
    expect(problemsOf({ EXCHANGE_CORS_ORIGINS: 'https://a.example/app' }).map((p) => p.variable)).toEqual(['EXCHANGE_CORS_ORIGINS']);
    expect(problemsOf({ EXCHANGE_PERSISTED_OPERATIONS: 'some' }).map((p) => p.variable)).toEqual(['EXCHANGE_PERSISTED_OPERATIONS']);
    expect(problemsOf({ EXCHANGE_RATE_LIMIT_BRUST: '5' })).toEqual([{ variable: 'EXCHANGE_RATE_LIMIT_BRUST', message: 'unknown variable (did you mean EXCHANGE_RATE_LIMIT_BURST?)' }]);
  });
});

describe.each(await databaseTargets())('the API protections on %s', (database) => {
  let ex: TestExchange;
  let key: string;

  beforeAll(async () => {
    ex = await startTestExchange({
      database,
      env: {
        EXCHANGE_CORS_ORIGINS: `${PARTNER}, https://other.example`,
        EXCHANGE_HSTS_MAX_AGE: '31536000',
        EXCHANGE_MAX_BODY_BYTES: String(BODY_LIMIT),
        EXCHANGE_MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
        EXCHANGE_GRAPHQL_INTROSPECTION: 'false',
      },
    });
    key = ex.keyOf('operator');
  });
  afterAll(async () => {
    await ex?.stop();
  });

  describe('operation limits', () => {
    it('runs a query at the depth limit and refuses one a level deeper with QUERY_TOO_DEEP (HTTP 400)', async () => {
      const atLimit = await post(ex, { query: nestedQuery(12) });
      expect(codesOf(atLimit)).not.toContain('QUERY_TOO_DEEP');
      const deeper = await post(ex, { query: nestedQuery(13) });
      expect(deeper.status).toBe(400);
      expect(codesOf(deeper)).toEqual(['QUERY_TOO_DEEP']);
      expect(deeper.body.errors![0]!.message).toMatch(/13 fields deep; at most 12/);
      expect(deeper.body.data).toBeUndefined();
    });

    it('counts depth through fragments, refuses fragments chained too deep, and does not loop on a fragment cycle', async () => {
      const viaFragments = await post(ex, { query: `{ ...Q } fragment Q on Query { dataset(id: "x") { ... on Dataset { rights { ...P } } } } fragment P on RightsCertificate { ${'previous { '.repeat(10)}id${' }'.repeat(10)} }` });
      expect(codesOf(viaFragments)).toEqual(['QUERY_TOO_DEEP']);
      // A long chain of fragments, each spreading the next, is refused, not a stack overflow (500).
      const chain = Array.from({ length: 1500 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} }`).join(' ');
      const chained = await post(ex, { query: `{ ...F0 } ${chain} fragment F1500 on Query { __typename }` }, { authorization: `Bearer ${key}` });
      expect(chained.status).toBe(400);
      expect(codesOf(chained)).toEqual(['QUERY_TOO_DEEP']);
      const cycle = await post(ex, { query: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }, { accept: 'application/graphql-response+json' });
      expect(cycle.status).toBe(400);
      expect(codesOf(cycle)).toContain('GRAPHQL_VALIDATION_FAILED');
    });

    it('refuses inline fragments nested directly in each other beyond eight, which add no fields but nest the executor', async () => {
      const run = (n: number) => `{ ${'... on Query { '.repeat(n)}__typename${' }'.repeat(n)} }`;
      const eight = await post(ex, { query: run(8) });
      expect(eight.status).toBe(200);
      expect(eight.body.data).toEqual({ __typename: 'Query' });
      for (const n of [9, 200]) {
        const deeper = await post(ex, { query: run(n) });
        expect({ n, status: deeper.status, codes: codesOf(deeper) }).toEqual({ n, status: 400, codes: ['QUERY_TOO_DEEP'] });
      }
      // Nested about as deep as the parser's stack reaches: refused either as a document that
      // does not parse or by the rule (where the stack runs out varies), 400 either way.
      const unparsable = await post(ex, { query: `{${'...on Query{'.repeat(3000)}__typename${'}'.repeat(3000)}}` }, { accept: 'application/graphql-response+json' });
      expect(unparsable.status).toBe(400);
      expect(codesOf(unparsable)).toHaveLength(1);
      expect(['GRAPHQL_PARSE_FAILED', 'QUERY_TOO_DEEP']).toContain(codesOf(unparsable)[0]);
    });

    it('refuses an alias bomb with TOO_MANY_ALIASES', async () => {
      const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: catalog(first: 1) { __typename }`).join(' ');
      const bomb = await post(ex, { query: `{ ${aliases} }` });
      expect(bomb.status).toBe(400);
      expect(codesOf(bomb)).toEqual(['TOO_MANY_ALIASES']);
      const typenames = await post(ex, { query: `{ ${Array.from({ length: 31 }, (_, i) => `t${i}: __typename`).join(' ')} }` });
      expect(codesOf(typenames)).toEqual(['TOO_MANY_ALIASES']);
      const thirty = await post(ex, { query: `{ ${Array.from({ length: 30 }, (_, i) => `t${i}: __typename`).join(' ')} }` });
      expect(thirty.status).toBe(200);
      expect(Object.keys(thirty.body.data)).toHaveLength(30);
    });

    it('refuses a fragment bomb (fragments spreading each other) with TOO_MANY_FIELDS, measured without expanding it', async () => {
      const levels = Array.from({ length: 40 }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`).join(' ');
      const bomb = await post(ex, { query: `{ ...F40 } fragment F0 on Query { __typename } ${levels}` });
      expect(bomb.status).toBe(400);
      expect(codesOf(bomb)).toEqual(['TOO_MANY_FIELDS']);
    });

    it('refuses a costly query with QUERY_TOO_COSTLY, reading page sizes from literals and variables', async () => {
      const query = `query($n: Int) { catalog(first: $n) { ... on QueryCatalogConnection { edges { node { id status provider { id name jurisdiction }
        currentVersion { titleZh titleEn columns { name type unit } } } } } } }`;
      const modest = await post(ex, { query, variables: { n: 20 } });
      expect(modest.status).toBe(200);
      expect(modest.body.errors).toBeUndefined();
      const costly = await post(ex, { query, variables: { n: 1000 } });
      expect(costly.status).toBe(400);
      expect(codesOf(costly)).toEqual(['QUERY_TOO_COSTLY']);
      expect(costly.body.errors![0]!.message).toMatch(/estimated cost is \d+; at most 25000/);
      // The same size as a literal, and lists nested under an unsized list (each counted as 10).
      expect(codesOf(await post(ex, { query: query.replace('query($n: Int)', '').replace('$n', '1000') }))).toEqual(['QUERY_TOO_COSTLY']);
    });

    it('refuses introspection when it is switched off, with INTROSPECTION_DISABLED', async () => {
      const answer = await post(ex, { query: getIntrospectionQuery() });
      expect(answer.status).toBe(400);
      expect(codesOf(answer)).toContain('INTROSPECTION_DISABLED');
      expect((await post(ex, { query: '{ __type(name: "Query") { name } }' })).status).toBe(400);
    });
  });

  describe('request body size', () => {
    const padded = (bytes: number) => ({ query: 'query($text: String) { catalog(text: $text, first: 1) { __typename } }', variables: { text: 'x'.repeat(bytes) } });

    it('refuses a body over the limit without an API key with 413 and a message naming the limit', async () => {
      const answer = await post(ex, padded(BODY_LIMIT + 1));
      expect(answer.status).toBe(413);
      expect(codesOf(answer)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(answer.body.errors![0]!.message).toBe(`the request body is larger than ${BODY_LIMIT} bytes, this server's limit for requests without an API key`);
    });

    it('counts a body sent without Content-Length as it streams in', async () => {
      const bytes = new TextEncoder().encode(JSON.stringify(padded(BODY_LIMIT * 2)));
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 16 * 1024) controller.enqueue(bytes.slice(i, i + 16 * 1024));
          controller.close();
        },
      });
      const res = await fetch(`${ex.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
      expect(res.status).toBe(413);
      expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    });

    it('lets a caller with an API key send up to the upload limit, and no more', async () => {
      const within = await post(ex, padded(BODY_LIMIT * 2), { authorization: `Bearer ${key}` });
      expect(within.status).toBe(200);
      const over = await post(ex, padded(UPLOAD_LIMIT + 1), { authorization: `Bearer ${key}` });
      expect(over.status).toBe(413);
      expect(over.body.errors![0]!.message).toBe(`the request body is larger than ${UPLOAD_LIMIT} bytes, this server's limit`);
    });

    it('holds the document itself to the smaller limit: large values go in variables', async () => {
      const answer = await post(ex, { query: `# ${'x'.repeat(BODY_LIMIT)}\n{ __typename }` }, { authorization: `Bearer ${key}` });
      expect(answer.status).toBe(413);
      expect(answer.body.errors![0]!.message).toMatch(/^the GraphQL document is larger than 65536 bytes/);
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      fetch(`${ex.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });

    it('allows a preflight from a configured origin', async () => {
      const res = await preflight(PARTNER);
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(PARTNER);
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(res.headers.get('vary')).toContain('Origin');
    });

    it('refuses a preflight from any other origin, and gives its requests no Access-Control-Allow-Origin', async () => {
      const res = await preflight('https://evil.example');
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(((await res.json()) as { error: string }).error).toBe('CORS_ORIGIN_NOT_ALLOWED');
      const simple = await post(ex, { query: '{ __typename }' }, { origin: 'https://evil.example' });
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
      const allowed = await post(ex, { query: '{ __typename }' }, { origin: PARTNER });
      expect(allowed.headers.get('access-control-allow-origin')).toBe(PARTNER);
    });

    it('serves its own pages without CORS headers (same origin)', async () => {
      const own = await post(ex, { query: '{ __typename }' }, { origin: ex.url });
      expect(own.status).toBe(200);
      expect(own.headers.get('access-control-allow-origin')).toBeNull();
    });
  });

  describe('security headers', () => {
    it.each(['/graphql', '/', '/health'])('are on every response: %s', async (path) => {
      const res = path === '/graphql' ? await fetch(`${ex.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }) : await fetch(`${ex.url}${path}`);
      expect(res.status === 503 || res.status < 500).toBe(true); // /health says 503 while circuits are unbuilt
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('are on refusals too (413)', async () => {
      const res = await post(ex, { query: '{ __typename }', variables: { pad: 'x'.repeat(BODY_LIMIT) } });
      expect(res.status).toBe(413);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });
});

describe('the default protections', () => {
  let ex: TestExchange;

  beforeAll(async () => {
    ex = await startTestExchange({ database: 'pglite' });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it("let GraphiQL's introspection query through in development and test", async () => {
    const answer = await post(ex, { query: getIntrospectionQuery() });
    expect(answer.status).toBe(200);
    expect(answer.body.data.__schema.types.length).toBeGreaterThan(50);
  });

  it('send no Strict-Transport-Security until it is configured', async () => {
    const res = await fetch(`${ex.url}/health`);
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("give GraphiQL's page a policy that lets it load its editor", async () => {
    const res = await fetch(`${ex.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain('https://unpkg.com');
  });
});
