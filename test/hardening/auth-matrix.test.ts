// The authorisation matrix (issue 9, part 5): every mutation and every sensitive query, called
// by every role against real records, must be allowed or refused exactly as the table says.
//
// Cells: 'A' allowed (any outcome but an authorisation refusal: it may still fail validation or
// state checks), '-' refused with UNAUTHENTICATED (anonymous) or FORBIDDEN (a signed-in role
// without the right), 'H' hidden: the record is someone else's, so the caller gets NOT_FOUND (or
// null), the exchange's way of not telling outsiders what exists.
//
// It runs on PGlite only: authorisation is decided in TypeScript before any SQL that differs
// between the two databases, and the suite already runs every flow on both.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCreditCode } from '../../server/domain/participants/seed-system-participants.ts';
import { datasetInput } from '../factories/datasets.ts';
import { deposit, listedDatasetWithRights, participantId, placeOrder, pricePlan } from '../factories/market.ts';
import { approvedParticipant, globalId, latestTrade } from '../factories/parties.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { documentFor, outcomeOf, rootFields, type Outcome, type RootKind } from './schema-calls.ts';

const ROLES = ['anonymous', 'provider', 'otherProvider', 'buyer', 'operator', 'regulator', 'arbiter'] as const;
type Role = (typeof ROLES)[number];
type Cell = 'A' | '-' | 'H';

/** Records the calls act on, all made through the API in beforeAll. */
interface Fixtures {
  providerId: string;
  buyerId: string;
  datasetId: string;
  draftDatasetId: string;
  draftVersionId: string;
  inReviewDatasetId: string;
  suspendableDatasetId: string;
  manualPlanId: string;
  retirablePlanId: string;
  roundPlanId: string;
  pendingOrders: string[];
  tradeId: string;
  disputableTradeId: string;
  licenceId: string;
  disputeId: string;
  roundId: string;
  bidId: string;
  assessmentId: string;
  pendingParticipantId: string;
  supervisedParticipantId: string;
  spareKeyId: string;
}

interface Row {
  kind: RootKind;
  field: string;
  /** Shown in failures when a field has several rows. */
  label?: string;
  args: (f: Fixtures) => Record<string, unknown>;
  /** One cell per role, in the order of ROLES. */
  cells: string;
  /** The ids are made up, so an allowed caller may get NOT_FOUND. */
  dummyIds?: boolean;
}

const someId = (type: string) => globalId(type, randomUUID());
const datasetDraft = () => datasetInput().input;

// Mutations, then sensitive queries. Within a row the refusals are called first, so a record an
// allowed caller changes cannot turn a refusal into a state error.
//                                                                       anon prov other buyer oper reg arb
const ROWS: Row[] = [
  { kind: 'mutation', field: 'registerParticipant', args: () => ({ input: { name: '矩阵测试有限公司', jurisdiction: 'CN', registrationCode: seedCreditCode('MATRX001'), roles: ['PROVIDER'] } }), cells: 'A A A A A A A' },
  { kind: 'mutation', field: 'reviewParticipant', args: (f) => ({ participantId: f.pendingParticipantId, approve: true }), cells: '- - - - A - -' },
  { kind: 'mutation', field: 'createApiKey', args: () => ({ label: 'matrix', scopes: ['READ'] }), cells: '- A A A A A A' },
  { kind: 'mutation', field: 'revokeApiKey', args: (f) => ({ id: f.spareKeyId }), cells: '- A H H A H H' },
  { kind: 'mutation', field: 'createDataset', args: () => ({ input: datasetDraft() }), cells: '- A A - - - -' },
  { kind: 'mutation', field: 'reviseDataset', args: (f) => ({ datasetId: f.draftDatasetId, input: datasetDraft() }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'uploadDatasetRows', args: (f) => ({ datasetId: f.draftDatasetId, csv: 'a,b\n1,2\n' }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'submitDatasetForReview', args: (f) => ({ datasetId: f.draftDatasetId }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'submitComplianceProof', args: (f) => ({ versionId: f.draftVersionId, circuit: 'RULE_CHUNK', publicSignals: [], proof: {} }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'requestSampledAudit', args: (f) => ({ versionId: f.draftVersionId }), cells: '- A H - A - -' },
  { kind: 'mutation', field: 'reviewDataset', args: (f) => ({ datasetId: f.inReviewDatasetId, approve: true }), cells: '- - - - A - -' },
  { kind: 'mutation', field: 'superviseDataset', args: (f) => ({ datasetId: f.suspendableDatasetId, action: 'SUSPEND', reason: 'matrix' }), cells: '- - - - A A -' },
  { kind: 'mutation', field: 'registerRights', args: (f) => ({ datasetId: f.datasetId, holdings: ['CONTROL', 'USE', 'INCOME'].map((right) => ({ right, holderId: f.providerId, shareBps: 10_000 })) }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'transferRights', args: (f) => ({ datasetId: f.datasetId, right: 'USE', shareBps: 1, toHolderId: f.supervisedParticipantId }), cells: '- A - - - - -' },
  { kind: 'mutation', field: 'createPricePlan', args: (f) => ({ input: { datasetId: f.datasetId, kind: 'FIXED', title: 'matrix', priceFen: '100', terms: { purposes: ['URBAN_PLANNING'], termDays: 30, territories: ['CN'], access: 'DELIVERY' } } }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'retirePricePlan', args: (f) => ({ planId: f.retirablePlanId }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'placeOrder', args: (f) => ({ planId: f.manualPlanId, purpose: 'URBAN_PLANNING', idempotencyKey: `matrix-${randomUUID()}` }), cells: '- - - A - - -' },
  { kind: 'mutation', field: 'acceptOrder', args: (f) => ({ orderId: f.pendingOrders[0] }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'rejectOrder', args: (f) => ({ orderId: f.pendingOrders[1], reason: 'matrix' }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'cancelOrder', args: (f) => ({ orderId: f.pendingOrders[2] }), cells: '- H H A H H H' },
  { kind: 'mutation', field: 'deposit', args: () => ({ amountFen: '100', idempotencyKey: `matrix-${randomUUID()}` }), cells: '- A A A A A A' },
  { kind: 'mutation', field: 'withdraw', args: () => ({ amountFen: '1', idempotencyKey: `matrix-${randomUUID()}` }), cells: '- A A A A A A' },
  { kind: 'mutation', field: 'openBidRound', args: (f) => ({ planId: f.roundPlanId, reserveFen: '100', closesAt: new Date(Date.now() + 3_600_000).toISOString() }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'placeBid', args: (f) => ({ roundId: f.roundId, amountFen: '200', purpose: 'URBAN_PLANNING', idempotencyKey: `matrix-${randomUUID()}` }), cells: '- - - A - - -' },
  { kind: 'mutation', field: 'withdrawBid', args: (f) => ({ bidId: f.bidId }), cells: '- - - A - - -' },
  { kind: 'mutation', field: 'closeBidRound', args: (f) => ({ roundId: f.roundId }), cells: '- A A A A A A' },
  { kind: 'mutation', field: 'openDispute', args: (f) => ({ tradeId: f.disputableTradeId, claim: 'matrix' }), cells: '- A H A - - -' },
  { kind: 'mutation', field: 'refreshDisputeEvidence', args: (f) => ({ disputeId: f.disputeId }), cells: '- A H A - - A' },
  { kind: 'mutation', field: 'ruleDispute', args: (f) => ({ disputeId: f.disputeId, breach: false, remedy: 'NONE', ruling: 'matrix' }), cells: '- - - - - - A' },
  { kind: 'mutation', field: 'withdrawDispute', args: (f) => ({ disputeId: f.disputeId }), cells: '- - H A - - -' },
  { kind: 'mutation', field: 'uploadHeKeySet', args: () => ({ bundle: '{}' }), cells: '- - - A - - -' },
  { kind: 'mutation', field: 'issueIdSetSalt', args: (f) => ({ licenceId: f.licenceId }), cells: '- - - A - - -' },
  { kind: 'mutation', field: 'submitEncryptedQuery', args: (f) => ({ licenceId: f.licenceId, keyId: 'matrix', kind: 'GROUP_AGGREGATE', params: {}, query: {} }), cells: '- - - A - - -' },
  { kind: 'mutation', field: 'addToPositiveList', args: () => ({ classification: 'transport.traffic', destination: 'SG', reason: 'matrix' }), cells: '- - - - - A -' },
  { kind: 'mutation', field: 'removeFromPositiveList', args: () => ({ classification: 'transport.traffic', destination: 'SG', reason: 'matrix' }), cells: '- - - - - A -' },
  { kind: 'mutation', field: 'requestSecurityAssessment', args: (f) => ({ datasetId: f.datasetId, destination: 'HK' }), cells: '- A H - - - -' },
  { kind: 'mutation', field: 'decideSecurityAssessment', args: (f) => ({ assessmentId: f.assessmentId, approve: true, validUntil: new Date(Date.now() + 86_400_000 * 30).toISOString() }), cells: '- - - - - A -' },
  { kind: 'mutation', field: 'revokeSecurityAssessment', args: (f) => ({ assessmentId: f.assessmentId, reason: 'matrix' }), cells: '- - - - - A -' },
  { kind: 'mutation', field: 'runClearingCycle', args: () => ({}), cells: '- - - - A - -' },
  { kind: 'mutation', field: 'runFullAudit', args: () => ({}), cells: '- - - - - A -' },
  { kind: 'mutation', field: 'scanMarket', args: () => ({}), cells: '- - - - - A -' },
  { kind: 'mutation', field: 'acknowledgeAlert', args: () => ({ alertId: someId('Alert'), note: 'matrix' }), cells: '- - - - - A -', dummyIds: true },
  { kind: 'mutation', field: 'suspendParticipant', args: (f) => ({ participantId: f.supervisedParticipantId, reason: 'matrix' }), cells: '- - - - A A -' },
  { kind: 'mutation', field: 'reinstateParticipant', args: (f) => ({ participantId: f.supervisedParticipantId, reason: 'matrix' }), cells: '- - - - A A -' },
  { kind: 'mutation', field: 'freezeLicence', args: (f) => ({ licenceId: f.licenceId, reason: 'matrix' }), cells: '- - - - A A -' },
  { kind: 'mutation', field: 'unfreezeLicence', args: (f) => ({ licenceId: f.licenceId, reason: 'matrix' }), cells: '- - - - A A -' },

  { kind: 'query', field: 'me', args: () => ({}), cells: '- A A A A A A' },
  { kind: 'query', field: 'balance', args: () => ({}), cells: '- A A A A A A' },
  { kind: 'query', field: 'orders', label: 'own', args: () => ({ side: 'BUYER' }), cells: '- A A A A A A' },
  { kind: 'query', field: 'orders', label: 'all', args: () => ({ side: 'ALL' }), cells: '- - - - A A A' },
  { kind: 'query', field: 'trades', label: 'own', args: () => ({ side: 'PROVIDER' }), cells: '- A A A A A A' },
  { kind: 'query', field: 'trades', label: 'all', args: () => ({ side: 'ALL' }), cells: '- - - - A A A' },
  { kind: 'query', field: 'licences', label: 'own', args: () => ({ side: 'BUYER' }), cells: '- A A A A A A' },
  { kind: 'query', field: 'licences', label: 'all', args: () => ({ side: 'ALL' }), cells: '- - - - A A A' },
  { kind: 'query', field: 'filingReport', args: () => ({ period: 'MONTH' }), cells: '- - - - - A -' },
  { kind: 'query', field: 'mySettlements', args: () => ({}), cells: '- A A A A A A' },
  { kind: 'query', field: 'myEncryptedQueries', args: () => ({}), cells: '- A A A A A A' },
  { kind: 'query', field: 'myHeKeySets', args: () => ({}), cells: '- A A A A A A' },
  { kind: 'query', field: 'encryptedQuery', args: () => ({ id: someId('EncryptedQuery') }), cells: '- A A A A A A', dummyIds: true },
  { kind: 'query', field: 'participants', args: () => ({}), cells: '- - - - A A -' },
  { kind: 'query', field: 'auditLog', args: () => ({}), cells: '- - - - A A -' },
  { kind: 'query', field: 'auditChain', args: () => ({}), cells: '- - - - A A -' },
  { kind: 'query', field: 'auditRuns', args: () => ({}), cells: '- - - - - A -' },
  { kind: 'query', field: 'alerts', args: () => ({}), cells: '- - - - - A -' },
  { kind: 'query', field: 'verifyRecord', args: (f) => ({ id: f.tradeId }), cells: '- - - - - A -' },
  { kind: 'query', field: 'clearingCycles', args: () => ({}), cells: '- - - - A A -' },
  { kind: 'query', field: 'clearingCycle', args: () => ({ id: someId('ClearingCycle') }), cells: '- - - - A A -', dummyIds: true },
  { kind: 'query', field: 'filingStatistics', args: () => ({ groupBy: ['DOMAIN'] }), cells: '- - - - A A -' },
  { kind: 'query', field: 'securityAssessments', label: 'all datasets', args: () => ({}), cells: '- - - - A A -' },
  { kind: 'query', field: 'securityAssessments', label: 'one dataset', args: (f) => ({ datasetId: f.datasetId }), cells: '- A H H A A H' },
  { kind: 'query', field: 'supervisoryActions', args: (f) => ({ participantId: f.providerId }), cells: '- A - - A A -' },
  { kind: 'query', field: 'disputes', label: 'mine', args: () => ({ scope: 'MINE' }), cells: '- A A A A A A' },
  { kind: 'query', field: 'disputes', label: 'all', args: () => ({ scope: 'ALL' }), cells: '- - - - A A A' },
  { kind: 'query', field: 'catalog', label: 'scope ALL', args: () => ({ scope: 'ALL' }), cells: '- - - - A A -' },
  { kind: 'query', field: 'dataset', label: 'a draft', args: (f) => ({ id: f.draftDatasetId }), cells: 'H A H H A A H' },
  { kind: 'query', field: 'datasetVersion', label: 'a draft', args: (f) => ({ id: f.draftVersionId }), cells: 'H A H H A A H' },
  { kind: 'query', field: 'node', label: 'an order', args: (f) => ({ id: f.pendingOrders[0] }), cells: 'H A H A A A A' },
  { kind: 'query', field: 'nodes', label: 'a trade', args: (f) => ({ ids: [f.tradeId] }), cells: 'H A H A A A A' },
];

/** Query fields anyone may call (what they return is public, or filtered to the caller). */
const PUBLIC_QUERIES = new Set(['viewer', 'catalog', 'dataset', 'datasetVersion', 'positiveList', 'positiveListRoot', 'positiveListWitness', 'bidRounds', 'node', 'nodes']);

function cellsOf(row: Row): Record<Role, Cell> {
  const cells = row.cells.split(/\s+/) as Cell[];
  if (cells.length !== ROLES.length || cells.some((c) => !['A', '-', 'H'].includes(c))) throw new Error(`bad cells for ${row.field}: ${row.cells}`);
  return Object.fromEntries(ROLES.map((r, i) => [r, cells[i]!])) as Record<Role, Cell>;
}

const AUTHORISATION_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_VERIFIED', 'SCOPE_NOT_GRANTED']);

/** Whether an outcome is what the cell promises; the reason when it is not. */
function judge(cell: Cell, role: Role, outcome: Outcome, row: Row): string | null {
  const code = outcome.kind === 'error' ? outcome.code : null;
  const hidden = code === 'NOT_FOUND' || outcome.kind === 'null';
  if (cell === '-') {
    const wanted = role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    return code === wanted ? null : `wanted ${wanted}`;
  }
  if (cell === 'H') return hidden ? null : 'wanted NOT_FOUND or null';
  if (code && AUTHORISATION_CODES.has(code)) return 'wanted it allowed';
  if (hidden && !row.dummyIds) return 'wanted it allowed (got not found)';
  return null;
}

const describeOutcome = (o: Outcome) => (o.kind === 'error' ? `${o.code} (${o.message})` : o.kind === 'null' ? 'null' : o.typename);

function emptyListIsHidden(row: Row, outcome: Outcome, response: { data?: any }): Outcome {
  // nodes returns [null] for an id the caller may not see.
  if (row.field === 'nodes' && outcome.kind === 'result') return response.data?.nodes?.[0] == null ? { kind: 'null' } : outcome;
  return outcome;
}

describe('authorisation matrix (PGlite)', () => {
  let ex: TestExchange;
  let tokens: Record<Role, string | undefined>;
  let f: Fixtures;

  beforeAll(async () => {
    ex = await startTestExchange({ database: 'pglite' });
    const provider = ex.keyOf('provider');
    const buyer = ex.keyOf('buyer');
    const otherProvider = await approvedParticipant(ex, { roles: ['PROVIDER'] });
    const arbiter = await approvedParticipant(ex, { roles: ['ARBITER'] });
    tokens = { anonymous: undefined, provider, otherProvider: otherProvider.token, buyer, operator: ex.keyOf('operator'), regulator: ex.keyOf('regulator'), arbiter: arbiter.token };
    f = await buildFixtures(ex, provider, buyer);
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it('has a row for every mutation, and for every query that is not public', () => {
    const covered = new Set(ROWS.map((r) => `${r.kind}.${r.field}`));
    const missing = [
      ...rootFields('mutation').map((m) => `mutation.${m.name}`),
      ...rootFields('query').filter((q) => !PUBLIC_QUERIES.has(q.name)).map((q) => `query.${q.name}`),
    ].filter((name) => !covered.has(name));
    expect(missing, 'add a row to the matrix for each new field').toEqual([]);
  });

  it('allows and refuses every field for every role as the table says', async () => {
    const failures: string[] = [];
    for (const row of ROWS) {
      const cells = cellsOf(row);
      const order = [...ROLES].sort((a, b) => Number(cells[a] === 'A') - Number(cells[b] === 'A'));
      for (const role of order) {
        const args = row.args(f);
        const response = await ex.gql(documentFor(row.kind, row.field, Object.keys(args)), args, tokens[role]);
        const outcome = emptyListIsHidden(row, outcomeOf(response, row.field), response);
        const problem = judge(cells[role], role, outcome, row);
        if (problem) failures.push(`${row.field}${row.label ? ` (${row.label})` : ''} as ${role}: ${problem}, got ${describeOutcome(outcome)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});

async function buildFixtures(ex: TestExchange, provider: string, buyer: string): Promise<Fixtures> {
  const gql = async (query: string, variables: Record<string, unknown>, token?: string) => {
    const r = await ex.gql(query, variables, token);
    const value = Object.values(r.data ?? {})[0] as any;
    if (!value || value.__typename === 'AppError' || r.errors) throw new Error(`fixture: ${JSON.stringify(r)}`);
    return value;
  };
  const providerId = await participantId(ex, provider);
  const buyerId = await participantId(ex, buyer);
  const { datasetId } = await listedDatasetWithRights(ex);
  const { datasetId: suspendableDatasetId } = await listedDatasetWithRights(ex);
  const draftDatasetId: string = (await gql(`mutation($input: DatasetInput!) { createDataset(input: $input) { __typename ... on DatasetDraft { dataset { id } } } }`, { input: datasetDraft() }, provider)).dataset.id;
  const draftVersionId = (await gql(`query($id: ID!) { dataset(id: $id) { __typename ... on Dataset { currentVersion { id } } } }`, { id: draftDatasetId }, provider)).currentVersion.id;
  const { input, csv } = datasetInput();
  const inReview = (await gql(`mutation($input: DatasetInput!) { createDataset(input: $input) { __typename ... on DatasetDraft { dataset { id } } } }`, { input }, provider)).dataset.id as string;
  await gql(`mutation($id: ID!, $csv: String!) { uploadDatasetRows(datasetId: $id, csv: $csv) { __typename } }`, { id: inReview, csv }, provider);
  await gql(`mutation($id: ID!) { submitDatasetForReview(datasetId: $id) { __typename } }`, { id: inReview }, provider);

  const manualPlanId = await pricePlan(ex, datasetId, { priceFen: '1000', autoAccept: false });
  const autoPlanId = await pricePlan(ex, datasetId, { priceFen: '1000', autoAccept: true, access: 'QUERY_ONLY' });
  const retirablePlanId = await pricePlan(ex, datasetId, { priceFen: '1000' });
  const roundPlanId = await pricePlan(ex, datasetId, { priceFen: '1000' });
  await deposit(ex, buyer, 10_000_000n);
  const pendingOrders: string[] = [];
  for (let i = 0; i < 3; i++) pendingOrders.push((await placeOrder(ex, buyer, manualPlanId)).id);
  expect((await placeOrder(ex, buyer, autoPlanId)).status).toBe('ACCEPTED');
  const { tradeId, licenceId } = await latestTrade(ex, buyer);
  await placeOrder(ex, buyer, autoPlanId);
  const { tradeId: disputableTradeId } = await latestTrade(ex, buyer);
  const disputeId = (await gql(`mutation($t: ID!) { openDispute(tradeId: $t, claim: "matrix") { __typename ... on Dispute { id } } }`, { t: tradeId }, buyer)).id;

  const closesAt = new Date(Date.now() + 3_600_000).toISOString();
  const roundId = (await gql(`mutation($p: ID!, $c: DateTime!) { openBidRound(planId: $p, reserveFen: "100", closesAt: $c) { __typename ... on BidRound { id } } }`, { p: roundPlanId, c: closesAt }, provider)).id;
  const bidId = (
    await gql(`mutation($r: ID!, $k: String!) { placeBid(roundId: $r, amountFen: "150", purpose: "URBAN_PLANNING", idempotencyKey: $k) { __typename ... on Bid { id } } }`, { r: roundId, k: randomUUID() }, buyer)
  ).id;
  const assessmentId = (await gql(`mutation($d: ID!) { requestSecurityAssessment(datasetId: $d, destination: "SG") { __typename ... on SecurityAssessment { id } } }`, { d: datasetId }, provider)).id;

  const pending = await gql(
    `mutation($input: RegisterParticipantInput!) { registerParticipant(input: $input) { __typename ... on RegisterParticipantPayload { participant { id } } } }`,
    { input: { name: '待审核测试有限公司', jurisdiction: 'CN', registrationCode: seedCreditCode('MATRXPD1'), roles: ['BUYER'] } },
  );
  const supervised = await approvedParticipant(ex, { roles: ['BUYER'] });
  const spareKeyId = (await gql(`mutation { createApiKey(label: "spare", scopes: [READ]) { __typename ... on IssuedApiKey { id } } }`, {}, provider)).id;
  return {
    providerId,
    buyerId,
    datasetId,
    draftDatasetId,
    draftVersionId,
    inReviewDatasetId: inReview,
    suspendableDatasetId,
    manualPlanId,
    retirablePlanId,
    roundPlanId,
    pendingOrders,
    tradeId,
    disputableTradeId,
    licenceId,
    disputeId,
    roundId,
    bidId,
    assessmentId,
    pendingParticipantId: pending.participant.id,
    supervisedParticipantId: supervised.id,
    spareKeyId,
  };
}
