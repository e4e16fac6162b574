// The regulator's read-only node: regulators only; queries pass, supervisory mutations pass,
// every other mutation is refused before anything runs.
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../server/domain/participants/roles.ts';
import { useRegulatorReadOnly } from '../../server/http/regulator-read-only.ts';

const ran: string[] = [];
const schema = createSchema({
  typeDefs: /* GraphQL */ `
    type Query { catalog: String }
    type Mutation { suspendParticipant(reason: String): String, freezeLicence: String, placeOrder: String, deposit: String }`,
  resolvers: {
    Query: { catalog: () => 'datasets' },
    Mutation: Object.fromEntries(['suspendParticipant', 'freezeLicence', 'placeOrder', 'deposit'].map((f) => [f, () => (ran.push(f), 'done')])),
  },
});

const viewer = (roles: Viewer['roles'], status: Viewer['participantStatus'] = 'verified'): Viewer => ({
  participantId: '00000000-0000-4000-8000-000000000001',
  participantStatus: status,
  roles,
  apiKeyId: '00000000-0000-4000-8000-000000000002',
  scopes: ['read', ...roles],
});

async function send(query: string, who: Viewer | null, operationName?: string) {
  const yoga = createYoga<object>({ schema, plugins: [useRegulatorReadOnly() as never], context: () => ({ viewer: who }) });
  const res = await yoga.fetch('http://node/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, operationName }) });
  return (await res.json()) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('useRegulatorReadOnly', () => {
  const regulator = viewer(['regulator']);

  it('serves a regulator its queries and its supervisory mutations', async () => {
    expect((await send('{ catalog }', regulator)).data).toEqual({ catalog: 'datasets' });
    expect((await send('mutation { suspendParticipant freezeLicence }', regulator)).data).toEqual({ suspendParticipant: 'done', freezeLicence: 'done' });
  });

  it('refuses any other mutation, alone or hidden beside a permitted one or in a fragment, and runs nothing', async () => {
    ran.length = 0;
    for (const query of [
      'mutation { placeOrder }',
      'mutation { suspendParticipant deposit }',
      'mutation { ...M } fragment M on Mutation { deposit }',
      'mutation { ... on Mutation { placeOrder } }',
    ]) {
      const r = await send(query, regulator);
      expect(r.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
      expect(r.data ?? null).toBeNull();
    }
    const named = await send('query Q { catalog } mutation M { deposit }', regulator, 'M');
    expect(named.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(ran).toEqual([]);
  });

  it('refuses everyone but a verified regulator', async () => {
    expect((await send('{ catalog }', null)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const who of [viewer(['operator']), viewer(['buyer']), viewer(['regulator'], 'suspended')]) {
      expect((await send('{ catalog }', who)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('useRegulatorReadOnly on a read-only replica without a primary', () => {
  it('refuses supervisory mutations too (there is nowhere to write them) and still serves queries', async () => {
    ran.length = 0;
    const yoga = createYoga<object>({ schema, plugins: [useRegulatorReadOnly({ supervisionWithoutPrimary: false }) as never], context: () => ({ viewer: viewer(['regulator']) }) });
    const post = async (query: string) =>
      (await (await yoga.fetch('http://node/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as {
        data?: unknown;
        errors?: { extensions?: { code?: string } }[];
      };
    expect((await post('{ catalog }')).data).toEqual({ catalog: 'datasets' });
    expect((await post('mutation { suspendParticipant }')).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(ran).toEqual([]);
  });
});

describe('useRegulatorReadOnly with a primary', () => {
  it("forwards supervisory mutations to the primary with the caller's key, and runs none locally", async () => {
    ran.length = 0;
    const sent: { url: string; authorization: string | null; body: { query: string; variables: unknown } }[] = [];
    const primary = (async (url: string, init: RequestInit) => {
      sent.push({ url, authorization: new Headers(init.headers).get('authorization'), body: JSON.parse(String(init.body)) });
      return new Response(JSON.stringify({ data: { suspendParticipant: 'done on the primary' } }));
    }) as unknown as typeof fetch;
    const yoga = createYoga<object>({
      schema,
      plugins: [useRegulatorReadOnly({ primaryUrl: 'https://primary.example/graphql', fetch: primary }) as never],
      context: () => ({ viewer: viewer(['regulator']) }),
    });
    const res = await yoga.fetch('http://node/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer dx_regulator' },
      body: JSON.stringify({ query: 'mutation($r: String) { suspendParticipant(reason: $r) }', variables: { r: '理由' } }),
    });
    expect(await res.json()).toEqual({ data: { suspendParticipant: 'done on the primary' } });
    expect(sent).toEqual([{ url: 'https://primary.example/graphql', authorization: 'Bearer dx_regulator', body: expect.objectContaining({ variables: { r: '理由' } }) }]);
    expect(sent[0]!.body.query).toContain('suspendParticipant');
    expect(ran).toEqual([]);
  });
});
