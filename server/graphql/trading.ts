// 交易撮合: price plans, orders, trades, licences, balances, deposits and withdrawals.
import { balancesOf } from '../domain/ledger/accounts.ts';
import { depositFunds, withdrawFunds } from '../domain/ledger/move-funds.ts';
import { acceptOrder, cancelOrder, rejectOrder, type LicenceRow, type OrderRow, type TradeRow } from '../domain/trading/accept-order.ts';
import { getManyByIds, listLicences, listOrders, listTrades } from '../domain/trading/find-trading.ts';
import { placeOrder } from '../domain/trading/place-order.ts';
import { createPricePlan, pricePlansOf, retirePricePlan, type PricePlanRow } from '../domain/trading/price-plans.ts';
import { PURPOSE_NAMES, PURPOSES, type LicenceTerms as Terms, type Purpose } from '../domain/trading/terms.ts';
import { licences, orders, trades } from '../db/schema.ts';
import { builder } from './builder.ts';
import { DatasetRef, GradeEnum } from './catalog.ts';
import { money, MoneyRef } from './money.ts';
import { ParticipantRef } from './participants.ts';

const PurposeEnum = builder.enumType('Purpose', {
  description: 'The controlled list of licensed purposes',
  values: Object.fromEntries(PURPOSE_NAMES.map((p) => [p.toUpperCase(), { value: p, description: PURPOSES[p] }])) as Record<string, { value: Purpose }>,
});
const PlanKindEnum = builder.enumType('PlanKind', {
  values: { FIXED: { value: 'fixed' }, PER_QUERY: { value: 'per_query' }, SUBSCRIPTION: { value: 'subscription' } } as const,
});
export const AccessEnum = builder.enumType('LicenceAccess', {
  values: {
    QUERY_ONLY: { value: 'query_only', description: 'Encrypted queries only (可用不可见)' },
    DELIVERY: { value: 'delivery', description: 'The rows may be delivered too' },
  } as const,
});
const OrderStatusEnum = builder.enumType('OrderStatus', {
  values: { PENDING: { value: 'pending' }, ACCEPTED: { value: 'accepted' }, REJECTED: { value: 'rejected' }, CANCELLED: { value: 'cancelled' } } as const,
});
const LicenceStatusEnum = builder.enumType('LicenceStatus', {
  values: { ACTIVE: { value: 'active' }, FROZEN: { value: 'frozen' }, REVOKED: { value: 'revoked' } } as const,
});
const SideEnum = builder.enumType('TradeSide', {
  values: { BUYER: { value: 'buyer' }, PROVIDER: { value: 'provider' }, ALL: { value: 'all', description: 'Everything (operator, regulator, arbiter)' } } as const,
});

const TermsRef = builder.objectRef<Terms>('LicenceTerms').implement({
  fields: (t) => ({
    purposes: t.field({ type: [PurposeEnum], resolve: (x) => x.purposes }),
    termDays: t.exposeInt('termDays'),
    territories: t.exposeStringList('territories'),
    access: t.field({ type: AccessEnum, resolve: (x) => x.access }),
    onwardTransfer: t.boolean({ description: 'Always false: licences are not transferable', resolve: () => false }),
    epsilon: t.float({ nullable: true, resolve: (x) => x.epsilon ?? null }),
  }),
});

export const PricePlanRef = builder.objectRef<PricePlanRow>('PricePlan').implement({
  description: '挂牌价格: an offer on a dataset',
  fields: (t) => ({
    id: t.exposeID('id'),
    kind: t.field({ type: PlanKindEnum, resolve: (p) => p.kind }),
    title: t.exposeString('title'),
    price: t.field({ type: MoneyRef, resolve: (p) => money(p.priceFen) }),
    periodDays: t.exposeInt('periodDays', { nullable: true }),
    queryQuota: t.exposeInt('queryQuota', { nullable: true }),
    terms: t.field({ type: TermsRef, resolve: (p) => p.terms as Terms }),
    autoAccept: t.exposeBoolean('autoAccept'),
    active: t.boolean({ resolve: (p) => p.status === 'active' }),
  }),
});

builder.objectFields(DatasetRef, (t) => ({
  pricePlans: t.field({
    type: [PricePlanRef],
    description: 'Active plans (the provider also sees retired ones)',
    resolve: (d, _a, ctx) => pricePlansOf({ db: ctx.services.db, actor: ctx.viewer, datasetId: d.id }),
  }),
}));

export const OrderRef = builder.objectRef<OrderRow>('Order');
builder.node(OrderRef, {
  description: '订单: a buyer’s order on a price plan',
  id: { resolve: (o) => o.id },
  loadMany: (ids, ctx) => getManyByIds<OrderRow>(ctx.services.db, orders, ids, ctx.viewer),
  fields: (t) => ({
    status: t.field({ type: OrderStatusEnum, resolve: (o) => o.status }),
    buyer: t.field({ type: ParticipantRef, nullable: true, resolve: (o, _a, ctx) => ctx.loaders.participant.load(o.buyerId) }),
    provider: t.field({ type: ParticipantRef, nullable: true, resolve: (o, _a, ctx) => ctx.loaders.participant.load(o.providerId) }),
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (o, _a, ctx) => ctx.loaders.dataset.load(o.datasetId) }),
    purpose: t.field({ type: PurposeEnum, resolve: (o) => o.purpose as Purpose }),
    territory: t.exposeString('territory'),
    crossBorder: t.exposeBoolean('crossBorder'),
    access: t.field({ type: AccessEnum, resolve: (o) => o.access }),
    amount: t.field({ type: MoneyRef, resolve: (o) => money(o.amountFen) }),
    reason: t.exposeString('reason', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true }),
  }),
});

export const TradeRef = builder.objectRef<TradeRow>('Trade');
builder.node(TradeRef, {
  description: '成交: an accepted order, filed for the regulator (备案) and cleared in a cycle',
  id: { resolve: (t) => t.id },
  loadMany: (ids, ctx) => getManyByIds<TradeRow>(ctx.services.db, trades, ids, ctx.viewer),
  fields: (t) => ({
    buyer: t.field({ type: ParticipantRef, nullable: true, resolve: (x, _a, ctx) => ctx.loaders.participant.load(x.buyerId) }),
    provider: t.field({ type: ParticipantRef, nullable: true, resolve: (x, _a, ctx) => ctx.loaders.participant.load(x.providerId) }),
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (x, _a, ctx) => ctx.loaders.dataset.load(x.datasetId) }),
    amount: t.field({ type: MoneyRef, resolve: (x) => money(x.amountFen) }),
    planKind: t.field({ type: PlanKindEnum, resolve: (x) => x.planKind as PricePlanRow['kind'] }),
    domain: t.exposeString('domain'),
    classification: t.exposeString('classification'),
    grade: t.field({ type: GradeEnum, resolve: (x) => x.grade as 'L1' }),
    territory: t.exposeString('territory'),
    crossBorder: t.exposeBoolean('crossBorder'),
    cleared: t.boolean({ resolve: (x) => x.cycleId !== null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const LicenceRef = builder.objectRef<LicenceRow>('Licence');
builder.node(LicenceRef, {
  description: '使用许可: what a trade allows its buyer to do; checked on every use',
  id: { resolve: (l) => l.id },
  loadMany: (ids, ctx) => getManyByIds<LicenceRow>(ctx.services.db, licences, ids, ctx.viewer),
  fields: (t) => ({
    status: t.field({ type: LicenceStatusEnum, resolve: (l) => l.status }),
    statusReason: t.exposeString('statusReason', { nullable: true }),
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (l, _a, ctx) => ctx.loaders.dataset.load(l.datasetId) }),
    purpose: t.field({ type: PurposeEnum, resolve: (l) => l.purpose as Purpose }),
    territories: t.exposeStringList('territories'),
    access: t.field({ type: AccessEnum, resolve: (l) => l.access }),
    onwardTransfer: t.exposeBoolean('onwardTransfer'),
    validFrom: t.expose('validFrom', { type: 'DateTime' }),
    validUntil: t.expose('validUntil', { type: 'DateTime' }),
    queryQuota: t.exposeInt('queryQuota', { nullable: true }),
    queriesUsed: t.exposeInt('queriesUsed'),
    queriesRemaining: t.int({ nullable: true, resolve: (l) => (l.queryQuota === null ? null : Math.max(0, l.queryQuota - l.queriesUsed)) }),
    perQueryPrice: t.field({ type: MoneyRef, resolve: (l) => money(l.perQueryFen) }),
    epsilonBudget: t.float({ nullable: true, resolve: (l) => (l.epsilonBudgetMicro === null ? null : Number(l.epsilonBudgetMicro) / 1e6) }),
    epsilonRemaining: t.float({
      nullable: true,
      resolve: (l) => (l.epsilonBudgetMicro === null ? null : Number(l.epsilonBudgetMicro - l.epsilonUsedMicro) / 1e6),
    }),
  }),
});

const BalanceRef = builder.objectRef<{ availableFen: bigint; escrowFen: bigint }>('Balance').implement({
  fields: (t) => ({
    available: t.field({ type: MoneyRef, resolve: (b) => money(b.availableFen) }),
    escrow: t.field({ type: MoneyRef, resolve: (b) => money(b.escrowFen), description: 'Reserved for pending orders and uncleared trades' }),
  }),
});

const page = <T extends { id: string }>(rows: T[], first: number) => ({
  edges: rows.slice(0, first).map((node) => ({ node, cursor: node.id })),
  pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: false, startCursor: rows[0]?.id ?? null, endCursor: rows.slice(0, first).at(-1)?.id ?? null },
});

builder.queryFields((t) => ({
  balance: t.field({
    type: BalanceRef,
    description: "Your organisation's available and escrowed funds",
    authScopes: { authenticated: true },
    errors: {},
    resolve: (_r, _a, ctx) => balancesOf(ctx.services.db, ctx.viewer!.participantId),
  }),
  orders: t.connection({
    type: OrderRef,
    authScopes: { authenticated: true },
    errors: {},
    args: { side: t.arg({ type: SideEnum, required: true }), status: t.arg({ type: OrderStatusEnum }) },
    resolve: async (_r, args, ctx) => {
      const first = Math.min(args.first ?? 50, 200);
      return page(await listOrders({ db: ctx.services.db, actor: ctx.viewer, side: args.side, status: args.status ?? undefined, first: first + 1, after: args.after ?? undefined }), first);
    },
  }),
  trades: t.connection({
    type: TradeRef,
    authScopes: { authenticated: true },
    errors: {},
    args: { side: t.arg({ type: SideEnum, required: true }) },
    resolve: async (_r, args, ctx) => {
      const first = Math.min(args.first ?? 50, 200);
      return page(await listTrades({ db: ctx.services.db, actor: ctx.viewer, side: args.side, first: first + 1, after: args.after ?? undefined }), first);
    },
  }),
  licences: t.connection({
    type: LicenceRef,
    authScopes: { authenticated: true },
    errors: {},
    args: { side: t.arg({ type: SideEnum, required: true }) },
    resolve: async (_r, args, ctx) => {
      const first = Math.min(args.first ?? 50, 200);
      return page(await listLicences({ db: ctx.services.db, actor: ctx.viewer, side: args.side, first: first + 1, after: args.after ?? undefined }), first);
    },
  }),
}));

const TermsInput = builder.inputType('LicenceTermsInput', {
  fields: (t) => ({
    purposes: t.field({ type: [PurposeEnum], required: true }),
    termDays: t.int({ required: true }),
    territories: t.stringList({ required: true }),
    access: t.field({ type: AccessEnum, required: true }),
    epsilon: t.float(),
  }),
});

const PlanInput = builder.inputType('PricePlanInput', {
  fields: (t) => ({
    datasetId: t.globalID({ required: true, for: DatasetRef }),
    kind: t.field({ type: PlanKindEnum, required: true }),
    title: t.string({ required: true }),
    priceFen: t.field({ type: 'BigInt', required: true }),
    periodDays: t.int(),
    queryQuota: t.int(),
    terms: t.field({ type: TermsInput, required: true }),
    autoAccept: t.boolean(),
  }),
});

const TradeResultRef = builder.objectRef<{ order: OrderRow }>('OrderResult').implement({
  fields: (t) => ({ order: t.field({ type: OrderRef, resolve: (r) => r.order }) }),
});

const FundsMoveRef = builder.objectRef<{ transactionId: string; availableFen: bigint; escrowFen: bigint }>('FundsMovement').implement({
  fields: (t) => ({
    transactionId: t.exposeID('transactionId'),
    balance: t.field({ type: BalanceRef, resolve: (m) => m }),
  }),
});

builder.mutationFields((t) => ({
  createPricePlan: t.field({
    type: PricePlanRef,
    authScopes: { provider: true },
    errors: {},
    args: { input: t.arg({ type: PlanInput, required: true }) },
    resolve: (_r, { input }, ctx) =>
      createPricePlan({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: {
          datasetId: input.datasetId.id,
          kind: input.kind,
          title: input.title,
          priceFen: input.priceFen,
          periodDays: input.periodDays ?? undefined,
          queryQuota: input.queryQuota ?? undefined,
          terms: { ...input.terms, epsilon: input.terms.epsilon ?? undefined },
          autoAccept: input.autoAccept ?? false,
        },
      }),
  }),
  retirePricePlan: t.field({
    type: PricePlanRef,
    authScopes: { provider: true },
    errors: {},
    args: { planId: t.arg.id({ required: true }) },
    resolve: (_r, args, ctx) => retirePricePlan({ db: ctx.services.db, actor: ctx.viewer, planId: String(args.planId) }),
  }),
  placeOrder: t.field({
    type: OrderRef,
    description: 'Order a dataset on a price plan; the price goes into escrow. Repeat with the same idempotencyKey safely.',
    authScopes: { authenticated: true },
    errors: {},
    args: {
      planId: t.arg.id({ required: true }),
      purpose: t.arg({ type: PurposeEnum, required: true }),
      idempotencyKey: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) =>
      placeOrder({ db: ctx.services.db, actor: ctx.viewer, input: { planId: String(args.planId), purpose: args.purpose, idempotencyKey: args.idempotencyKey } }),
  }),
  acceptOrder: t.field({
    type: TradeResultRef,
    authScopes: { provider: true },
    errors: {},
    args: { orderId: t.arg.globalID({ required: true, for: OrderRef }) },
    resolve: (_r, args, ctx) => acceptOrder({ db: ctx.services.db, actor: ctx.viewer, orderId: args.orderId.id }),
  }),
  rejectOrder: t.field({
    type: OrderRef,
    authScopes: { provider: true },
    errors: {},
    args: { orderId: t.arg.globalID({ required: true, for: OrderRef }), reason: t.arg.string({ required: true }) },
    resolve: (_r, args, ctx) => rejectOrder({ db: ctx.services.db, actor: ctx.viewer, orderId: args.orderId.id, reason: args.reason }),
  }),
  cancelOrder: t.field({
    type: OrderRef,
    authScopes: { authenticated: true },
    errors: {},
    args: { orderId: t.arg.globalID({ required: true, for: OrderRef }) },
    resolve: (_r, args, ctx) => cancelOrder({ db: ctx.services.db, actor: ctx.viewer, orderId: args.orderId.id }),
  }),
  deposit: t.field({
    type: FundsMoveRef,
    description: 'Move money in from your bank account through the payment gateway (idempotent by key)',
    authScopes: { authenticated: true },
    errors: {},
    args: { amountFen: t.arg({ type: 'BigInt', required: true }), idempotencyKey: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const r = await depositFunds({ db: ctx.services.db, gateway: ctx.services.paymentGateway, actor: ctx.viewer, input: args });
      return { transactionId: r.transaction.id, availableFen: r.availableFen, escrowFen: r.escrowFen };
    },
  }),
  withdraw: t.field({
    type: FundsMoveRef,
    description: 'Pay money out to your bank account through the payment gateway (idempotent by key)',
    authScopes: { authenticated: true },
    errors: {},
    args: { amountFen: t.arg({ type: 'BigInt', required: true }), idempotencyKey: t.arg.string({ required: true }) },
    resolve: async (_r, args, ctx) => {
      const r = await withdrawFunds({ db: ctx.services.db, gateway: ctx.services.paymentGateway, actor: ctx.viewer, input: args });
      return { transactionId: r.transaction.id, availableFen: r.availableFen, escrowFen: r.escrowFen };
    },
  }),
}));
