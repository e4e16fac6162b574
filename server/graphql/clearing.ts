// 清算 · 结算: clearing cycles with their totals and obligations, settlement records with their
// on-chain proofs, and the operator's on-demand run.
import { getRecordProof } from '../domain/anchoring/get-record-proof.ts';
import {
  CYCLE_SUMMARY_KIND,
  SETTLEMENT_RECORD_KIND,
  type ClearingCycleRow,
  type ClearingTotals,
  type ObligationKind,
  type ObligationRow,
  type SettlementRecordRow,
} from '../domain/clearing/clearing-cycle.ts';
import {
  getClearingCycle,
  getClearingCyclesByIds,
  getSettlementRecordsByIds,
  listClearingCycles,
  listObligations,
  listSettlementRecords,
  summarizeObligations,
  type ObligationSummary,
} from '../domain/clearing/find-clearing.ts';
import { runClearingCycle, type ClearingRun } from '../domain/clearing/run-clearing-cycle.ts';
import { AnchorProofRef } from './anchoring.ts';
import { builder } from './builder.ts';
import { money, MoneyRef } from './money.ts';
import { ParticipantRef } from './participants.ts';

const CycleStatusEnum = builder.enumType('ClearingCycleStatus', {
  values: {
    COMPUTED: { value: 'computed', description: 'Obligations computed; settlement pending (a run settles it first)' },
    SETTLED: { value: 'settled', description: 'Posted to the ledger, settlement records written and anchored' },
  } as const,
});
const TriggerEnum = builder.enumType('ClearingTrigger', {
  values: { SCHEDULE: { value: 'schedule' }, MANUAL: { value: 'manual', description: 'Run on demand by the operator' } } as const,
});
const ObligationKindEnum = builder.enumType('ObligationKind', {
  values: {
    PAYABLE: { value: 'payable', description: "A buyer's purchases of one certificate's dataset, paid from its escrow" },
    FEE: { value: 'fee', description: "The exchange's fee on one certificate's gross" },
    RECEIVABLE: { value: 'receivable', description: "An income-right holder's share (收益共享) of one certificate's gross less the fee" },
    REMEDY: { value: 'remedy', description: 'A dispute ruling’s refund or penalty: negative for the provider that pays, positive for the buyer' },
  } as const satisfies Record<string, { value: ObligationKind; description?: string }>,
});

type SourceTotals = { count: number; grossFen: string };
const SourceTotalsRef = builder.objectRef<SourceTotals>('ClearingSourceTotals').implement({
  fields: (t) => ({
    count: t.exposeInt('count'),
    gross: t.field({ type: MoneyRef, resolve: (s) => money(BigInt(s.grossFen)) }),
  }),
});

const TotalsRef = builder.objectRef<ClearingTotals>('ClearingTotals').implement({
  description: "A cycle's totals: gross = fees + income; remedies move between participants",
  fields: (t) => ({
    trades: t.field({ type: SourceTotalsRef, description: 'Trades (fixed and subscription fees) cleared', resolve: (x) => x.trades }),
    usage: t.field({ type: SourceTotalsRef, description: 'Metered uses (per-query prices) cleared', resolve: (x) => x.usage }),
    certificates: t.exposeInt('certificates', { description: 'Income pools (rights certificates) with a gross' }),
    gross: t.field({ type: MoneyRef, resolve: (x) => money(BigInt(x.grossFen)) }),
    fees: t.field({ type: MoneyRef, resolve: (x) => money(BigInt(x.feeFen)) }),
    income: t.field({ type: MoneyRef, description: 'Paid to income-right holders', resolve: (x) => money(BigInt(x.incomeFen)) }),
    remedyCount: t.int({ resolve: (x) => x.remedies.count }),
    remedies: t.field({ type: MoneyRef, resolve: (x) => money(BigInt(x.remedies.fen)) }),
    lines: t.exposeInt('lines', { description: 'Obligation lines' }),
    settlementRecords: t.int({ nullable: true, description: 'Null until settled', resolve: (x) => x.settlement?.records ?? null }),
    settlementBatchId: t.id({
      nullable: true,
      description: "The anchor batch holding the cycle's settlement records and summary; null until settled",
      resolve: (x) => x.settlement?.batchId ?? null,
    }),
    settlementRoot: t.string({
      nullable: true,
      description: 'The Merkle root of that batch, which AnchorRegistry holds once anchored',
      resolve: (x) => x.settlement?.root ?? null,
    }),
    deferredRemedies: t.idList({
      description: 'Disputes whose remedy the provider could not cover at settlement; they wait for the next cycle',
      resolve: (x) => x.settlement?.deferredRemedies ?? [],
    }),
  }),
});

const ObligationSummaryRef = builder.objectRef<ObligationSummary>('ClearingObligationSummary').implement({
  fields: (t) => ({
    kind: t.field({ type: ObligationKindEnum, resolve: (s) => s.kind as ObligationKind }),
    sourceKind: t.exposeString('sourceKind', { description: 'trade or usage (payables), certificate (fees, income), refund or penalty (remedies)' }),
    lines: t.exposeInt('lines'),
    participants: t.exposeInt('participants'),
    total: t.field({ type: MoneyRef, resolve: (s) => money(s.totalFen) }),
  }),
});

const ObligationRef = builder.objectRef<ObligationRow>('ClearingObligation').implement({
  description: 'One line of a cycle: who owes or is owed what, and why',
  fields: (t) => ({
    kind: t.field({ type: ObligationKindEnum, resolve: (o) => o.kind as ObligationKind }),
    participant: t.field({
      type: ParticipantRef,
      nullable: true,
      description: 'Null for the exchange’s fee',
      resolve: (o, _a, ctx) => (o.participantId ? ctx.loaders.participant.load(o.participantId) : null),
    }),
    sourceKind: t.exposeString('sourceKind'),
    sourceId: t.exposeString('sourceId', { description: 'The rights certificate, or the dispute of a remedy' }),
    amount: t.field({ type: MoneyRef, resolve: (o) => money(o.amountFen) }),
  }),
});

export const ClearingCycleRef = builder.objectRef<ClearingCycleRow>('ClearingCycle');
export const SettlementRecordRef = builder.objectRef<SettlementRecordRow>('SettlementRecord');

const page = <T>(rows: T[], first: number, cursor: (row: T) => string) => {
  const shown = rows.slice(0, first);
  return {
    edges: shown.map((node) => ({ node, cursor: cursor(node) })),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: false,
      startCursor: shown[0] ? cursor(shown[0]) : null,
      endCursor: shown.at(-1) ? cursor(shown.at(-1)!) : null,
    },
  };
};
const firstOf = (first: number | null | undefined) => Math.min(Math.max(first ?? 50, 1), 200);

builder.node(ClearingCycleRef, {
  description: '清算周期: a clearing cycle — trades and metered uses up to its cutoff, netted, posted and anchored',
  id: { resolve: (c) => c.id },
  loadMany: (ids, ctx) => getClearingCyclesByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    seq: t.int({ description: 'The cycle number, from 1', resolve: (c) => Number(c.seq) }),
    status: t.field({ type: CycleStatusEnum, resolve: (c) => c.status }),
    trigger: t.field({ type: TriggerEnum, resolve: (c) => c.trigger }),
    cutoff: t.expose('cutoff', { type: 'DateTime', description: 'Trades and uses created at or before it belong to the cycle' }),
    feeBps: t.exposeInt('feeBps'),
    totals: t.field({ type: TotalsRef, resolve: (c) => c.totals as ClearingTotals }),
    ledgerTransactionId: t.exposeID('ledgerTransactionId', { nullable: true, description: 'The one ledger transaction that posted the cycle' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    settledAt: t.expose('settledAt', { type: 'DateTime', nullable: true }),
    obligationSummary: t.field({
      type: [ObligationSummaryRef],
      description: 'The lines summed by kind and source',
      resolve: (c, _a, ctx) => summarizeObligations({ db: ctx.services.db, actor: ctx.viewer, cycleId: c.id }),
    }),
    obligations: t.connection({
      type: ObligationRef,
      args: { participantId: t.arg.globalID({ for: ParticipantRef }) },
      resolve: async (c, args, ctx) => {
        const first = firstOf(args.first);
        const rows = await listObligations({
          db: ctx.services.db,
          actor: ctx.viewer,
          cycleId: c.id,
          participantId: args.participantId?.id,
          first: first + 1,
          after: args.after ?? undefined,
        });
        return page(rows, first, (o) => o.id.toString());
      },
    }),
    settlementRecords: t.connection({
      type: SettlementRecordRef,
      resolve: async (c, args, ctx) => {
        const first = firstOf(args.first);
        const rows = await listSettlementRecords({ db: ctx.services.db, actor: ctx.viewer, scope: { cycleId: c.id }, first: first + 1, after: args.after ?? undefined });
        return page(rows, first, (r) => r.id);
      },
    }),
    anchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      description: "The proof of the cycle's summary (its totals and ledger transaction); null until settled",
      resolve: (c, _a, ctx) => getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind: CYCLE_SUMMARY_KIND, recordId: c.id }),
    }),
  }),
});

type Lines = { tradesFen: string; usageFen: string; incomeFen: string; remedyPaidFen: string; remedyReceivedFen: string };
const SettlementLinesRef = builder.objectRef<Lines>('SettlementLines').implement({
  description: "What a participant's net is made of",
  fields: (t) => ({
    trades: t.field({ type: MoneyRef, description: 'Paid from escrow for trades', resolve: (l) => money(BigInt(l.tradesFen)) }),
    usage: t.field({ type: MoneyRef, description: 'Paid from escrow for metered uses', resolve: (l) => money(BigInt(l.usageFen)) }),
    income: t.field({ type: MoneyRef, description: 'Received as an income-right holder', resolve: (l) => money(BigInt(l.incomeFen)) }),
    remedyPaid: t.field({ type: MoneyRef, resolve: (l) => money(BigInt(l.remedyPaidFen)) }),
    remedyReceived: t.field({ type: MoneyRef, resolve: (l) => money(BigInt(l.remedyReceivedFen)) }),
  }),
});

builder.node(SettlementRecordRef, {
  description: '结算记录: a participant’s net result of one cycle, posted and anchored; `anchor` proves it on chain',
  id: { resolve: (r) => r.id },
  loadMany: (ids, ctx) => getSettlementRecordsByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    cycleSeq: t.int({ resolve: (r) => Number((r.content as { cycleSeq: string }).cycleSeq) }),
    cycle: t.field({
      type: ClearingCycleRef,
      nullable: true,
      description: 'Visible to the operator and the regulator',
      resolve: async (r, _a, ctx) => (await getClearingCyclesByIds({ db: ctx.services.db, actor: ctx.viewer, ids: [r.cycleId] }))[0],
    }),
    participant: t.field({ type: ParticipantRef, nullable: true, resolve: (r, _a, ctx) => ctx.loaders.participant.load(r.participantId) }),
    payable: t.field({ type: MoneyRef, description: 'Paid out: purchases from escrow and remedies', resolve: (r) => money(r.payableFen) }),
    receivable: t.field({ type: MoneyRef, description: 'Received: income shares and remedies', resolve: (r) => money(r.receivableFen) }),
    net: t.field({ type: MoneyRef, description: 'receivable − payable', resolve: (r) => money(r.netFen) }),
    lines: t.field({ type: SettlementLinesRef, resolve: (r) => (r.content as { lines: Lines }).lines }),
    content: t.field({ type: 'JSON', description: 'What the anchor commits to: keccak256 of its canonical JSON is anchor.contentHash', resolve: (r) => r.content }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    anchor: t.field({
      type: AnchorProofRef,
      nullable: true,
      resolve: (r, _a, ctx) =>
        getRecordProof({ db: ctx.services.db, anchorRegistry: ctx.services.contracts.anchorRegistry, kind: SETTLEMENT_RECORD_KIND, recordId: r.id }),
    }),
  }),
});

const ClearingRunRef = builder.objectRef<ClearingRun>('ClearingRun').implement({
  fields: (t) => ({
    cycle: t.field({ type: ClearingCycleRef, nullable: true, description: 'The cycle this run cleared; null when there was nothing to clear', resolve: (r) => r.cycle }),
    resumed: t.field({ type: [ClearingCycleRef], description: 'Cycles an interrupted run had computed, settled by this one', resolve: (r) => r.resumed }),
  }),
});

builder.queryFields((t) => ({
  clearingCycles: t.connection({
    type: ClearingCycleRef,
    description: 'Clearing cycles, newest first (operator, regulator)',
    authScopes: { operator: true, regulator: true },
    errors: {},
    resolve: async (_r, args, ctx) => {
      const first = firstOf(args.first);
      return page(await listClearingCycles({ db: ctx.services.db, actor: ctx.viewer, first: first + 1, after: args.after ?? undefined }), first, (c) => c.id);
    },
  }),
  clearingCycle: t.field({
    type: ClearingCycleRef,
    authScopes: { operator: true, regulator: true },
    errors: {},
    args: { id: t.arg.globalID({ required: true, for: ClearingCycleRef }) },
    resolve: (_r, args, ctx) => getClearingCycle({ db: ctx.services.db, actor: ctx.viewer, id: args.id.id }),
  }),
  mySettlements: t.connection({
    type: SettlementRecordRef,
    description: "Your organisation's settlement records, newest first",
    authScopes: { authenticated: true },
    errors: {},
    resolve: async (_r, args, ctx) => {
      const first = firstOf(args.first);
      return page(await listSettlementRecords({ db: ctx.services.db, actor: ctx.viewer, scope: 'mine', first: first + 1, after: args.after ?? undefined }), first, (r) => r.id);
    },
  }),
}));

builder.mutationFields((t) => ({
  runClearingCycle: t.field({
    type: ClearingRunRef,
    description: 'Clear and settle now, as the operator. Settles any interrupted cycle first, then clears what is pending; safe to repeat.',
    authScopes: { operator: true },
    errors: {},
    resolve: (_r, _a, ctx) => runClearingCycle({ db: ctx.services.db, actor: ctx.viewer, trigger: 'manual', feeBps: ctx.services.config.clearing.feeBps }),
  }),
}));
