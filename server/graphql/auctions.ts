// 竞价: sealed-bid rounds on a provider's plan. Bid amounts are held by the server: a Bid is
// only ever resolved for those canSeeBid allows — before the close, its bidder alone.
import type { BidRow, RoundWithProvider } from '../domain/auctions/bid-round-records.ts';
import { closeBidRound } from '../domain/auctions/close-bid-round.ts';
import { getBidRoundsByIds, getBidsByIds, listBidRounds, roundPlan, roundResult, visibleBids } from '../domain/auctions/find-bid-rounds.ts';
import { openBidRound } from '../domain/auctions/open-bid-round.ts';
import { placeBid } from '../domain/auctions/place-bid.ts';
import { withdrawBid } from '../domain/auctions/withdraw-bid.ts';
import { getOrder } from '../domain/trading/find-trading.ts';
import type { Purpose } from '../domain/trading/terms.ts';
import { builder } from './builder.ts';
import { DatasetRef } from './catalog.ts';
import { money, MoneyRef } from './money.ts';
import { ParticipantRef } from './participants.ts';
import { OrderRef, PricePlanRef } from './trading.ts';

const BidRoundStatusEnum = builder.enumType('BidRoundStatus', {
  values: {
    OPEN: { value: 'open', description: 'Taking bids until closesAt, then waiting to be closed' },
    CLOSED: { value: 'closed', description: 'Closed: the best eligible bid won, the others were released' },
    CANCELLED: { value: 'cancelled' },
  } as const,
});

const BidStatusEnum = builder.enumType('BidStatus', {
  values: {
    SEALED: { value: 'sealed', description: 'In escrow, unseen until the round closes' },
    WON: { value: 'won', description: 'Became an order, accepted into a trade and a licence' },
    LOST: { value: 'lost', description: 'Another bid won; the escrow was released' },
    WITHDRAWN: { value: 'withdrawn', description: 'Withdrawn by the bidder; the escrow was released' },
  } as const,
});

const RoundResultRef = builder.objectRef<{ bidCount: number; winningFen: bigint | null }>('BidRoundResult').implement({
  description: 'The public result of a closed round (中标公告)',
  fields: (t) => ({
    bidCount: t.exposeInt('bidCount', { description: 'Bids that took part in the close' }),
    winningAmount: t.field({ type: MoneyRef, nullable: true, resolve: (r) => (r.winningFen === null ? null : money(r.winningFen)) }),
  }),
});

export const BidRef = builder.objectRef<BidRow>('Bid');
export const BidRoundRef = builder.objectRef<RoundWithProvider>('BidRound');

builder.node(BidRoundRef, {
  description: '竞价: a sealed-bid round on a plan; the highest eligible bid at the close wins (ties: the earliest)',
  id: { resolve: (r) => r.id },
  loadMany: (ids, ctx) => getBidRoundsByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    dataset: t.field({ type: DatasetRef, nullable: true, resolve: (r, _a, ctx) => ctx.loaders.dataset.load(r.datasetId) }),
    provider: t.field({ type: ParticipantRef, nullable: true, resolve: (r, _a, ctx) => ctx.loaders.participant.load(r.providerId) }),
    plan: t.field({ type: PricePlanRef, description: 'The plan whose licence terms the winner gets', resolve: (r, _a, ctx) => roundPlan({ db: ctx.services.db, round: r }) }),
    reserve: t.field({ type: MoneyRef, resolve: (r) => money(r.reserveFen) }),
    closesAt: t.expose('closesAt', { type: 'DateTime' }),
    status: t.field({ type: BidRoundStatusEnum, resolve: (r) => r.status }),
    closable: t.boolean({ description: 'Open and past its closing time: anyone may close it now', resolve: (r) => r.status === 'open' && r.closesAt <= new Date() }),
    bids: t.field({
      type: [BidRef],
      description: 'The bids you may see: your own until the round closes; after it, all of them for its provider and supervisors',
      resolve: (r, _a, ctx) => visibleBids({ db: ctx.services.db, actor: ctx.viewer, round: r }),
    }),
    result: t.field({
      type: RoundResultRef,
      nullable: true,
      description: 'Null until the round has closed',
      resolve: (r, _a, ctx) => roundResult({ db: ctx.services.db, round: r }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.node(BidRef, {
  description: 'A sealed bid; its amount is in the bidder’s escrow',
  id: { resolve: (b) => b.id },
  loadMany: (ids, ctx) => getBidsByIds({ db: ctx.services.db, actor: ctx.viewer, ids }),
  fields: (t) => ({
    round: t.field({
      type: BidRoundRef,
      nullable: true,
      resolve: async (b, _a, ctx) => (await getBidRoundsByIds({ db: ctx.services.db, actor: ctx.viewer, ids: [b.roundId] }))[0],
    }),
    buyer: t.field({ type: ParticipantRef, nullable: true, resolve: (b, _a, ctx) => ctx.loaders.participant.load(b.buyerId) }),
    amount: t.field({ type: MoneyRef, resolve: (b) => money(b.amountFen) }),
    purpose: t.string({ description: 'A Purpose value, e.g. CREDIT_ASSESSMENT', resolve: (b) => b.purpose.toUpperCase() }),
    status: t.field({ type: BidStatusEnum, resolve: (b) => b.status }),
    order: t.field({
      type: OrderRef,
      nullable: true,
      description: 'The order the winning bid became',
      resolve: (b, _a, ctx) => (b.orderId ? getOrder({ db: ctx.services.db, actor: ctx.viewer, id: b.orderId }) : null),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  bidRounds: t.field({
    type: [BidRoundRef],
    description: "Rounds newest first: one dataset's, or across the market",
    errors: {},
    args: { datasetId: t.arg.globalID({ for: DatasetRef }), status: t.arg({ type: BidRoundStatusEnum }), first: t.arg.int() },
    resolve: (_r, args, ctx) =>
      listBidRounds({ db: ctx.services.db, actor: ctx.viewer, datasetId: args.datasetId?.id, status: args.status ?? undefined, first: args.first ?? 50 }),
  }),
}));

builder.mutationFields((t) => ({
  openBidRound: t.field({
    type: BidRoundRef,
    description: 'Open a sealed-bid round on an active fixed or subscription plan of your listed dataset',
    authScopes: { provider: true },
    errors: {},
    args: { planId: t.arg.id({ required: true }), reserveFen: t.arg({ type: 'BigInt', required: true }), closesAt: t.arg({ type: 'DateTime', required: true }) },
    resolve: (_r, args, ctx) =>
      openBidRound({ db: ctx.services.db, actor: ctx.viewer, input: { planId: String(args.planId), reserveFen: args.reserveFen, closesAt: args.closesAt } }),
  }),
  placeBid: t.field({
    type: BidRef,
    description:
      'Bid once in an open round, at or above the reserve, for a purpose (a Purpose value such as CREDIT_ASSESSMENT); the amount goes into escrow, sealed until the close. Repeat with the same idempotencyKey safely.',
    authScopes: { buyer: true },
    errors: {},
    args: {
      roundId: t.arg.globalID({ required: true, for: BidRoundRef }),
      amountFen: t.arg({ type: 'BigInt', required: true }),
      purpose: t.arg.string({ required: true }),
      idempotencyKey: t.arg.string({ required: true }),
    },
    resolve: (_r, args, ctx) =>
      placeBid({
        db: ctx.services.db,
        actor: ctx.viewer,
        input: { roundId: args.roundId.id, amountFen: args.amountFen, purpose: args.purpose.toLowerCase() as Purpose, idempotencyKey: args.idempotencyKey },
      }),
  }),
  withdrawBid: t.field({
    type: BidRef,
    description: 'Withdraw your sealed bid before the round closes; the escrow comes back',
    authScopes: { buyer: true },
    errors: {},
    args: { bidId: t.arg.globalID({ required: true, for: BidRef }) },
    resolve: (_r, args, ctx) => withdrawBid({ db: ctx.services.db, actor: ctx.viewer, bidId: args.bidId.id }),
  }),
  closeBidRound: t.field({
    type: BidRoundRef,
    description: 'Close a round past its closing time, as anyone signed in may (a scheduler does too); the best eligible bid wins',
    authScopes: { authenticated: true },
    errors: {},
    args: { roundId: t.arg.globalID({ required: true, for: BidRoundRef }) },
    // The closer gets the round: its fields show the public result, and bids only as canSeeBid allows.
    resolve: async (_r, args, ctx) => (await closeBidRound({ db: ctx.services.db, actor: ctx.viewer, roundId: args.roundId.id })).round,
  }),
}));
