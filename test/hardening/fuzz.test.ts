// Hostile input (issue 9, part 4): a property-based fuzzer sends requests derived from the
// schema (test/hardening/fuzz-inputs.ts) over HTTP as a provider, a buyer and anonymously.
// Every answer must be a typed one (no HTTP 5xx, every error with a code, no masked
// "Unexpected error."), and every rejected call must leave the database as it was.
//
// FUZZ_SEED reproduces a run (the seed is printed); FUZZ_INPUTS sets how many requests are sent
// (10,000 by default). Requests go in small concurrent batches; the database is fingerprinted
// (db-fingerprint.ts) before and after each batch, and a batch in which every mutation was
// rejected must leave it unchanged. Runs on PGlite: the checks are about the API's answers and
// the domain's transactions, which are the same code on both databases.
import { createHash, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';
import { datasetInput } from '../factories/datasets.ts';
import { deposit, listedDatasetWithRights, participantId, placeOrder, pricePlan } from '../factories/market.ts';
import { globalId, latestTrade } from '../factories/parties.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { changedTables, fingerprint, tablesOf } from './db-fingerprint.ts';
import { requestArb, type FuzzRequest } from './fuzz-inputs.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_123);
const INPUTS = Number(process.env.FUZZ_INPUTS ?? 10_000);
const BATCH = 8;
const REQUEST_TIMEOUT_MS = 20_000;

type Caller = 'anonymous' | 'provider' | 'buyer';

interface Answer {
  status: number;
  body: any;
}

/** Why an answer is not a typed one, or null when it is. */
function untyped(answer: Answer): string | null {
  if (answer.status === 0) return `no answer: ${answer.body.transportError}`;
  if (answer.status >= 500) return `HTTP ${answer.status}`;
  if (!answer.body || typeof answer.body !== 'object') return `HTTP ${answer.status} without a JSON body`;
  for (const error of answer.body.errors ?? []) {
    const code = error?.extensions?.code;
    if (typeof code !== 'string') return `an error without a code: ${String(error?.message).slice(0, 200)}`;
    if (code === 'INTERNAL_SERVER_ERROR' || error.message === 'Unexpected error.') return `a masked error: ${String(error.message).slice(0, 200)}`;
  }
  if (!answer.body.errors && !('data' in answer.body)) return `HTTP ${answer.status}: neither data nor errors`;
  return null;
}

/** What an answer was, for the run's summary: a GraphQL error's code, an AppError's, or a result. */
function outcomeKind(request: FuzzRequest, answer: Answer): string {
  const code = answer.body?.errors?.[0]?.extensions?.code;
  if (code) return `${answer.status} ${code}`;
  const value = answer.body?.data?.[request.field];
  if (value?.__typename === 'AppError') return `AppError ${value.code}`;
  return value === null || value === undefined ? 'null' : 'result';
}

/** Whether the exchange refused the call: an error, or the root field's AppError result. */
function rejected(request: FuzzRequest, answer: Answer): boolean {
  if (answer.status >= 400 || answer.body?.errors?.length) return true;
  const value = answer.body?.data?.[request.field];
  return value === null || value === undefined || value.__typename === 'AppError';
}

describe('fuzzing the GraphQL API with schema-derived hostile input (PGlite)', () => {
  let ex: TestExchange;
  let tokens: Record<Caller, string | undefined>;
  let ids: string[];
  let baselines: Record<string, Record<string, unknown>>;

  beforeAll(async () => {
    // The rate limiter has its own tests; here it would only turn most requests into 429s.
    ex = await startTestExchange({ database: 'pglite', env: { EXCHANGE_RATE_LIMIT_PER_SECOND: '0', EXCHANGE_RATE_LIMIT_ANONYMOUS_PER_SECOND: '0' } });
    const provider = ex.keyOf('provider');
    const buyer = ex.keyOf('buyer');
    tokens = { anonymous: undefined, provider, buyer };
    ({ ids, baselines } = await fixtures(ex, provider, buyer));
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it('fingerprints the database so that an accepted call shows up and a refused one does not', async () => {
    const db = ex.built.services.db;
    const tables = await tablesOf(db);
    const before = await fingerprint(db, tables);
    await ex.gql('mutation { deposit(amountFen: "-5", idempotencyKey: "fuzz-refused") { __typename } }', {}, tokens.buyer);
    expect(changedTables(before, await fingerprint(db, tables))).toEqual([]);
    await deposit(ex, tokens.buyer!, 1n);
    expect(changedTables(before, await fingerprint(db, tables))).toEqual(expect.arrayContaining(['ledger_entries', 'ledger_transactions']));
  });

  // What the fuzzer found, kept as plain cases: each answer is typed, none is a 500.
  it.each([
    ['a document nested too deeply to parse', { query: `{ ${'viewer { '.repeat(3000)}${'}'.repeat(3000)} }` }, 'GRAPHQL_PARSE_FAILED'],
    ['a date-time past year 9999', { query: 'query($d: DateTime) { myEncryptedQueries(before: $d) { __typename } }', variables: { d: '+039108-03-18T22:09:35.404Z' } }, 'INVALID_INPUT'],
    ['a date-time literal past year 9999', { query: 'query { myEncryptedQueries(before: "+039108-03-18T22:09:35.404Z") { __typename } }' }, 'GRAPHQL_VALIDATION_FAILED'],
    ['a BigInt that is not an integer', { query: 'mutation($a: BigInt!) { deposit(amountFen: $a, idempotencyKey: "k") { __typename } }', variables: { a: '0x10' } }, 'INVALID_INPUT'],
    ['a global id of another type', { query: `mutation { acceptOrder(orderId: "${globalId('Dataset', randomUUID())}") { __typename } }` }, 'INVALID_INPUT'],
    ['a BigInt wider than 64 bits', { query: 'query($b: BigInt) { supervisoryActions(before: $b) { __typename } }', variables: { b: '9'.repeat(78) } }, 'INVALID_INPUT'],
    ['a string with a lone surrogate', { query: 'mutation($l: String!) { createApiKey(label: $l, scopes: [READ]) { __typename } }', variables: { l: '\udfff\ud800' } }, 'INVALID_INPUT'],
    ['a global id that is not one', { query: 'mutation { acceptOrder(orderId: "%%%") { __typename } }' }, 'INVALID_INPUT'],
  ])('answers %s with %s', async (_name, body, code) => {
    const res = await fetch(`${ex.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.provider}` }, body: JSON.stringify(body) });
    expect(res.status).toBeLessThan(500);
    expect((await res.json()).errors?.[0]?.extensions?.code).toBe(code);
  });

  it.each([
    ['names no node type', globalId('Nope', randomUUID())],
    ['has a key that is not a uuid', globalId('Dataset', '𝧙')],
  ])('answers node and nodes with null for an id that %s', async (_name, id) => {
    const r = await ex.gql('query($id: ID!) { node(id: $id) { __typename } nodes(ids: [$id]) { __typename } }', { id }, tokens.provider);
    expect(r).toEqual({ data: { node: null, nodes: [null] } });
  });

  it(`answers ${INPUTS} hostile requests with typed errors and changes nothing when it refuses`, async () => {
    const db = ex.built.services.db;
    const tables = await tablesOf(db);
    const problems = new Map<string, string>();
    const note = (signature: string, detail: string) => {
      if (!problems.has(signature)) problems.set(signature, detail);
    };
    let sent = 0;
    let checkedRejections = 0;
    const timing = { fingerprint: 0, requests: 0 };
    const outcomes = new Map<string, number>();

    const send = async (request: FuzzRequest, caller: Caller): Promise<Answer> => {
      const token = tokens[caller];
      let res: Response;
      try {
        res = await fetch(`${ex.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: request.rawBody ?? JSON.stringify(request.body),
          // A request that hangs is a finding too, not a hung test.
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (err) {
        return { status: 0, body: { transportError: String(err) } };
      }
      const text = await res.text();
      let body: unknown = null;
      try {
        body = JSON.parse(text);
      } catch {
        // Left null: untyped() reports it.
      }
      return { status: res.status, body };
    };

    const batchArb = fc.array(fc.tuple(requestArb({ ids }, baselines), fc.constantFrom<Caller>('provider', 'provider', 'buyer', 'buyer', 'anonymous')), { minLength: BATCH, maxLength: BATCH });
    console.log(`fuzz: seed ${SEED} (FUZZ_SEED), ${INPUTS} requests in batches of ${BATCH}`);
    const timedFingerprint = async () => {
      const t = performance.now();
      const f = await fingerprint(db, tables);
      timing.fingerprint += performance.now() - t;
      return f;
    };
    // Nothing runs between batches, so one batch's "after" is the next one's "before".
    let before = await timedFingerprint();
    await fc.assert(
      fc.asyncProperty(batchArb, async (batch) => {
        const t = performance.now();
        const answers = await Promise.all(batch.map(([request, caller]) => send(request, caller)));
        timing.requests += performance.now() - t;
        sent += batch.length;
        batch.forEach(([request, caller], i) => {
          const kind = outcomeKind(request, answers[i]!);
          outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
          const problem = untyped(answers[i]!);
          if (problem) {
            const detail = `${problem}\n  as ${caller}: ${JSON.stringify(request.body ?? request.rawBody).slice(0, 600)}`;
            note(`${request.field}: ${problem.replace(/\d+/g, 'N').slice(0, 120)}`, detail);
          }
        });
        // Only batches whose mutations were all refused must leave the database alone (reads change nothing).
        const after = await timedFingerprint();
        const changed = changedTables(before, after);
        before = after;
        if (batch.some(([request], i) => request.kind === 'mutation' && !rejected(request, answers[i]!))) return;
        checkedRejections += batch.filter(([request], i) => rejected(request, answers[i]!)).length;
        if (changed.length > 0) {
          const calls = batch.map(([request, caller], i) => `${request.field} as ${caller} -> ${JSON.stringify(answers[i]!.body).slice(0, 200)}`).join('\n  ');
          note(`changed ${changed.join(',')} on ${batch.map(([r]) => r.field).join(',')}`, `rejected calls changed ${changed.join(', ')}:\n  ${calls}`);
        }
      }),
      { seed: SEED, numRuns: Math.ceil(INPUTS / BATCH), endOnFailure: true },
    );
    console.log(`fuzz: sent ${sent} requests (seed ${SEED}); ${checkedRejections} rejected calls checked against the database fingerprint; ${problems.size} distinct problems`);
    console.log(`fuzz: ${Math.round(timing.requests)} ms in requests, ${Math.round(timing.fingerprint)} ms fingerprinting`);
    console.log(`fuzz: answers by kind: ${[...outcomes].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect([...problems.values()]).toEqual([]);
  }, 600_000);
});

/** Real records to aim at, and a valid call of the fields that need one to get past the first check. */
async function fixtures(ex: TestExchange, provider: string, buyer: string) {
  const providerId = await participantId(ex, provider);
  const buyerId = await participantId(ex, buyer);
  const { datasetId } = await listedDatasetWithRights(ex);
  const planId = await pricePlan(ex, datasetId, { priceFen: '1000', autoAccept: false, access: 'QUERY_ONLY' });
  const autoPlanId = await pricePlan(ex, datasetId, { priceFen: '1000', autoAccept: true, access: 'QUERY_ONLY' });
  await deposit(ex, buyer, 100_000_000n);
  const orderId: string = (await placeOrder(ex, buyer, planId)).id;
  await placeOrder(ex, buyer, autoPlanId);
  const { tradeId, licenceId } = await latestTrade(ex, buyer);
  const one = async (query: string, variables: Record<string, unknown>, token: string) => Object.values((await ex.gql(query, variables, token)).data)[0] as { id: string };
  const roundPlanId = await pricePlan(ex, datasetId, { priceFen: '1000' });
  const roundId = (await one(`mutation($p: ID!, $c: DateTime!) { openBidRound(planId: $p, reserveFen: "100", closesAt: $c) { ... on BidRound { id } } }`, { p: roundPlanId, c: new Date(Date.now() + 86_400_000).toISOString() }, provider)).id;
  const bidId = (await one(`mutation($r: ID!) { placeBid(roundId: $r, amountFen: "150", purpose: "URBAN_PLANNING", idempotencyKey: "fuzz-bid") { ... on Bid { id } } }`, { r: roundId }, buyer)).id;
  const disputeId = (await one(`mutation($t: ID!) { openDispute(tradeId: $t, claim: "模糊测试") { ... on Dispute { id } } }`, { t: tradeId }, buyer)).id;
  const assessmentId = (await one(`mutation($d: ID!) { requestSecurityAssessment(datasetId: $d, destination: "SG") { ... on SecurityAssessment { id } } }`, { d: datasetId }, provider)).id;
  const draft = datasetInput();
  const created = await ex.gql(`mutation($input: DatasetInput!) { createDataset(input: $input) { ... on DatasetDraft { dataset { id currentVersion { id } } } } }`, { input: draft.input }, provider);
  const draftId: string = created.data.createDataset.dataset.id;
  const versionId: string = created.data.createDataset.dataset.currentVersion.id;

  const publicKey = Buffer.from(randomUUID()).toString('base64');
  const bundle = JSON.stringify({
    keyId: createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex'),
    scheme: 'bfv',
    paramsFingerprint: '0'.repeat(64),
    publicKey,
    relinKeys: publicKey,
    galoisKeys: publicKey,
    keysDigest: '0'.repeat(64),
  });
  const terms = { purposes: ['URBAN_PLANNING'], termDays: 30, territories: ['CN'], access: 'QUERY_ONLY' };
  const baselines: Record<string, Record<string, unknown>> = {
    registerParticipant: { input: { name: '模糊测试有限公司', jurisdiction: 'CN', registrationCode: seedCreditCode('FUHH0001'), roles: ['PROVIDER'] } },
    createDataset: { input: draft.input },
    reviseDataset: { datasetId: draftId, input: draft.input },
    uploadDatasetRows: { datasetId: draftId, csv: draft.csv },
    submitDatasetForReview: { datasetId: draftId },
    submitComplianceProof: { versionId, circuit: 'RULE_CHUNK', publicSignals: ['1', '2', '3'], proof: { pi_a: ['1', '2', '1'], pi_b: [['1', '2'], ['3', '4'], ['1', '0']], pi_c: ['1', '2', '1'], protocol: 'groth16', curve: 'bn128' } },
    requestSampledAudit: { versionId, samples: 2 },
    createPricePlan: { input: { datasetId, kind: 'FIXED', title: '模糊测试', priceFen: '100', terms } },
    registerRights: { datasetId, holdings: ['CONTROL', 'USE', 'INCOME'].map((right) => ({ right, holderId: providerId, shareBps: 10_000 })) },
    transferRights: { datasetId, right: 'USE', shareBps: 1, toHolderId: buyerId },
    placeOrder: { planId, purpose: 'URBAN_PLANNING', idempotencyKey: 'fuzz-order' },
    acceptOrder: { orderId },
    rejectOrder: { orderId, reason: '模糊测试' },
    cancelOrder: { orderId },
    deposit: { amountFen: '100', idempotencyKey: 'fuzz-deposit' },
    withdraw: { amountFen: '100', idempotencyKey: 'fuzz-withdraw' },
    openBidRound: { planId, reserveFen: '100', closesAt: new Date(Date.now() + 86_400_000).toISOString() },
    openDispute: { tradeId, claim: '模糊测试' },
    uploadHeKeySet: { bundle },
    issueIdSetSalt: { licenceId },
    submitEncryptedQuery: { licenceId, keyId: 'a'.repeat(64), kind: 'GROUP_AGGREGATE', params: { groupColumn: 'district', valueColumn: 'vehicles' }, query: { kind: 'group-aggregate', groupCount: 6, ciphertexts: [publicKey] } },
    requestSecurityAssessment: { datasetId, destination: 'SG' },
    createApiKey: { label: 'fuzz', scopes: ['READ'] },
    filingStatistics: { groupBy: ['DOMAIN'] },
    catalog: { text: '交通 traffic', first: 5 },
    dataset: { id: datasetId },
    verifyRecord: { id: tradeId },
    orders: { side: 'BUYER' },
    trades: { side: 'BUYER' },
    licences: { side: 'BUYER' },
  };
  const ids = [datasetId, draftId, versionId, planId, autoPlanId, roundPlanId, orderId, tradeId, licenceId, providerId, buyerId, roundId, bidId, disputeId, assessmentId];
  expect(ids.every(Boolean)).toBe(true);
  return { ids, baselines };
}
