// 监管 · 审计: the regulator's view. Verify any anchored record against the chain, run the full
// tamper audit, see and acknowledge surveillance alerts, and
// take supervisory actions (suspend or reinstate a participant, freeze or unfreeze a licence)
// that the affected party sees.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { getRecordProof } from '../domain/anchoring/get-record-proof.ts';
import type { AuditEntryRow } from '../domain/audit/audit-log.ts';
import { listAuditRuns, runFullAudit, type AuditFinding, type AuditProblem, type FullAuditReport } from '../domain/audit/run-full-audit.ts';
import { verifyRecord, type RecordRef, type RecordVerification } from '../domain/audit/verify-record.ts';
import { LISTING_DECISION_KIND } from '../domain/catalog/listing-transition.ts';
import { AppError } from '../domain/errors.ts';
import { listSupervisoryActions } from '../domain/supervision/find-supervisory-actions.ts';
import { freezeLicence, unfreezeLicence, type LicenceSupervision } from '../domain/supervision/supervise-licence.ts';
import { reinstateParticipant, suspendParticipant, type ParticipantSupervision } from '../domain/supervision/supervise-participant.ts';
import { SUPERVISION_ACTION_KIND, supervisionRecordId } from '../domain/supervision/supervisory-action.ts';
import { acknowledgeAlert } from '../domain/surveillance/acknowledge-alert.ts';
import { ALERT_RULES, type AlertRow, type AlertRule } from '../domain/surveillance/alert.ts';
import { listAlerts } from '../domain/surveillance/find-alerts.ts';
import { scanMarket, type MarketScan } from '../domain/surveillance/scan-market.ts';
import { AnchorProofRef } from './anchoring.ts';
import { builder } from './builder.ts';
import { ParticipantRef } from './participants.ts';
import { LicenceRef } from './trading.ts';

// ---- Verifying a record ---------------------------------------------------------------------

const VerificationStatusEnum = builder.enumType('RecordAnchorStatus', {
  values: {
    NOT_ANCHORED: { value: 'not_anchored', description: 'No anchor record of this kind for this id' },
    PENDING: { value: 'pending', description: 'Recorded, not yet in a batch' },
    SEALED: { value: 'sealed', description: 'In a batch whose root is not on chain yet' },
    ANCHORED: { value: 'anchored', description: "The batch's root is on chain" },
  } as const,
});

const RecordVerificationRef = builder.objectRef<RecordVerification>('RecordVerification').implement({
  description:
    "An anchored record checked end to end: (a) its content rebuilt from the database hashes to the anchored content hash, (b) the proof leads from its leaf to the batch's root, (c) that root is the one on chain, and the contract accepts the record as the database holds it now.",
  fields: (t) => ({
    kind: t.exposeString('kind'),
    recordId: t.exposeString('recordId'),
    status: t.field({ type: VerificationStatusEnum, resolve: (v) => v.status }),
    record: t.field({ type: 'JSON', nullable: true, description: 'The record as the database holds it now, in the canonical form that is hashed', resolve: (v) => v.record }),
    contentRebuildable: t.exposeBoolean('contentRebuildable'),
    anchoredContentHash: t.exposeString('anchoredContentHash', { nullable: true }),
    recomputedContentHash: t.exposeString('recomputedContentHash', { nullable: true }),
    contentMatches: t.exposeBoolean('contentMatches', { nullable: true }),
    leaf: t.exposeString('leaf', { nullable: true }),
    proof: t.exposeStringList('proof'),
    batchId: t.exposeString('batchId', { nullable: true }),
    leafIndex: t.exposeInt('leafIndex', { nullable: true }),
    root: t.exposeString('root', { nullable: true }),
    onChainRoot: t.exposeString('onChainRoot', { nullable: true }),
    txHash: t.exposeString('txHash', { nullable: true }),
    blockNumber: t.exposeInt('blockNumber', { nullable: true }),
    proofReachesRoot: t.exposeBoolean('proofReachesRoot'),
    rootOnChain: t.exposeBoolean('rootOnChain'),
    verifiesOnChain: t.exposeBoolean('verifiesOnChain'),
    verified: t.exposeBoolean('verified'),
    problems: t.exposeStringList('problems'),
  }),
});

// ---- The full audit -------------------------------------------------------------------------

const AuditProblemEnum = builder.enumType('AuditProblem', {
  values: {
    CONTENT_CHANGED: { value: 'content_changed', description: 'The record no longer hashes to what was anchored' },
    RECORD_DELETED: { value: 'record_deleted', description: 'The record (or its anchor record) is gone' },
    RECORD_INSERTED: { value: 'record_inserted', description: 'A record (or an anchor record) that was never anchored' },
    ROOT_MISMATCH: { value: 'root_mismatch', description: "The batch's root recomputed from the database is not the root on chain" },
  } satisfies Record<string, { value: AuditProblem; description: string }>,
});

const AuditFindingRef = builder.objectRef<AuditFinding>('AuditFinding').implement({
  fields: (t) => ({
    batchId: t.exposeString('batchId', { nullable: true }),
    kind: t.exposeString('kind', { nullable: true }),
    recordId: t.exposeString('recordId', { nullable: true }),
    leafIndex: t.exposeInt('leafIndex', { nullable: true }),
    problem: t.field({ type: AuditProblemEnum, resolve: (f) => f.problem }),
    detail: t.exposeString('detail'),
  }),
});

const KindCountRef = builder.objectRef<{ kind: string; records: number }>('AnchoredKindCount').implement({
  fields: (t) => ({ kind: t.exposeString('kind'), records: t.exposeInt('records') }),
});

const AuditRunRef = builder.objectRef<FullAuditReport>('AuditRun').implement({
  description: '全量审计: every batch root recomputed from the database and compared with the chain; every rebuildable record rehashed',
  fields: (t) => ({
    id: t.exposeID('id'),
    triggeredBy: t.field({ type: ParticipantRef, nullable: true, resolve: (r, _a, ctx) => (r.triggeredBy ? ctx.loaders.participant.load(r.triggeredBy) : null) }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime' }),
    durationMs: t.exposeInt('durationMs'),
    batches: t.exposeInt('batches'),
    anchoredBatches: t.exposeInt('anchoredBatches'),
    records: t.exposeInt('records'),
    batchesMatching: t.exposeInt('batchesMatching'),
    contentChecked: t.exposeInt('contentChecked'),
    contentNotRebuildable: t.field({ type: [KindCountRef], resolve: (r) => r.contentNotRebuildable }),
    findingCount: t.exposeInt('findingCount'),
    findings: t.field({ type: [AuditFindingRef], description: 'Stored runs keep the first 1,000', resolve: (r) => r.findings }),
    clean: t.exposeBoolean('clean'),
  }),
});

// ---- Arguments -----------------------------------------------------------------------------

/** A global id from an argument, or a typed refusal (never a masked validation error). */
function decodeId(id: string, field: string): { typename: string; id: string } {
  try {
    return decodeGlobalID(id);
  } catch {
    throw new AppError('INVALID_INPUT', { field, message: `${field}: not an id` });
  }
}

// ---- Surveillance ---------------------------------------------------------------------------

const AlertRuleEnum = builder.enumType('AlertRule', {
  description: '市场风险预警 rules',
  values: Object.fromEntries(Object.entries(ALERT_RULES).map(([rule, description]) => [rule.toUpperCase(), { value: rule as AlertRule, description }])) as Record<
    string,
    { value: AlertRule; description: string }
  >,
});
const AlertSeverityEnum = builder.enumType('AlertSeverity', {
  values: { INFO: { value: 'info' }, WARNING: { value: 'warning' }, CRITICAL: { value: 'critical' } } as const,
});
const AlertStatusEnum = builder.enumType('AlertStatus', {
  values: { OPEN: { value: 'open' }, ACKNOWLEDGED: { value: 'acknowledged' } } as const,
});

const AlertRef = builder.objectRef<AlertRow>('Alert').implement({
  description: 'A surveillance rule fired: what, about whom, and the evidence',
  fields: (t) => ({
    id: t.exposeID('id'),
    rule: t.field({ type: AlertRuleEnum, resolve: (a) => a.rule as AlertRule }),
    severity: t.field({ type: AlertSeverityEnum, resolve: (a) => a.severity }),
    subjectKind: t.exposeString('subjectKind'),
    subjectId: t.exposeString('subjectId'),
    evidence: t.field({ type: 'JSON', resolve: (a) => a.evidence }),
    status: t.field({ type: AlertStatusEnum, resolve: (a) => a.status }),
    acknowledgedBy: t.field({ type: ParticipantRef, nullable: true, resolve: (a, _x, ctx) => (a.acknowledgedBy ? ctx.loaders.participant.load(a.acknowledgedBy) : null) }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const MarketScanRef = builder.objectRef<MarketScan>('MarketScan').implement({
  fields: (t) => ({
    raised: t.field({ type: [AlertRef], description: 'Alerts new in this scan', resolve: (s) => s.raised }),
    candidates: t.exposeInt('candidates', { description: 'What the rules found, new or raised before' }),
  }),
});

// ---- Supervisory actions --------------------------------------------------------------------

const detail = (e: AuditEntryRow, key: string): unknown => (e.details as Record<string, unknown> | null)?.[key];

const SupervisoryActionRef = builder.objectRef<AuditEntryRow>('SupervisoryMeasure').implement({
  description: '监管措施: a suspension, reinstatement, licence freeze or listing supervision, with its reason; anchored on chain',
  fields: (t) => ({
    id: t.string({ description: 'The audit-log sequence number of the action', resolve: (e) => supervisionRecordId(e) }),
    action: t.exposeString('action', { description: 'participant.suspended, participant.reinstated, licence.frozen, licence.unfrozen or listing.supervised' }),
    subjectKind: t.exposeString('subjectKind', { nullable: true }),
    subjectId: t.exposeString('subjectId', { nullable: true }),
    actor: t.field({ type: ParticipantRef, nullable: true, resolve: (e, _a, ctx) => (e.actorId ? ctx.loaders.participant.load(e.actorId) : null) }),
    reason: t.string({ nullable: true, resolve: (e) => (detail(e, 'reason') as string | undefined) ?? null }),
    fromStatus: t.string({ nullable: true, resolve: (e) => (detail(e, 'fromStatus') as string | undefined) ?? null }),
    toStatus: t.string({ nullable: true, resolve: (e) => (detail(e, 'toStatus') as string | undefined) ?? (detail(e, 'action') as string | undefined) ?? null }),
    at: t.expose('at', { type: 'DateTime' }),
    entryHash: t.exposeString('hash'),
    anchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      description: "The action's own anchor (a listing supervision's is its listing decision)",
      resolve: (e, _a, ctx) => {
        const eventId = detail(e, 'eventId');
        const [kind, recordId] = e.action === 'listing.supervised' && typeof eventId === 'string' ? [LISTING_DECISION_KIND, eventId] : [SUPERVISION_ACTION_KIND, supervisionRecordId(e)];
        return getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind, recordId });
      },
    }),
  }),
});

const ParticipantSupervisionRef = builder.objectRef<ParticipantSupervision>('ParticipantSupervision').implement({
  fields: (t) => ({
    participant: t.field({ type: ParticipantRef, resolve: (s) => s.participant }),
    action: t.field({ type: SupervisoryActionRef, resolve: (s) => s.action }),
  }),
});

const LicenceSupervisionRef = builder.objectRef<LicenceSupervision>('LicenceSupervision').implement({
  fields: (t) => ({
    licence: t.field({ type: LicenceRef, resolve: (s) => s.licence }),
    action: t.field({ type: SupervisoryActionRef, resolve: (s) => s.action }),
  }),
});

// ---- Fields ---------------------------------------------------------------------------------

builder.queryFields((t) => ({
  verifyRecord: t.field({
    type: RecordVerificationRef,
    description:
      "Checks an anchored record (certificate, listing decision, trade filing, settlement record, ruling, audit entry, supervisory action) against the chain. Give `id` (a Trade's or RightsCertificate's global id) or `kind` and `recordId`; optionally a `proof` to check instead of the exchange's own. A record that does not verify is reported, not refused.",
    authScopes: { regulator: true },
    errors: {},
    args: {
      kind: t.arg.string({ description: 'e.g. rights.certificate, catalog.listing-decision, trading.trade-filing, clearing.settlement-record' }),
      recordId: t.arg.string(),
      id: t.arg.id({ description: 'Global id of an anchored node instead of kind and recordId' }),
      proof: t.arg.stringList({ description: 'A proof to check instead of the one the exchange computes' }),
    },
    resolve: (_r, args, ctx) => {
      let record: RecordRef;
      if (args.id) record = decodeId(String(args.id), 'id');
      else if (args.kind && args.recordId) record = { kind: args.kind, recordId: args.recordId };
      else throw new AppError('INVALID_INPUT', { field: 'kind', message: 'give either id, or kind and recordId' });
      return verifyRecord({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, actor: ctx.viewer, record, proof: args.proof ?? undefined });
    },
  }),
  auditRuns: t.field({
    type: [AuditRunRef],
    description: 'Past full audits, newest first',
    authScopes: { regulator: true },
    errors: {},
    args: { first: t.arg.int() },
    resolve: (_r, args, ctx) => listAuditRuns({ db: ctx.services.db, actor: ctx.viewer, first: args.first ?? undefined }),
  }),
  alerts: t.field({
    type: [AlertRef],
    description: '市场风险预警: surveillance alerts, newest first',
    authScopes: { regulator: true },
    errors: {},
    args: { status: t.arg({ type: AlertStatusEnum }), rule: t.arg({ type: AlertRuleEnum }), first: t.arg.int(), before: t.arg({ type: 'DateTime' }) },
    resolve: (_r, args, ctx) =>
      listAlerts({ db: ctx.services.db, actor: ctx.viewer, status: args.status ?? undefined, rule: args.rule ?? undefined, first: args.first ?? undefined, before: args.before ?? undefined }),
  }),
  supervisoryActions: t.field({
    type: [SupervisoryActionRef],
    description: "Supervisory actions affecting a participant, newest first: your own, or (regulator, operator) anyone's or everyone's",
    authScopes: { authenticated: true },
    errors: {},
    args: { participantId: t.arg.globalID({ for: ParticipantRef }), first: t.arg.int(), before: t.arg({ type: 'BigInt' }) },
    resolve: (_r, args, ctx) =>
      listSupervisoryActions({ db: ctx.services.db, actor: ctx.viewer, participantId: args.participantId?.id, first: args.first ?? undefined, before: args.before ?? undefined }),
  }),
}));

builder.mutationFields((t) => ({
  runFullAudit: t.field({
    type: AuditRunRef,
    description: "Recomputes every batch's root from the database and compares it with the chain; rehashes every rebuildable record; reports what changed",
    authScopes: { regulator: true },
    errors: {},
    resolve: (_r, _a, ctx) => runFullAudit({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, actor: ctx.viewer }),
  }),
  scanMarket: t.field({
    type: MarketScanRef,
    description: 'Runs every surveillance rule now and raises the alerts not raised before',
    authScopes: { regulator: true },
    errors: {},
    resolve: (_r, _a, ctx) => scanMarket({ db: ctx.services.db, actor: ctx.viewer }),
  }),
  acknowledgeAlert: t.field({
    type: AlertRef,
    authScopes: { regulator: true },
    errors: {},
    args: { alertId: t.arg.id({ required: true }), note: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => acknowledgeAlert({ db: ctx.services.db, actor: ctx.viewer, input: { alertId: String(args.alertId), note: args.note } }),
  }),
  suspendParticipant: t.field({
    type: ParticipantSupervisionRef,
    description: 'Suspends a verified participant with a reason: it acts in no role until reinstated; the registry contract marks it inactive',
    authScopes: { $any: { regulator: true, operator: true } },
    errors: {},
    args: { participantId: t.arg.globalID({ required: true, for: ParticipantRef }), reason: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => suspendParticipant({ db: ctx.services.db, actor: ctx.viewer, input: { participantId: args.participantId.id, reason: args.reason } }),
  }),
  reinstateParticipant: t.field({
    type: ParticipantSupervisionRef,
    authScopes: { $any: { regulator: true, operator: true } },
    errors: {},
    args: { participantId: t.arg.globalID({ required: true, for: ParticipantRef }), reason: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => reinstateParticipant({ db: ctx.services.db, actor: ctx.viewer, input: { participantId: args.participantId.id, reason: args.reason } }),
  }),
  freezeLicence: t.field({
    type: LicenceSupervisionRef,
    description: 'Freezes an active licence with a reason: no query or delivery until unfrozen',
    authScopes: { $any: { regulator: true, operator: true } },
    errors: {},
    args: { licenceId: t.arg.globalID({ required: true, for: LicenceRef }), reason: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => freezeLicence({ db: ctx.services.db, actor: ctx.viewer, input: { licenceId: args.licenceId.id, reason: args.reason } }),
  }),
  unfreezeLicence: t.field({
    type: LicenceSupervisionRef,
    authScopes: { $any: { regulator: true, operator: true } },
    errors: {},
    args: { licenceId: t.arg.globalID({ required: true, for: LicenceRef }), reason: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => unfreezeLicence({ db: ctx.services.db, actor: ctx.viewer, input: { licenceId: args.licenceId.id, reason: args.reason } }),
  }),
}));
