// 争议 · 违约鉴定: disputes on trades, their evidence bundles, and arbiters' rulings.
import type { AnchorProof } from '../chain/anchoring/get-anchor-proof.ts';
import { canonicalContentHash } from '../chain/anchoring/content-hash.ts';
import { getRecordProof } from '../domain/anchoring/get-record-proof.ts';
import { DISPUTE_OPENED_KIND, DISPUTE_RULING_KIND, DISPUTE_WITHDRAWN_KIND, REMEDIES, type DisputeRow, type Remedy } from '../domain/disputes/dispute-records.ts';
import type { EvidenceBundle } from '../domain/disputes/evidence-bundle.ts';
import { getDisputesByIds, listDisputes } from '../domain/disputes/find-disputes.ts';
import { openDispute } from '../domain/disputes/open-dispute.ts';
import { refreshDisputeEvidence } from '../domain/disputes/refresh-dispute-evidence.ts';
import { ruleDispute } from '../domain/disputes/rule-dispute.ts';
import { withdrawDispute } from '../domain/disputes/withdraw-dispute.ts';
import { getTrade } from '../domain/trading/find-trading.ts';
import { AnchorProofRef } from './anchoring.ts';
import { builder, type GraphQLContext } from './builder.ts';
import { money, MoneyRef } from './money.ts';
import { ParticipantRef } from './participants.ts';
import { TradeRef } from './trading.ts';

const DisputeStatusEnum = builder.enumType('DisputeStatus', {
  values: {
    OPEN: { value: 'open', description: 'Waiting for an arbiter' },
    RULED: { value: 'ruled' },
    WITHDRAWN: { value: 'withdrawn', description: 'Withdrawn by the party that opened it' },
  } as const,
});

const RemedyEnum = builder.enumType('DisputeRemedy', {
  values: {
    NONE: { value: 'none' },
    REFUND: { value: 'refund', description: 'The provider refunds the buyer (at most the trade amount), through the next clearing cycle' },
    PENALTY: { value: 'penalty', description: 'The provider pays the buyer a penalty (违约金), through the next clearing cycle' },
    LICENCE_REVOCATION: { value: 'licence_revocation', description: "The trade's licence is revoked at once" },
  } as const satisfies Record<string, { value: (typeof REMEDIES)[number]; description?: string }>,
});

const DisputeScopeEnum = builder.enumType('DisputeScope', {
  values: {
    MINE: { value: 'mine', description: 'Disputes you opened or answer' },
    ALL: { value: 'all', description: 'Every dispute (arbiters, regulators, operator)' },
  } as const,
});

type UsageEvidence = EvidenceBundle['usage'];
type ListingDecisionEvidence = EvidenceBundle['listingDecisions'][number];

const UsageKindCountRef = builder.objectRef<{ kind: string; count: number }>('UsageKindCount').implement({
  fields: (t) => ({ kind: t.exposeString('kind'), count: t.exposeInt('count') }),
});

const UsageRecordEvidenceRef = builder.objectRef<UsageEvidence['records'][number]>('UsageRecordEvidence').implement({
  description: 'A metered use of the licence: what kind and when, never what it asked',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.exposeString('kind'),
    amount: t.field({ type: MoneyRef, resolve: (u) => money(BigInt(u.amountFen)) }),
    at: t.field({ type: 'DateTime', resolve: (u) => new Date(u.at) }),
  }),
});

const UsageEvidenceRef = builder.objectRef<UsageEvidence>('UsageEvidence').implement({
  fields: (t) => ({
    total: t.exposeInt('total'),
    byKind: t.field({ type: [UsageKindCountRef], resolve: (u) => u.byKind }),
    records: t.field({ type: [UsageRecordEvidenceRef], description: 'Newest first; `truncated` when there are more', resolve: (u) => u.records }),
    truncated: t.exposeBoolean('truncated'),
  }),
});

const ListingDecisionEvidenceRef = builder.objectRef<ListingDecisionEvidence>('ListingDecisionEvidence').implement({
  fields: (t) => ({
    eventId: t.exposeID('eventId'),
    action: t.exposeString('action'),
    fromStatus: t.exposeString('fromStatus'),
    toStatus: t.exposeString('toStatus'),
    actor: t.field({ type: ParticipantRef, nullable: true, resolve: (e, _a, ctx) => ctx.loaders.participant.load(e.actorId) }),
    reason: t.exposeString('reason', { nullable: true }),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
    anchor: t.field({ type: AnchorProofRef, nullable: true, resolve: (e) => e.anchor }),
  }),
});

const EvidenceRef = builder.objectRef<EvidenceBundle>('DisputeEvidence').implement({
  description: "The evidence bundle the exchange assembled from its own records; frozen once the dispute is ruled or withdrawn",
  fields: (t) => ({
    assembledAt: t.field({ type: 'DateTime', resolve: (e) => new Date(e.assembledAt) }),
    hash: t.string({ description: 'keccak256 of the canonical JSON of the bundle; a ruling anchors it', resolve: (e) => canonicalContentHash(e) }),
    trade: t.field({ type: 'JSON', description: 'The trade as filed', resolve: (e) => e.trade }),
    order: t.field({ type: 'JSON', nullable: true, resolve: (e) => e.order }),
    licence: t.field({ type: 'JSON', nullable: true, description: 'The licence with its status and usage counts', resolve: (e) => e.licence }),
    usage: t.field({ type: UsageEvidenceRef, resolve: (e) => e.usage }),
    tradeFiling: t.field({
      type: AnchorProofRef,
      nullable: true,
      description: "The trade filing's on-chain proof at assembly time",
      resolve: (e) => e.tradeFiling as AnchorProof | null,
    }),
    listingDecisions: t.field({ type: [ListingDecisionEvidenceRef], description: "The dataset's listing decisions with their proofs", resolve: (e) => e.listingDecisions }),
  }),
});

/** The on-chain proof of one step of a dispute (opening, ruling, withdrawal), null if it did not happen. */
const proof = (kind: string) => (d: DisputeRow, _a: unknown, ctx: GraphQLContext) =>
  getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind, recordId: d.id });

export const DisputeRef = builder.objectRef<DisputeRow>('Dispute');
builder.node(DisputeRef, {
  description: '争议: a claim by one party of a trade against the other, ruled by an arbiter',
  id: { resolve: (d) => d.id },
  loadMany: (ids, ctx) => getDisputesByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    trade: t.field({ type: TradeRef, nullable: true, resolve: (d, _a, ctx) => getTrade({ db: ctx.services.db, actor: ctx.viewer, id: d.tradeId }) }),
    openedBy: t.field({ type: ParticipantRef, nullable: true, resolve: (d, _a, ctx) => ctx.loaders.participant.load(d.openedBy) }),
    respondent: t.field({ type: ParticipantRef, nullable: true, resolve: (d, _a, ctx) => ctx.loaders.participant.load(d.respondentId) }),
    claim: t.exposeString('claim'),
    status: t.field({ type: DisputeStatusEnum, resolve: (d) => d.status }),
    evidence: t.field({ type: EvidenceRef, nullable: true, resolve: (d) => (d.evidence as EvidenceBundle | null) ?? null }),
    arbiter: t.field({ type: ParticipantRef, nullable: true, resolve: (d, _a, ctx) => (d.arbiterId ? ctx.loaders.participant.load(d.arbiterId) : null) }),
    breach: t.exposeBoolean('breach', { nullable: true }),
    remedy: t.field({ type: RemedyEnum, nullable: true, resolve: (d) => d.remedy as Remedy | null }),
    remedyAmount: t.field({ type: MoneyRef, nullable: true, resolve: (d) => (d.remedyFen === null ? null : money(d.remedyFen)) }),
    remedyCleared: t.boolean({ description: 'A money remedy was posted by a clearing cycle', resolve: (d) => d.remedyCycleId !== null }),
    ruling: t.exposeString('ruling', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    ruledAt: t.expose('ruledAt', { type: 'DateTime', nullable: true }),
    openingAnchor: t.field({ type: AnchorProofRef, nullable: true, resolve: proof(DISPUTE_OPENED_KIND) }),
    rulingAnchor: t.field({ type: AnchorProofRef, nullable: true, resolve: proof(DISPUTE_RULING_KIND) }),
    withdrawalAnchor: t.field({ type: AnchorProofRef, nullable: true, resolve: proof(DISPUTE_WITHDRAWN_KIND) }),
  }),
});

builder.queryFields((t) => ({
  disputes: t.connection({
    type: DisputeRef,
    authScopes: { authenticated: true },
    errors: {},
    args: { scope: t.arg({ type: DisputeScopeEnum, required: true }), status: t.arg({ type: DisputeStatusEnum }) },
    resolve: async (_r, args, ctx) => {
      const first = Math.min(args.first ?? 50, 200);
      const rows = await listDisputes({ db: ctx.services.db, actor: ctx.viewer, scope: args.scope, status: args.status ?? undefined, first: first + 1, after: args.after ?? undefined });
      const nodes = rows.slice(0, first);
      return {
        edges: nodes.map((node) => ({ node, cursor: node.id })),
        pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: false, startCursor: nodes[0]?.id ?? null, endCursor: nodes.at(-1)?.id ?? null },
      };
    },
  }),
}));

builder.mutationFields((t) => ({
  openDispute: t.field({
    type: DisputeRef,
    description: 'Open a dispute on a trade you are a party to, with your claim; the exchange assembles the evidence. Anchored on chain.',
    authScopes: { $any: { buyer: true, provider: true } },
    errors: {},
    args: { tradeId: t.arg.globalID({ required: true, for: TradeRef }), claim: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) =>
      openDispute({
        db: ctx.services.db,
        anchorRegistry: ctx.services.contracts.anchorRegistry,
        actor: ctx.viewer,
        input: { tradeId: args.tradeId.id, claim: args.claim },
      }),
  }),
  refreshDisputeEvidence: t.field({
    type: DisputeRef,
    description: "Re-assemble an open dispute's evidence from the records as they are now (a party or an arbiter)",
    authScopes: { $any: { buyer: true, provider: true, arbiter: true } },
    errors: {},
    args: { disputeId: t.arg.globalID({ required: true, for: DisputeRef }) },
    resolve: (_r, args, ctx) =>
      refreshDisputeEvidence({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, actor: ctx.viewer, disputeId: args.disputeId.id }),
  }),
  ruleDispute: t.field({
    type: DisputeRef,
    description:
      '违约鉴定 — rule breach or no breach with a remedy and the reasoning; a refund or a penalty takes remedyFen and flows through the next clearing cycle. Anchored on chain.',
    authScopes: { arbiter: true },
    errors: {},
    args: {
      disputeId: t.arg.globalID({ required: true, for: DisputeRef }),
      breach: t.arg.boolean({ required: true }),
      remedy: t.arg({ type: RemedyEnum, required: true }),
      remedyFen: t.arg({ type: 'BigInt' }),
      ruling: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) =>
      ruleDispute({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { disputeId: args.disputeId.id, breach: args.breach, remedy: args.remedy, remedyFen: args.remedyFen ?? undefined, ruling: args.ruling },
      }),
  }),
  withdrawDispute: t.field({
    type: DisputeRef,
    description: 'Withdraw a dispute you opened, while it is open',
    authScopes: { $any: { buyer: true, provider: true } },
    errors: {},
    args: { disputeId: t.arg.globalID({ required: true, for: DisputeRef }) },
    resolve: (_r, args, ctx) => withdrawDispute({ db: ctx.services.db, actor: ctx.viewer, disputeId: args.disputeId.id }),
  }),
}));
