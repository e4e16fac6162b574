// 数据跨境: the positive list (正面清单) per destination and security assessments (安全评估),
// kept by the regulator; the gate that placeOrder and placeBid run reads them.
import { getRecordProof } from '../domain/anchoring/get-record-proof.ts';
import { addToPositiveList } from '../domain/crossborder/add-to-positive-list.ts';
import {
  ASSESSMENT_KIND,
  assessmentDecisionRecordId,
  POSITIVE_LIST_KIND,
  positiveListRecordIds,
  type PositiveListEntryRow,
  type SecurityAssessmentRow,
} from '../domain/crossborder/crossborder-records.ts';
import { decideSecurityAssessment } from '../domain/crossborder/decide-security-assessment.ts';
import { getPositiveListEntriesByIds, getSecurityAssessmentsByIds, listSecurityAssessments, positiveList } from '../domain/crossborder/find-crossborder.ts';
import { findPositiveListWitness, positiveListRoot } from '../domain/crossborder/positive-list-tree.ts';
import { removeFromPositiveList } from '../domain/crossborder/remove-from-positive-list.ts';
import type { PositiveListInput } from '../../sdk/zk/positive-list.ts';
import { requestSecurityAssessment } from '../domain/crossborder/request-security-assessment.ts';
import { revokeSecurityAssessment } from '../domain/crossborder/revoke-security-assessment.ts';
import { AnchorProofRef } from './anchoring.ts';
import { builder } from './builder.ts';
import { DatasetRef } from './catalog.ts';
import { ParticipantRef } from './participants.ts';

const PositiveListStatusEnum = builder.enumType('PositiveListStatus', {
  values: { ACTIVE: { value: 'active' }, REMOVED: { value: 'removed' } } as const,
});

const AssessmentStatusEnum = builder.enumType('SecurityAssessmentStatus', {
  values: {
    REQUESTED: { value: 'requested', description: 'Waiting for the regulator' },
    APPROVED: { value: 'approved', description: 'Approved until validUntil' },
    REJECTED: { value: 'rejected' },
    REVOKED: { value: 'revoked', description: 'Approved, then withdrawn by the regulator' },
  } as const,
});

export const PositiveListEntryRef = builder.objectRef<PositiveListEntryRow>('PositiveListEntry');
builder.node(PositiveListEntryRef, {
  description: '正面清单: a data classification allowed to go to a destination country',
  id: { resolve: (e) => e.id },
  loadMany: (ids, ctx) => getPositiveListEntriesByIds({ db: ctx.services.db, ids }),
  fields: (t) => ({
    destination: t.exposeString('destination', { description: 'ISO 3166-1 alpha-2 country code' }),
    classification: t.exposeString('classification'),
    status: t.field({ type: PositiveListStatusEnum, resolve: (e) => e.status }),
    addedBy: t.field({ type: ParticipantRef, nullable: true, resolve: (e, _a, ctx) => ctx.loaders.participant.load(e.addedBy) }),
    reason: t.exposeString('reason', { nullable: true, description: 'Why it was added, or once removed why it was removed' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    anchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      description: 'The on-chain proof of the addition',
      resolve: (e, _a, ctx) =>
        getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind: POSITIVE_LIST_KIND, recordId: positiveListRecordIds(e).addition }),
    }),
    removalAnchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      description: 'The on-chain proof of the removal, once removed',
      resolve: (e, _a, ctx) =>
        getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind: POSITIVE_LIST_KIND, recordId: positiveListRecordIds(e).removal }),
    }),
  }),
});

export const SecurityAssessmentRef = builder.objectRef<SecurityAssessmentRow>('SecurityAssessment');
builder.node(SecurityAssessmentRef, {
  description: '安全评估: the regulator’s assessment of sending a dataset to a destination',
  id: { resolve: (a) => a.id },
  loadMany: (ids, ctx) => getSecurityAssessmentsByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (a, _a, ctx) => ctx.loaders.dataset.load(a.datasetId) }),
    destination: t.exposeString('destination'),
    status: t.field({ type: AssessmentStatusEnum, resolve: (a) => a.status }),
    valid: t.boolean({
      description: 'Approved and not yet expired: the gate lets orders from the destination through (with the positive list)',
      resolve: (a) => a.status === 'approved' && (a.validUntil === null || a.validUntil > new Date()),
    }),
    validUntil: t.expose('validUntil', { type: 'DateTime', nullable: true }),
    requestedBy: t.field({ type: ParticipantRef, nullable: true, resolve: (a, _a, ctx) => ctx.loaders.participant.load(a.requestedBy) }),
    decidedBy: t.field({
      type: ParticipantRef,
      nullable: true,
      description: 'Who made the latest decision (approval, rejection or revocation)',
      resolve: (a, _a, ctx) => (a.decidedBy ? ctx.loaders.participant.load(a.decidedBy) : null),
    }),
    reason: t.exposeString('reason', { nullable: true, description: 'The reason given with the latest decision' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
    decisionAnchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      description: 'The on-chain proof of the latest decision',
      resolve: (a, _a, ctx) => {
        const recordId = assessmentDecisionRecordId(a);
        return recordId ? getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind: ASSESSMENT_KIND, recordId }) : null;
      },
    }),
  }),
});

const PositiveListRootRef = builder.objectRef<{ root: string | null; entries: number }>('PositiveListRoot').implement({
  description: "The root of the positive list's Poseidon Merkle tree (circuits/positive_list.circom); a positive_list proof must be under it",
  fields: (t) => ({
    root: t.exposeString('root', { nullable: true, description: 'A field element (decimal); null while the list is empty' }),
    entries: t.exposeInt('entries', { description: 'Active entries, the leaves of the tree in the order they were added' }),
  }),
});

const PositiveListWitnessRef = builder.objectRef<PositiveListInput>('PositiveListWitness').implement({
  description: "positive_list.circom's input for one entry: pass it to the sdk's provePositiveList",
  fields: (t) => ({
    listRoot: t.string({ resolve: (w) => w.listRoot.toString() }),
    destination: t.string({ description: 'The destination code: its ASCII bytes read big-endian, decimal', resolve: (w) => w.destination.toString() }),
    category: t.string({ description: 'The classification code: its ASCII bytes read big-endian, decimal', resolve: (w) => w.category.toString() }),
    leafIndex: t.int({ resolve: (w) => Number(w.leafIndex) }),
    siblings: t.stringList({ description: 'The Merkle path from the leaf up, decimal', resolve: (w) => w.siblings.map(String) }),
  }),
});

builder.queryFields((t) => ({
  positiveListRoot: t.field({
    type: PositiveListRootRef,
    description: "The positive list's current Merkle root (public)",
    resolve: (_r, _a, ctx) => positiveListRoot(ctx.services.db),
  }),
  positiveListWitness: t.field({
    type: PositiveListWitnessRef,
    description: 'What a provider needs to prove that a classification is on the positive list for a destination (public)',
    errors: {},
    args: { destination: t.arg.string({ required: true }), classification: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => findPositiveListWitness({ db: ctx.services.db, input: { destination: args.destination, classification: args.classification } }),
  }),
  positiveList: t.field({
    type: [PositiveListEntryRef],
    description: 'The positive list (public): active entries for one destination, or for all',
    errors: {},
    args: { destination: t.arg.string(), includeRemoved: t.arg.boolean() },
    resolve: (_r, args, ctx) =>
      positiveList({ db: ctx.services.db, input: { destination: args.destination ?? undefined, includeRemoved: args.includeRemoved ?? false } }),
  }),
  securityAssessments: t.field({
    type: [SecurityAssessmentRef],
    description: "A dataset's assessments (its provider, regulators, the operator); without a dataset, all of them (regulators, operator)",
    authScopes: { authenticated: true },
    errors: {},
    args: { datasetId: t.arg.globalID({ for: DatasetRef }), status: t.arg({ type: AssessmentStatusEnum }) },
    resolve: (_r, args, ctx) =>
      listSecurityAssessments({ db: ctx.services.db, actor: ctx.viewer, input: { datasetId: args.datasetId?.id, status: args.status ?? undefined } }),
  }),
}));

builder.mutationFields((t) => ({
  addToPositiveList: t.field({
    type: PositiveListEntryRef,
    description: 'Allow a data classification to go to a destination country; anchored on chain',
    authScopes: { regulator: true },
    errors: {},
    args: { destination: t.arg.string({ required: true }), classification: t.arg.string({ required: true }), reason: t.arg.string() },
    resolve: (_r, args, ctx) =>
      addToPositiveList({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { destination: args.destination, classification: args.classification, reason: args.reason ?? undefined },
      }),
  }),
  removeFromPositiveList: t.field({
    type: PositiveListEntryRef,
    description: "Take a classification off a destination's list, with a reason; anchored on chain",
    authScopes: { regulator: true },
    errors: {},
    args: { destination: t.arg.string({ required: true }), classification: t.arg.string({ required: true }), reason: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => removeFromPositiveList({ db: ctx.services.db, actor: ctx.viewer, input: args }),
  }),
  requestSecurityAssessment: t.field({
    type: SecurityAssessmentRef,
    description: 'Ask the regulator to assess sending your dataset to a destination (安全评估申报)',
    authScopes: { provider: true },
    errors: {},
    args: { datasetId: t.arg.globalID({ required: true, for: DatasetRef }), destination: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) =>
      requestSecurityAssessment({ db: ctx.services.db, actor: ctx.viewer, input: { datasetId: args.datasetId.id, destination: args.destination } }),
  }),
  decideSecurityAssessment: t.field({
    type: SecurityAssessmentRef,
    description: 'Approve a requested assessment until validUntil, or reject it with a reason; anchored on chain',
    authScopes: { regulator: true },
    errors: {},
    args: {
      assessmentId: t.arg.globalID({ required: true, for: SecurityAssessmentRef }),
      approve: t.arg.boolean({ required: true }),
      validUntil: t.arg({ type: 'DateTime' }),
      reason: t.arg.string(),
    },
    resolve: (_r, args, ctx) =>
      decideSecurityAssessment({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { assessmentId: args.assessmentId.id, approve: args.approve, validUntil: args.validUntil ?? undefined, reason: args.reason ?? undefined },
      }),
  }),
  revokeSecurityAssessment: t.field({
    type: SecurityAssessmentRef,
    description: 'Withdraw an approval, with a reason; anchored on chain',
    authScopes: { regulator: true },
    errors: {},
    args: { assessmentId: t.arg.globalID({ required: true, for: SecurityAssessmentRef }), reason: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => revokeSecurityAssessment({ db: ctx.services.db, actor: ctx.viewer, input: { assessmentId: args.assessmentId.id, reason: args.reason } }),
  }),
}));
