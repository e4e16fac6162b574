// The regulator's view (监管 · 审计) on the real exchange: any anchored record verified against
// the chain (by the API, and independently by the sdk with plain ethers), the full audit that
// finds every row edited, deleted or inserted behind the exchange's back, and supervisory
// actions that the affected party sees.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAnchor } from '../../sdk/audit/verify-anchor.ts';
import { rowsOf } from '../../server/db/client.ts';
import { runClearingCycle } from '../../server/domain/clearing/run-clearing-cycle.ts';
import { authenticateApiKey } from '../../server/domain/participants/authenticate-api-key.ts';
import { useLicence } from '../../server/domain/trading/use-licence.ts';
import type { Services } from '../../server/services.ts';
import { datasetInput } from '../factories/datasets.ts';
import { acceptOrder, deposit, listedDatasetWithRights, placeOrder, pricePlan } from '../factories/market.ts';
import { rawId, verifiedParticipant } from '../factories/participants.ts';
import { databaseTargets } from '../support/databases.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

const VERIFY = /* GraphQL */ `
  query($kind: String, $recordId: String, $id: ID, $proof: [String!]) {
    verifyRecord(kind: $kind, recordId: $recordId, id: $id, proof: $proof) {
      __typename
      ... on RecordVerification {
        kind recordId status record contentRebuildable anchoredContentHash recomputedContentHash contentMatches
        leaf proof batchId leafIndex root onChainRoot txHash blockNumber proofReachesRoot rootOnChain verifiesOnChain verified problems
      }
      ... on AppError { code field message }
    }
  }`;

const AUDIT = /* GraphQL */ `
  mutation { runFullAudit { __typename
    ... on AuditRun { id batches anchoredBatches records batchesMatching contentChecked clean findingCount
      contentNotRebuildable { kind records } findings { batchId kind recordId leafIndex problem detail } }
    ... on AppError { code } } }`;

const SUPERVISORY_ACTIONS = /* GraphQL */ `
  query($participantId: ID) { supervisoryActions(participantId: $participantId) { __typename
    ... on QuerySupervisoryActionsSuccess { data { id action subjectKind subjectId reason fromStatus toStatus actor { name } anchor { status verifiesOnChain } } }
    ... on AppError { code } } }`;

describe.each(await databaseTargets())('the regulator on %s', (database) => {
  let ex: TestExchange;
  let services: Services;
  let regulator: string;
  let buyer: string;
  const db = () => services.db;
  const one = async (query: ReturnType<typeof sql>) => rowsOf(await db().execute(query))[0] as Record<string, any>;
  const all = async (query: ReturnType<typeof sql>) => rowsOf(await db().execute(query)) as Record<string, any>[];

  /** A listed dataset with its certificate, its approval and one accepted trade, all anchored. */
  async function anchoredMarket() {
    const { datasetId } = await listedDatasetWithRights(ex);
    await services.anchoring.runOnce();
    const plan = await pricePlan(ex, datasetId, { priceFen: '20000' });
    await deposit(ex, buyer, 20_000n);
    const order = await placeOrder(ex, buyer, plan);
    expect((await acceptOrder(ex, order.id)).order.status).toBe('ACCEPTED');
    await services.anchoring.runOnce();
    const dataset = rawId(datasetId);
    const certificate = await one(sql`select id::text as id from rights_certificates where dataset_id = ${dataset}`);
    const decision = await one(sql`select id::text as id from listing_events where dataset_id = ${dataset} and action = 'approve'`);
    const trade = await one(sql`select id::text as id from trades where order_id = ${rawId(order.id)}`);
    return { datasetId, certificateId: certificate.id as string, decisionId: decision.id as string, tradeId: trade.id as string };
  }
  const batchOf = async (kind: string, recordId: string) =>
    (await one(sql`select batch_id::text as batch_id, leaf_index from anchor_records where kind = ${kind} and record_id = ${recordId}`)) as { batch_id: string; leaf_index: number };

  let market: Awaited<ReturnType<typeof anchoredMarket>>;

  beforeAll(async () => {
    ex = await startTestExchange({ database });
    services = ex.built.services;
    regulator = ex.keyOf('regulator');
    buyer = ex.keyOf('buyer');
    market = await anchoredMarket();
  });
  afterAll(async () => {
    await ex?.stop();
  });

  const verify = async (variables: Record<string, unknown>, token = regulator) => (await ex.gql(VERIFY, variables, token)).data.verifyRecord;

  it('verifies a certificate, a listing decision and a trade filing against the chain', async () => {
    const cases = [
      { kind: 'rights.certificate', recordId: market.certificateId },
      { kind: 'catalog.listing-decision', recordId: market.decisionId },
      { kind: 'trading.trade-filing', recordId: market.tradeId },
    ];
    for (const c of cases) {
      const v = await verify(c);
      expect(v, JSON.stringify(v.problems)).toMatchObject({
        __typename: 'RecordVerification',
        ...c,
        status: 'ANCHORED',
        contentRebuildable: true,
        contentMatches: true,
        proofReachesRoot: true,
        rootOnChain: true,
        verifiesOnChain: true,
        verified: true,
        problems: [],
      });
      expect(v.recomputedContentHash).toBe(v.anchoredContentHash);
      expect(v.onChainRoot).toBe(v.root);
      expect(v.txHash).toMatch(/^0x[0-9a-f]{64}$/);
      expect(v.blockNumber).toBeGreaterThan(0);
    }
    const trade = await verify({ kind: 'trading.trade-filing', recordId: market.tradeId });
    expect(trade.record).toMatchObject({ tradeId: market.tradeId, amountFen: '20000', grade: 'L2' });
    // By the trade's global id, as the trading API gives it.
    const byId = await verify({ id: Buffer.from(`Trade:${market.tradeId}`).toString('base64') });
    expect(byId).toMatchObject({ kind: 'trading.trade-filing', recordId: market.tradeId, verified: true });
  });

  it('lets a third party verify the same record with plain ethers, and catches a forged proof', async () => {
    const v = await verify({ kind: 'rights.certificate', recordId: market.certificateId });
    const anchorRegistry = services.contracts.anchorRegistry.address;
    const provider = services.chain.provider;
    const byValues = await verifyAnchor(
      { leaf: { kind: v.kind, recordId: v.recordId, contentHash: v.anchoredContentHash }, proof: v.proof, batchId: v.batchId, root: v.root, anchorRegistry },
      provider,
    );
    expect(byValues).toMatchObject({ leaf: v.leaf, computedRoot: v.root, onChainRoot: v.root, proofReachesOnChainRoot: true, claimedRootOnChain: true, contractVerifies: true, verified: true });
    expect(byValues.recordCount).toBeGreaterThan(0);
    expect((await verifyAnchor({ leaf: { leafHash: v.leaf }, proof: v.proof, batchId: v.batchId, anchorRegistry }, provider)).verified).toBe(true);

    const forged = v.proof.length ? v.proof.map((h: string, i: number) => (i === 0 ? '0x' + randomBytes(32).toString('hex') : h)) : ['0x' + randomBytes(32).toString('hex')];
    expect((await verifyAnchor({ leaf: { leafHash: v.leaf }, proof: forged, batchId: v.batchId, anchorRegistry }, provider)).verified).toBe(false);
    const otherContent = { kind: v.kind, recordId: v.recordId, contentHash: '0x' + randomBytes(32).toString('hex') };
    expect((await verifyAnchor({ leaf: otherContent, proof: v.proof, batchId: v.batchId, anchorRegistry }, provider)).verified).toBe(false);
    const wrongRoot = await verifyAnchor({ leaf: { leafHash: v.leaf }, proof: v.proof, batchId: v.batchId, root: '0x' + '11'.repeat(32), anchorRegistry }, provider);
    expect(wrongRoot).toMatchObject({ claimedRootOnChain: false, verified: false });
  });

  it('reports a forged proof, an id of another kind and an unknown id as not verifying, never as an error', async () => {
    const good = await verify({ kind: 'trading.trade-filing', recordId: market.tradeId });
    const forged = await verify({ kind: 'trading.trade-filing', recordId: market.tradeId, proof: ['0x' + randomBytes(32).toString('hex'), ...good.proof.slice(1)] });
    expect(forged).toMatchObject({ __typename: 'RecordVerification', contentMatches: true, rootOnChain: true, proofReachesRoot: false, verifiesOnChain: false, verified: false });
    expect((await verify({ kind: 'trading.trade-filing', recordId: market.tradeId, proof: ['not a hash'] })).verified).toBe(false);

    const otherKind = await verify({ kind: 'rights.certificate', recordId: market.tradeId });
    expect(otherKind).toMatchObject({ __typename: 'RecordVerification', status: 'NOT_ANCHORED', verified: false, record: null });
    expect(otherKind.problems.join(' ')).toMatch(/no anchor record/);
    expect(await verify({ kind: 'no.such-kind', recordId: 'x' })).toMatchObject({ status: 'NOT_ANCHORED', contentRebuildable: false, verified: false });
    expect(await verify({ id: Buffer.from(`RightsCertificate:${market.tradeId}`).toString('base64') })).toMatchObject({ status: 'NOT_ANCHORED', verified: false });
    expect(await verify({ id: 'not-a-global-id' })).toMatchObject({ __typename: 'AppError', code: 'INVALID_INPUT' });
    expect(await verify({})).toMatchObject({ __typename: 'AppError', code: 'INVALID_INPUT' });
  });

  it('refuses everyone but the regulator, with typed errors', async () => {
    for (const token of [buyer, ex.keyOf('provider'), ex.keyOf('operator')]) {
      expect(await verify({ kind: 'trading.trade-filing', recordId: market.tradeId }, token)).toMatchObject({ __typename: 'AppError', code: 'FORBIDDEN' });
      expect((await ex.gql(AUDIT, {}, token)).data.runFullAudit).toMatchObject({ __typename: 'AppError', code: 'FORBIDDEN' });
      expect((await ex.gql(`{ alerts { __typename ... on AppError { code } } }`, {}, token)).data.alerts.code).toBe('FORBIDDEN');
    }
    expect((await ex.gql(VERIFY, { kind: 'trading.trade-filing', recordId: market.tradeId })).data.verifyRecord).toMatchObject({ __typename: 'AppError', code: 'UNAUTHENTICATED' });
    const provider = (await ex.gql(`{ me { ... on Participant { id } } }`, {}, ex.keyOf('provider'))).data.me.id;
    const asBuyer = await ex.gql(`mutation($id: ID!) { suspendParticipant(participantId: $id, reason: "测试") { __typename ... on AppError { code } } }`, { id: provider }, buyer);
    expect(asBuyer.data.suspendParticipant.code).toBe('FORBIDDEN');
  });

  it('runs a clean full audit of an untouched exchange, and keeps the run', async () => {
    await services.anchoring.runOnce();
    const run = (await ex.gql(AUDIT, {}, regulator)).data.runFullAudit;
    expect(run, JSON.stringify(run.findings)).toMatchObject({ __typename: 'AuditRun', clean: true, findingCount: 0, findings: [] });
    expect(run.batches).toBeGreaterThanOrEqual(1);
    expect(run.batchesMatching).toBe(run.batches);
    expect(run.anchoredBatches).toBe(run.batches);
    expect(run.contentChecked).toBe(run.records);
    const runs = await ex.gql(`{ auditRuns { ... on QueryAuditRunsSuccess { data { id clean batches } } } }`, {}, regulator);
    expect(runs.data.auditRuns.data[0]).toMatchObject({ id: run.id, clean: true, batches: run.batches });
  });

  it('suspends and reinstates a participant: it acts in no role meanwhile, the chain follows, and it sees why', async () => {
    const org = await verifiedParticipant(ex, { roles: ['PROVIDER'] });
    await services.anchoring.runOnce();
    const registry = services.contracts.participantRegistry;
    expect(await registry.isActive(org.chainAddress)).toBe(true);

    const SUSPEND = `mutation($id: ID!, $reason: String!) { suspendParticipant(participantId: $id, reason: $reason) { __typename
      ... on ParticipantSupervision { participant { status statusReason } action { id action reason fromStatus toStatus } }
      ... on AppError { code field message } } }`;
    const REINSTATE = SUSPEND.replace('suspendParticipant', 'reinstateParticipant').replace('suspendParticipant', 'reinstateParticipant');
    const suspended = (await ex.gql(SUSPEND, { id: org.id, reason: '涉嫌违规交易，暂停资格' }, regulator)).data.suspendParticipant;
    expect(suspended).toMatchObject({
      participant: { status: 'SUSPENDED', statusReason: '涉嫌违规交易，暂停资格' },
      action: { action: 'participant.suspended', reason: '涉嫌违规交易，暂停资格', fromStatus: 'verified', toStatus: 'suspended' },
    });
    expect((await ex.gql(SUSPEND, { id: org.id, reason: '再次暂停' }, regulator)).data.suspendParticipant.code).toBe('INVALID_STATE');
    expect((await ex.gql(SUSPEND, { id: org.id, reason: 'x' }, regulator)).data.suspendParticipant).toMatchObject({ code: 'INVALID_INPUT', field: 'reason' });
    const self = await ex.gql(`{ me { ... on Participant { id } } }`, {}, regulator);
    expect((await ex.gql(SUSPEND, { id: self.data.me.id, reason: '自我暂停' }, regulator)).data.suspendParticipant.code).toBe('INVALID_STATE');

    // Its key still authenticates; it can do nothing as a provider.
    expect((await ex.gql(`{ me { ... on Participant { status } } }`, {}, org.token)).data.me.status).toBe('SUSPENDED');
    const create = await ex.gql(`mutation($input: DatasetInput!) { createDataset(input: $input) { __typename ... on AppError { code } } }`, { input: datasetInput().input }, org.token);
    expect(create.data.createDataset).toEqual({ __typename: 'AppError', code: 'FORBIDDEN' });

    await services.anchoring.runOnce();
    expect(await registry.isActive(org.chainAddress)).toBe(false);
    const seen = (await ex.gql(SUPERVISORY_ACTIONS, {}, org.token)).data.supervisoryActions.data;
    expect(seen).toEqual([
      expect.objectContaining({ id: suspended.action.id, action: 'participant.suspended', subjectId: org.rawId, reason: '涉嫌违规交易，暂停资格', anchor: { status: 'ANCHORED', verifiesOnChain: true } }),
    ]);
    expect((await ex.gql(SUPERVISORY_ACTIONS, { participantId: self.data.me.id }, org.token)).data.supervisoryActions.code).toBe('FORBIDDEN');
    const action = await verify({ kind: 'supervision.action', recordId: suspended.action.id });
    expect(action).toMatchObject({ verified: true, record: { action: 'participant.suspended', subjectId: org.rawId } });

    const reinstated = (await ex.gql(REINSTATE, { id: org.id, reason: '核查完毕，恢复资格' }, ex.keyOf('operator'))).data.reinstateParticipant;
    expect(reinstated).toMatchObject({ participant: { status: 'VERIFIED' }, action: { action: 'participant.reinstated', toStatus: 'verified' } });
    await services.anchoring.runOnce();
    expect(await registry.isActive(org.chainAddress)).toBe(true);
    const both = (await ex.gql(SUPERVISORY_ACTIONS, { participantId: org.id }, regulator)).data.supervisoryActions.data;
    expect(both.map((a: { action: string }) => a.action)).toEqual(['participant.reinstated', 'participant.suspended']);
  });

  it('freezes and unfreezes a licence: no use meanwhile, and buyer and provider both see it', async () => {
    const lic = await ex.gql(`{ licences(side: BUYER, first: 1) { ... on QueryLicencesConnection { edges { node { id status } } } } }`, {}, buyer);
    const licenceId = lic.data.licences.edges[0].node.id;
    const FREEZE = `mutation($id: ID!, $reason: String!) { freezeLicence(licenceId: $id, reason: $reason) { __typename
      ... on LicenceSupervision { licence { status statusReason } action { id action reason } } ... on AppError { code message } } }`;
    const frozen = (await ex.gql(FREEZE, { id: licenceId, reason: '超范围使用调查' }, regulator)).data.freezeLicence;
    expect(frozen).toMatchObject({ licence: { status: 'FROZEN', statusReason: '超范围使用调查' }, action: { action: 'licence.frozen', reason: '超范围使用调查' } });
    expect((await ex.gql(FREEZE, { id: licenceId, reason: '再次冻结' }, regulator)).data.freezeLicence.code).toBe('INVALID_STATE');

    const viewer = await authenticateApiKey({ db: db(), token: buyer });
    await expect(db().transaction((tx) => useLicence(tx, viewer, { licenceId: rawId(licenceId), use: 'delivery', usageRef: `d-${randomUUID()}`, kind: 'csv' }))).rejects.toMatchObject({
      code: 'LICENCE_TERMS',
    });
    for (const token of [buyer, ex.keyOf('provider')]) {
      const seen = (await ex.gql(SUPERVISORY_ACTIONS, {}, token)).data.supervisoryActions.data;
      expect(seen.some((a: { id: string; reason: string }) => a.id === frozen.action.id && a.reason === '超范围使用调查')).toBe(true);
    }
    const unfrozen = await ex.gql(FREEZE.replace('freezeLicence', 'unfreezeLicence'), { id: licenceId, reason: '调查结束' }, regulator);
    expect(unfrozen.data.unfreezeLicence).toMatchObject({ licence: { status: 'ACTIVE', statusReason: null }, action: { action: 'licence.unfrozen' } });
    await db().transaction((tx) => useLicence(tx, viewer, { licenceId: rawId(licenceId), use: 'delivery', usageRef: `d-${randomUUID()}`, kind: 'csv' }));
  });

  it('leaves each supervisory action in the exported audit log, with the hash chain intact', async () => {
    const res = await fetch(`${ex.url}/regulator/audit-log.csv?action=licence.frozen`, { headers: { authorization: `Bearer ${regulator}` } });
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('seq,at,actor_id,api_key_id,action,subject_kind,subject_id,details,prev_hash,hash');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',licence.frozen,licence,');
    const chain = (await ex.gql(`{ auditChain { ... on AuditChainCheck { intact entries } } }`, {}, regulator)).data.auditChain;
    expect(chain.intact).toBe(true);
    expect(chain.entries).toBeGreaterThan(5);
  });

  it('finds every row edited, deleted or inserted behind the exchange’s back, with its batch and kind', async () => {
    // Four batches: each tampering below lands in a batch of its own where the root matters.
    const a = await anchoredMarket();
    const b = await anchoredMarket();
    // 结算: a clearing cycle settles the trades; its records are sealed as a batch of their own.
    const cleared = await runClearingCycle({ db: db(), actor: null, trigger: 'schedule', feeBps: 100 });
    await services.anchoring.runOnce();
    const settlement = await one(sql`select id::text as id from settlement_records where cycle_id = ${cleared.cycle!.id} order by net_fen desc limit 1`);
    const settled = await verify({ kind: 'clearing.settlement-record', recordId: settlement.id });
    expect(settled, JSON.stringify(settled.problems)).toMatchObject({ status: 'ANCHORED', contentMatches: true, verified: true });
    const before = (await ex.gql(AUDIT, {}, regulator)).data.runFullAudit;
    expect(before.findings).toEqual([]);
    expect(before.contentNotRebuildable).toContainEqual({ kind: 'clearing.cycle-summary', records: 1 });

    const certA = await batchOf('rights.certificate', a.certificateId);
    const certB = await batchOf('rights.certificate', b.certificateId);
    const tradeA = await batchOf('trading.trade-filing', a.tradeId);
    const tradeB = await batchOf('trading.trade-filing', b.tradeId);
    expect(new Set([certB.batch_id, tradeA.batch_id, tradeB.batch_id]).size).toBe(3);
    const otherParticipant = rawId((await ex.gql(`{ me { ... on Participant { id } } }`, {}, buyer)).data.me.id);

    // Content edits: a certificate, a listing decision, a trade.
    await db().execute(sql`update rights_certificates set issued_by = ${otherParticipant} where id = ${a.certificateId}`);
    await db().execute(sql`update listing_events set reason = '事后篡改' where id = ${a.decisionId}`);
    await db().execute(sql`update trades set amount_fen = amount_fen + 1 where id = ${a.tradeId}`);
    // A certificate's anchor record deleted; an anchored listing decision's row deleted.
    await db().execute(sql`delete from anchor_records where kind = 'rights.certificate' and record_id = ${b.certificateId}`);
    await db().execute(sql`delete from listing_events where id = ${b.decisionId}`);
    // An anchor record slipped into a sealed batch; a decision row written with no anchor record.
    const slipped = randomUUID();
    const count = (await one(sql`select record_count from anchor_batches where id = ${tradeA.batch_id}`)).record_count as number;
    await db().execute(sql`insert into anchor_records (kind, record_id, content_hash, batch_id, leaf_index)
      values ('trading.trade-filing', ${slipped}, ${'0x' + randomBytes(32).toString('hex')}, ${tradeA.batch_id}, ${count})`);
    const forgedEvent = await one(sql`insert into listing_events (dataset_id, version_id, action, from_status, to_status, actor_id, reason)
      select dataset_id, version_id, 'approve', 'in_review', 'listed', actor_id, '伪造的审批' from listing_events where id = ${a.decisionId}
      returning id::text as id`);
    // A settlement record's amount edited (its stored content left as it was).
    await db().execute(sql`update settlement_records set net_fen = net_fen + 100 where id = ${settlement.id}`);
    // An anchor record's content hash overwritten in place.
    await db().execute(sql`update anchor_records set content_hash = ${'0x' + randomBytes(32).toString('hex')} where kind = 'trading.trade-filing' and record_id = ${b.tradeId}`);

    const run = (await ex.gql(AUDIT, {}, regulator)).data.runFullAudit;
    expect(run.clean).toBe(false);
    const findings = run.findings as { batchId: string | null; kind: string | null; recordId: string | null; problem: string }[];
    const expected = [
      { problem: 'CONTENT_CHANGED', kind: 'rights.certificate', recordId: a.certificateId, batchId: certA.batch_id },
      { problem: 'CONTENT_CHANGED', kind: 'catalog.listing-decision', recordId: a.decisionId },
      { problem: 'CONTENT_CHANGED', kind: 'trading.trade-filing', recordId: a.tradeId, batchId: tradeA.batch_id },
      { problem: 'RECORD_DELETED', kind: 'rights.certificate', recordId: b.certificateId, batchId: certB.batch_id },
      { problem: 'RECORD_DELETED', kind: 'catalog.listing-decision', recordId: b.decisionId },
      { problem: 'RECORD_INSERTED', kind: 'trading.trade-filing', recordId: slipped, batchId: tradeA.batch_id },
      { problem: 'RECORD_INSERTED', kind: 'catalog.listing-decision', recordId: forgedEvent.id, batchId: null },
      { problem: 'CONTENT_CHANGED', kind: 'trading.trade-filing', recordId: b.tradeId, batchId: tradeB.batch_id },
      { problem: 'ROOT_MISMATCH', batchId: tradeB.batch_id },
      { problem: 'CONTENT_CHANGED', kind: 'clearing.settlement-record', recordId: settlement.id, batchId: settled.batchId },
    ];
    for (const e of expected) expect(findings, JSON.stringify(e)).toContainEqual(expect.objectContaining(e));
    // The certificate's batch is explained by the deleted record; the slipped record's batch by the insertion.
    expect(findings.filter((f) => f.problem === 'ROOT_MISMATCH').map((f) => f.batchId)).toEqual([tradeB.batch_id]);
    expect(findings).toHaveLength(expected.length);

    // verifyRecord says the same of each edited record, without an error.
    expect(await verify({ kind: 'rights.certificate', recordId: a.certificateId })).toMatchObject({ contentMatches: false, proofReachesRoot: true, rootOnChain: true, verifiesOnChain: false, verified: false });
    // A batch with a record slipped in no longer gives proofs that reach its root.
    expect(await verify({ kind: 'trading.trade-filing', recordId: a.tradeId })).toMatchObject({ contentMatches: false, proofReachesRoot: false, rootOnChain: true, verified: false });
    expect(await verify({ kind: 'rights.certificate', recordId: b.certificateId })).toMatchObject({ status: 'NOT_ANCHORED', verified: false });
    expect(await verify({ kind: 'catalog.listing-decision', recordId: b.decisionId })).toMatchObject({ record: null, verified: false });
    expect(await verify({ kind: 'trading.trade-filing', recordId: b.tradeId })).toMatchObject({ contentMatches: false, proofReachesRoot: false, verified: false });
  });
});
