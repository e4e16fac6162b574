// Rate limits over real HTTP: a token bucket per API key and, for callers without a valid key,
// per client address; 429 with Retry-After, nothing changed, and service again once the bucket
// has refilled. The buckets themselves are checked against a clock the test moves.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../server/db/client.ts';
import { TokenBuckets } from '../../server/http/rate-limit.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const ANONYMOUS_BURST = 3;
const KEYED_BURST = 4;

describe('TokenBuckets', () => {
  it('gives a burst, then one token per 1/rate seconds, and says how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets(() => now);
    const rate = { perSecond: 2, burst: 3 };
    expect([1, 2, 3].map(() => buckets.take('a', rate).allowed)).toEqual([true, true, true]);
    expect(buckets.take('a', rate)).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(buckets.take('b', rate).allowed).toBe(true); // another caller has its own bucket
    now = 250;
    expect(buckets.take('a', rate)).toEqual({ allowed: false, retryAfterMs: 250 });
    now = 500;
    expect(buckets.take('a', rate).allowed).toBe(true);
    expect(buckets.take('a', rate).allowed).toBe(false);
    now = 60_000; // a long quiet spell refills to the burst, no more
    expect([1, 2, 3, 4].map(() => buckets.take('a', rate).allowed)).toEqual([true, true, true, false]);
  });

  it('lets everything through at rate 0 (the limit switched off)', () => {
    const buckets = new TokenBuckets(() => 0);
    expect(Array.from({ length: 100 }, () => buckets.take('a', { perSecond: 0, burst: 1 }).allowed).every(Boolean)).toBe(true);
  });
});

describe.each(await databaseTargets())('rate limits on %s', (database) => {
  let ex: TestExchange;

  beforeAll(async () => {
    ex = await startTestExchange({
      database,
      env: {
        EXCHANGE_RATE_LIMIT_ANONYMOUS_PER_SECOND: '1',
        EXCHANGE_RATE_LIMIT_ANONYMOUS_BURST: String(ANONYMOUS_BURST),
        EXCHANGE_RATE_LIMIT_PER_SECOND: '1',
        EXCHANGE_RATE_LIMIT_BURST: String(KEYED_BURST),
      },
    });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const call = (query: string, token?: string, variables?: Record<string, unknown>) =>
    fetch(`${ex.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
  const participantCount = async () => Number(rowsOf(await ex.built.services.db.execute(sql`select count(*)::int as n from participants`))[0]!.n);
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('answers 429 with Retry-After once an anonymous caller has spent its burst, changes nothing, and serves it again after the wait', async () => {
    for (let i = 0; i < ANONYMOUS_BURST; i++) expect((await call('{ __typename }')).status).toBe(200);
    const before = await participantCount();
    const refused = await call(`mutation { registerParticipant(input: { name: "限流测试", jurisdiction: "CN", registrationCode: "91110000MA01ABCD1X", roles: [BUYER] }) { __typename } }`);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
    const body = (await refused.json()) as { error: string; message: string; errors: { extensions: { code: string } }[] };
    expect(body.error).toBe('RATE_LIMITED');
    expect(body.errors[0]!.extensions.code).toBe('RATE_LIMITED');
    expect(body.message).toMatch(/without an API key: at most 1 a second \(bursts of 3\)/);
    expect(refused.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await participantCount()).toBe(before);

    // The file routes share the bucket; a made-up key does not buy a fresh one.
    expect((await fetch(`${ex.url}/regulator/audit-log.csv`)).status).toBe(429);
    expect((await call('{ __typename }', 'dx_madeup_notakey')).status).toBe(429);
    // /health is never limited.
    expect((await fetch(`${ex.url}/health`)).status).not.toBe(429);

    await sleep(retryAfter * 1000);
    expect((await call('{ __typename }')).status).toBe(200);
  });

  it('gives each API key a bucket of its own, apart from its address', async () => {
    const operator = ex.keyOf('operator');
    for (let i = 0; i < KEYED_BURST; i++) expect((await call('{ viewer { __typename } }', operator)).status).toBe(200);
    const refused = await call('{ viewer { __typename } }', operator);
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { message: string }).message).toMatch(/with this API key/);
    expect((await call('{ viewer { __typename } }', ex.keyOf('regulator'))).status).toBe(200);
    await sleep(Number(refused.headers.get('retry-after')) * 1000);
    expect((await call('{ viewer { __typename } }', operator)).status).toBe(200);
  });
});
