// 数据跨境 end to end: a buyer registered in Singapore orders a mainland dataset. It passes only
// with the classification on the positive list for SG, the provider's zero-knowledge proof of
// that membership (positive_list, under the list's current Merkle root) and an approved,
// unexpired security assessment of the dataset for SG — and then its licence is query-only
// (可用不出境).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../../server/db/client.ts';
import { closeZk } from '../../server/privacy/zk/verify.ts';
import { createClient } from '../../sdk/graphql/client.ts';
import { getPositiveListWitness, submitComplianceProof } from '../../sdk/graphql/compliance.ts';
import { provePositiveList } from '../../sdk/zk/positive-list.ts';
import { proverArtifacts } from '../factories/compliance-datasets.ts';
import { currentVersionOf, provePositiveListMembership } from '../factories/crossborder.ts';
import { balance, deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { approvedParticipant, latestTrade, type Party } from '../factories/parties.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { databaseTargets } from '../support/databases.ts';

const ANCHOR = 'status verifiesOnChain';
const ENTRY = `id destination classification status reason addedBy { id } anchor { ${ANCHOR} } removalAnchor { ${ANCHOR} }`;
const ASSESSMENT = `id destination status valid validUntil reason dataset { id } decidedBy { id } decisionAnchor { ${ANCHOR} }`;
const ADD = /* GraphQL */ `
  mutation($d: String!, $c: String!, $r: String) { addToPositiveList(destination: $d, classification: $c, reason: $r) {
    __typename ... on PositiveListEntry { ${ENTRY} } ... on AppError { code field message } } }`;
const REMOVE = /* GraphQL */ `
  mutation($d: String!, $c: String!, $r: String!) { removeFromPositiveList(destination: $d, classification: $c, reason: $r) {
    __typename ... on PositiveListEntry { ${ENTRY} } ... on AppError { code field message } } }`;
const REQUEST = /* GraphQL */ `
  mutation($id: ID!, $d: String!) { requestSecurityAssessment(datasetId: $id, destination: $d) {
    __typename ... on SecurityAssessment { ${ASSESSMENT} } ... on AppError { code field message } } }`;
const DECIDE = /* GraphQL */ `
  mutation($id: ID!, $approve: Boolean!, $until: DateTime, $reason: String) {
    decideSecurityAssessment(assessmentId: $id, approve: $approve, validUntil: $until, reason: $reason) {
      __typename ... on SecurityAssessment { ${ASSESSMENT} } ... on AppError { code field message } } }`;
const REVOKE = /* GraphQL */ `
  mutation($id: ID!, $reason: String!) { revokeSecurityAssessment(assessmentId: $id, reason: $reason) {
    __typename ... on SecurityAssessment { ${ASSESSMENT} } ... on AppError { code field message } } }`;
const LIST = /* GraphQL */ `
  query($d: String, $all: Boolean) { positiveList(destination: $d, includeRemoved: $all) {
    __typename ... on QueryPositiveListSuccess { data { ${ENTRY} } } ... on AppError { code field } } }`;
const ASSESSMENTS = /* GraphQL */ `
  query($id: ID, $status: SecurityAssessmentStatus) { securityAssessments(datasetId: $id, status: $status) {
    __typename ... on QuerySecurityAssessmentsSuccess { data { ${ASSESSMENT} } } ... on AppError { code field } } }`;

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The bn128 worker threads of the proofs verified in process.
afterAll(closeZk);

describe.each(await databaseTargets())('cross-border transfer (数据跨境) on %s', (database) => {
  let ex: TestExchange;
  let regulator: string;
  let provider: string;
  let foreign: Party;
  let datasetId: string;
  let deliveryPlan: string;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    regulator = ex.keyOf('regulator');
    provider = ex.keyOf('provider');
    foreign = await approvedParticipant(ex, { roles: ['BUYER'], jurisdiction: 'SG', name: 'Lion City Analytics Pte Ltd' });
    await deposit(ex, foreign.token, 1_000_000n);
    ({ datasetId } = await listedDatasetWithRights(ex));
    // Licensed for the mainland with delivery: a foreign buyer may only ever query it.
    deliveryPlan = await pricePlan(ex, datasetId, { priceFen: '10000', territories: ['CN'], access: 'DELIVERY', autoAccept: true });
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const count = async (table: string) => Number(rowsOf(await ex.built.services.db.execute(sql.raw(`select count(*)::int as n from ${table}`)))[0]!.n);

  it('refuses a foreign buyer without a positive-list entry, then without an assessment, and accepts it with both — query-only', async () => {
    const funds = await balance(ex, foreign.token);
    const orders = await count('orders');

    const unlisted = await placeOrder(ex, foreign.token, deliveryPlan);
    expect(unlisted).toMatchObject({ __typename: 'AppError', code: 'CROSS_BORDER_DENIED' });
    expect(unlisted.message).toContain('positive list');

    const entry = (await ex.gql(ADD, { d: 'SG', c: 'transport.traffic', r: '新加坡交通数据合作' }, regulator)).data.addToPositiveList;
    expect(entry).toMatchObject({ __typename: 'PositiveListEntry', destination: 'SG', classification: 'transport.traffic', status: 'ACTIVE', anchor: { status: 'PENDING' }, removalAnchor: null });

    const unproved = await placeOrder(ex, foreign.token, deliveryPlan);
    expect(unproved).toMatchObject({ code: 'CROSS_BORDER_DENIED' });
    expect(unproved.message).toContain('has not proved');
    const proved = await provePositiveListMembership(ex, datasetId, 'SG');
    expect(proved).toMatchObject({ circuit: 'POSITIVE_LIST', onChain: { status: 'PENDING' } });

    const noAssessment = await placeOrder(ex, foreign.token, deliveryPlan);
    expect(noAssessment).toMatchObject({ code: 'CROSS_BORDER_DENIED' });
    expect(noAssessment.message).toContain('security assessment');

    const requested = (await ex.gql(REQUEST, { id: datasetId, d: 'sg' }, provider)).data.requestSecurityAssessment;
    expect(requested).toMatchObject({ __typename: 'SecurityAssessment', destination: 'SG', status: 'REQUESTED', valid: false, decisionAnchor: null, dataset: { id: datasetId } });
    expect((await placeOrder(ex, foreign.token, deliveryPlan)).code).toBe('CROSS_BORDER_DENIED');
    expect(await count('orders')).toBe(orders);
    expect(await balance(ex, foreign.token)).toEqual(funds);

    const approved = (await ex.gql(DECIDE, { id: requested.id, approve: true, until: inDays(365) }, regulator)).data.decideSecurityAssessment;
    expect(approved).toMatchObject({ status: 'APPROVED', valid: true, decisionAnchor: { status: 'PENDING' } });

    const order = await placeOrder(ex, foreign.token, deliveryPlan);
    expect(order).toMatchObject({ __typename: 'Order', status: 'ACCEPTED', crossBorder: true, access: 'QUERY_ONLY', amount: { fen: '10000' } });
    expect(await balance(ex, foreign.token)).toEqual({ available: funds.available - 10_000n, escrow: funds.escrow + 10_000n });
    const { licenceId, tradeId } = await latestTrade(ex, foreign.token);
    const licence = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Licence { access territories status } } }`, { id: licenceId }, foreign.token);
    expect(licence.data.node).toEqual({ access: 'QUERY_ONLY', territories: ['SG'], status: 'ACTIVE' });
    const trade = await ex.gql(`query($id: ID!) { node(id: $id) { ... on Trade { crossBorder territory classification } } }`, { id: tradeId }, regulator);
    expect(trade.data.node).toEqual({ crossBorder: true, territory: 'SG', classification: 'transport.traffic' });

    // Every regulator decision reaches the chain.
    await ex.built.services.anchoring.runOnce();
    const list = (await ex.gql(LIST, { d: 'SG' })).data.positiveList.data;
    expect(list).toEqual([expect.objectContaining({ id: entry.id, anchor: { status: 'ANCHORED', verifiesOnChain: true } })]);
    const assessments = (await ex.gql(ASSESSMENTS, { id: datasetId }, provider)).data.securityAssessments.data;
    expect(assessments[0]).toMatchObject({ id: requested.id, status: 'APPROVED', decisionAnchor: { status: 'ANCHORED', verifiesOnChain: true } });
    // And so does the membership proof, verified again by the ComplianceRegistry's verifier.
    await ex.built.services.outbox.drain();
    const recorded = await ex.gql(`query($id: ID!) { node(id: $id) { ... on ComplianceProof { onChain { status recordHash } } } }`, { id: proved.id }, foreign.token);
    expect(recorded.data.node.onChain.status).toBe('RECORDED');
    expect(await ex.built.services.contracts.complianceRegistry!.isRecorded(recorded.data.node.onChain.recordHash)).toBe(true);
  });

  it('takes a positive_list proof only under the current root, for the named destination and the version’s classification', async () => {
    const client = createClient({ url: `${ex.url}/graphql` });
    const asProvider = client.withApiKey(provider);
    const artifacts = await proverArtifacts('positive_list');
    const version = await currentVersionOf(ex, datasetId, provider);
    const proofs = () => count('compliance_proofs');
    const ROOT = `query { positiveListRoot { root entries } }`;
    const WITNESS = `query($d: String!, $c: String!) { positiveListWitness(destination: $d, classification: $c) { __typename
      ... on PositiveListWitness { listRoot leafIndex siblings } ... on AppError { code field message } } }`;

    // Transport data to HK: proved under the list as it stands, then the list grows.
    expect((await ex.gql(ADD, { d: 'HK', c: 'transport.traffic' }, regulator)).data.addToPositiveList.status).toBe('ACTIVE');
    const before = (await ex.gql(ROOT, {})).data.positiveListRoot;
    const stale = await provePositiveList(await getPositiveListWitness(client, 'HK', 'transport.traffic'), artifacts);
    expect(stale.publicSignals[0]).toBe(before.root);
    expect((await ex.gql(ADD, { d: 'MO', c: 'transport.traffic' }, regulator)).data.addToPositiveList.status).toBe('ACTIVE');
    const after = (await ex.gql(ROOT, {})).data.positiveListRoot;
    expect(after.entries).toBe(before.entries + 1);
    expect(after.root).not.toBe(before.root);

    const n = await proofs();
    const refused = (attempt: Promise<unknown>) => attempt.then(() => null, (e: any) => ({ code: e.code, message: e.message }));
    // Under the earlier root.
    expect(await refused(submitComplianceProof(asProvider, version.id, 'positive_list', stale, { destination: 'HK' }))).toMatchObject({ code: 'PROOF_MISMATCH', message: expect.stringContaining('not the current one') });
    // The current root written over the old one: the proof no longer verifies.
    const forged = { ...stale, publicSignals: [after.root, ...stale.publicSignals.slice(1)] };
    expect(await refused(submitComplianceProof(asProvider, version.id, 'positive_list', forged, { destination: 'HK' }))).toMatchObject({ code: 'INVALID_PROOF' });
    // A fresh proof, but submitted for another destination than the one it names.
    const fresh = await provePositiveList(await getPositiveListWitness(client, 'HK', 'transport.traffic'), artifacts);
    expect(await refused(submitComplianceProof(asProvider, version.id, 'positive_list', fresh, { destination: 'MO' }))).toMatchObject({ code: 'PROOF_MISMATCH', message: expect.stringContaining('another destination') });
    // No destination, or a destination on a rule proof.
    expect(await refused(submitComplianceProof(asProvider, version.id, 'positive_list', fresh))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await refused(submitComplianceProof(asProvider, version.id, 'rule_chunk', fresh, { destination: 'HK' }))).toMatchObject({ code: 'INVALID_INPUT' });
    // Not the dataset's provider.
    const other = await approvedParticipant(ex, { roles: ['PROVIDER'] });
    expect(await refused(submitComplianceProof(client.withApiKey(other.token), version.id, 'positive_list', fresh, { destination: 'HK' }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await proofs()).toBe(n);

    // The fresh proof goes in once; a second time it is a replay.
    expect(await submitComplianceProof(asProvider, version.id, 'positive_list', fresh, { destination: 'HK' })).toMatchObject({ circuit: 'POSITIVE_LIST' });
    expect(await refused(submitComplianceProof(asProvider, version.id, 'positive_list', fresh, { destination: 'HK' }))).toMatchObject({ code: 'PROOF_REPLAYED' });
    expect(await proofs()).toBe(n + 1);

    // The witness is public; a pair off the list, or a mainland destination, has none.
    const witness = (await ex.gql(WITNESS, { d: 'MO', c: 'transport.traffic' })).data.positiveListWitness;
    expect(witness).toMatchObject({ __typename: 'PositiveListWitness', listRoot: after.root, siblings: expect.any(Array) });
    expect(witness.siblings).toHaveLength(10);
    expect((await ex.gql(WITNESS, { d: 'MO', c: 'finance.credit' })).data.positiveListWitness).toMatchObject({ code: 'NOT_FOUND' });
    expect((await ex.gql(WITNESS, { d: 'CN', c: 'transport.traffic' })).data.positiveListWitness).toMatchObject({ code: 'INVALID_INPUT', field: 'destination' });
  });

  it('refuses again once the assessment is revoked, once it has expired, and once the entry is removed', async () => {
    const [current] = (await ex.gql(ASSESSMENTS, { id: datasetId, status: 'APPROVED' }, regulator)).data.securityAssessments.data;
    const revoked = (await ex.gql(REVOKE, { id: current.id, reason: '接收方发生数据安全事件' }, regulator)).data.revokeSecurityAssessment;
    expect(revoked).toMatchObject({ status: 'REVOKED', valid: false, reason: '接收方发生数据安全事件', decisionAnchor: { status: 'PENDING' } });
    expect((await placeOrder(ex, foreign.token, deliveryPlan)).code).toBe('CROSS_BORDER_DENIED');
    expect((await ex.gql(REVOKE, { id: current.id, reason: 'again' }, regulator)).data.revokeSecurityAssessment.code).toBe('INVALID_STATE');

    // A new assessment, approved for a moment only.
    const again = (await ex.gql(REQUEST, { id: datasetId, d: 'SG' }, provider)).data.requestSecurityAssessment;
    const until = new Date(Date.now() + 1500);
    const shortLived = (await ex.gql(DECIDE, { id: again.id, approve: true, until: until.toISOString() }, regulator)).data.decideSecurityAssessment;
    expect(shortLived.status).toBe('APPROVED');
    await sleep(Math.max(0, until.getTime() - Date.now()) + 100);
    expect((await placeOrder(ex, foreign.token, deliveryPlan)).code).toBe('CROSS_BORDER_DENIED');
    const expired = await ex.gql(`query($id: ID!) { node(id: $id) { ... on SecurityAssessment { status valid } } }`, { id: again.id }, provider);
    expect(expired.data.node).toEqual({ status: 'APPROVED', valid: false });

    // Approved afresh it passes — until the classification leaves the list.
    const third = (await ex.gql(REQUEST, { id: datasetId, d: 'SG' }, provider)).data.requestSecurityAssessment;
    await ex.gql(DECIDE, { id: third.id, approve: true, until: inDays(30) }, regulator);
    expect((await placeOrder(ex, foreign.token, deliveryPlan)).status).toBe('ACCEPTED');
    const removed = (await ex.gql(REMOVE, { d: 'SG', c: 'transport.traffic', r: '清单调整' }, regulator)).data.removeFromPositiveList;
    expect(removed).toMatchObject({ status: 'REMOVED', reason: '清单调整', removalAnchor: { status: 'PENDING' } });
    expect((await placeOrder(ex, foreign.token, deliveryPlan)).code).toBe('CROSS_BORDER_DENIED');
    expect((await ex.gql(LIST, { d: 'SG' })).data.positiveList.data).toEqual([]);
    expect((await ex.gql(LIST, { d: 'SG', all: true })).data.positiveList.data).toHaveLength(1);

    await ex.built.services.anchoring.runOnce();
    const history = (await ex.gql(ASSESSMENTS, { id: datasetId }, regulator)).data.securityAssessments.data;
    expect(history.map((a: any) => a.status)).toEqual(['APPROVED', 'APPROVED', 'REVOKED']);
    expect(history.every((a: any) => a.decisionAnchor.verifiesOnChain)).toBe(true);
    const [entry] = (await ex.gql(LIST, { d: 'SG', all: true })).data.positiveList.data;
    expect(entry.removalAnchor).toEqual({ status: 'ANCHORED', verifiesOnChain: true });
  });

  it('lets only the regulator keep the list and decide, and refuses bad input with typed errors, changing nothing', async () => {
    const entries = await count('positive_list_entries');
    const assessments = await count('security_assessments');
    const anchors = await count('anchor_records');

    expect((await ex.gql(ADD, { d: 'JP', c: 'transport.traffic' }, provider)).data.addToPositiveList.code).toBe('FORBIDDEN');
    expect((await ex.gql(ADD, { d: 'JP', c: 'transport.traffic' }, foreign.token)).data.addToPositiveList.code).toBe('FORBIDDEN');
    expect((await ex.gql(ADD, { d: 'JP', c: 'transport.traffic' })).data.addToPositiveList.code).toBe('UNAUTHENTICATED');
    expect((await ex.gql(ADD, { d: 'CN', c: 'transport.traffic' }, regulator)).data.addToPositiveList).toMatchObject({ code: 'INVALID_INPUT', field: 'destination' });
    expect((await ex.gql(ADD, { d: 'Singapore', c: 'transport.traffic' }, regulator)).data.addToPositiveList).toMatchObject({ code: 'INVALID_INPUT', field: 'destination' });
    expect((await ex.gql(ADD, { d: 'JP', c: 'transport.teleportation' }, regulator)).data.addToPositiveList).toMatchObject({ code: 'INVALID_INPUT', field: 'classification' });
    expect((await ex.gql(REMOVE, { d: 'JP', c: 'transport.traffic', r: '不在清单' }, regulator)).data.removeFromPositiveList).toMatchObject({ code: 'NOT_FOUND' });
    expect((await ex.gql(REMOVE, { d: 'JP', c: 'transport.traffic', r: '' }, regulator)).data.removeFromPositiveList).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });

    expect((await ex.gql(REQUEST, { id: datasetId, d: 'JP' }, foreign.token)).data.requestSecurityAssessment.code).toBe('FORBIDDEN');
    expect((await ex.gql(REQUEST, { id: datasetId, d: 'CN-GD' }, provider)).data.requestSecurityAssessment).toMatchObject({ code: 'INVALID_INPUT', field: 'destination' });
    const ghost = Buffer.from('Dataset:00000000-0000-4000-8000-000000000000').toString('base64');
    expect((await ex.gql(REQUEST, { id: ghost, d: 'JP' }, provider)).data.requestSecurityAssessment.code).toBe('NOT_FOUND');
    expect(await count('positive_list_entries')).toBe(entries);
    expect(await count('security_assessments')).toBe(assessments);

    const waiting = (await ex.gql(REQUEST, { id: datasetId, d: 'JP' }, provider)).data.requestSecurityAssessment;
    expect((await ex.gql(REQUEST, { id: datasetId, d: 'JP' }, provider)).data.requestSecurityAssessment).toMatchObject({ code: 'INVALID_STATE', field: 'destination' });
    expect((await ex.gql(DECIDE, { id: waiting.id, approve: true, until: inDays(30) }, provider)).data.decideSecurityAssessment.code).toBe('FORBIDDEN');
    expect((await ex.gql(DECIDE, { id: waiting.id, approve: true }, regulator)).data.decideSecurityAssessment).toMatchObject({ code: 'INVALID_INPUT', field: 'validUntil' });
    expect((await ex.gql(DECIDE, { id: waiting.id, approve: true, until: inDays(-1) }, regulator)).data.decideSecurityAssessment).toMatchObject({ code: 'INVALID_INPUT', field: 'validUntil' });
    expect((await ex.gql(DECIDE, { id: waiting.id, approve: true, until: inDays(3 * 366) }, regulator)).data.decideSecurityAssessment).toMatchObject({ code: 'INVALID_INPUT', field: 'validUntil' });
    expect((await ex.gql(DECIDE, { id: waiting.id, approve: false }, regulator)).data.decideSecurityAssessment).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    expect((await ex.gql(DECIDE, { id: waiting.id, approve: true, until: 'tomorrow' }, regulator)).errors ?? []).not.toHaveLength(0);
    expect((await ex.gql(REVOKE, { id: waiting.id, reason: '尚未批准' }, regulator)).data.revokeSecurityAssessment.code).toBe('INVALID_STATE');
    const rejected = (await ex.gql(DECIDE, { id: waiting.id, approve: false, reason: '接收方保护水平不足' }, regulator)).data.decideSecurityAssessment;
    expect(rejected).toMatchObject({ status: 'REJECTED', valid: false, validUntil: null, reason: '接收方保护水平不足' });
    expect((await ex.gql(DECIDE, { id: waiting.id, approve: true, until: inDays(30) }, regulator)).data.decideSecurityAssessment.code).toBe('INVALID_STATE');
    const unknown = Buffer.from('SecurityAssessment:00000000-0000-4000-8000-000000000000').toString('base64');
    expect((await ex.gql(DECIDE, { id: unknown, approve: false, reason: '无此申报' }, regulator)).data.decideSecurityAssessment.code).toBe('NOT_FOUND');

    // Only the rejection was recorded and anchored.
    expect(await count('security_assessments')).toBe(assessments + 1);
    expect(await count('anchor_records')).toBe(anchors + 1);

    // The list is public; a dataset's assessments are its provider's and the supervisors' business.
    expect((await ex.gql(LIST, {})).data.positiveList.__typename).toBe('QueryPositiveListSuccess');
    expect((await ex.gql(ASSESSMENTS, { id: datasetId }, foreign.token)).data.securityAssessments.code).toBe('NOT_FOUND');
    expect((await ex.gql(ASSESSMENTS, {}, provider)).data.securityAssessments.code).toBe('FORBIDDEN');
    expect((await ex.gql(ASSESSMENTS, { status: 'REJECTED' }, regulator)).data.securityAssessments.data.map((a: any) => a.id)).toEqual([waiting.id]);
    const hidden = await ex.gql(`query($id: ID!) { node(id: $id) { __typename } }`, { id: waiting.id }, foreign.token);
    expect(hidden.data.node).toBeNull();
  });
});
