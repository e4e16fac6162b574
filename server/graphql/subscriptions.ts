// Live status over Server-Sent Events (graphql-yoga serves subscriptions as SSE). Each stream
// watches the database row it is about, so a change made by any process — a worker, the
// clearing scheduler, another server — reaches the subscriber; it ends at a final state.
import { listSettlementRecords } from '../domain/clearing/find-clearing.ts';
import type { OrderRow, TradeRow } from '../domain/trading/accept-order.ts';
import { getOrder, getTrade } from '../domain/trading/find-trading.ts';
import { builder } from './builder.ts';
import { SettlementRecordRef } from './clearing.ts';
import { OrderRef, TradeRef } from './trading.ts';

const POLL_MS = 250;
/** A stream that outlives this stops; the client re-subscribes if it still cares. */
const MAX_STREAM_MS = 10 * 60_000;

/**
 * Yields `load()` now and whenever `version()` of the loaded value changes, until `done()`
 * holds or the client goes away. A load that throws (e.g. NOT_FOUND) ends the stream with it.
 */
export async function* watch<T>(
  load: () => Promise<T>,
  version: (value: T) => string,
  done: (value: T) => boolean,
): AsyncGenerator<T> {
  const until = Date.now() + MAX_STREAM_MS;
  let last: string | null = null;
  while (Date.now() < until) {
    const value = await load();
    const v = version(value);
    if (v !== last) {
      last = v;
      yield value;
      if (done(value)) return;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

builder.subscriptionType({});

builder.subscriptionFields((t) => ({
  orderStatus: t.field({
    type: OrderRef,
    description: 'The order now and at each change of status, until it is accepted, rejected or cancelled',
    authScopes: { authenticated: true },
    args: { orderId: t.arg.globalID({ required: true, for: OrderRef }) },
    subscribe: (_r, args, ctx) =>
      watch<OrderRow>(
        () => getOrder({ db: ctx.services.db, actor: ctx.viewer, id: args.orderId.id }),
        (o) => o.status,
        (o) => o.status !== 'pending',
      ),
    resolve: (order) => order,
  }),
  tradeStatus: t.field({
    type: TradeRef,
    description: 'The trade now and once a clearing cycle has cleared it',
    authScopes: { authenticated: true },
    args: { tradeId: t.arg.globalID({ required: true, for: TradeRef }) },
    subscribe: (_r, args, ctx) =>
      watch<TradeRow>(
        () => getTrade({ db: ctx.services.db, actor: ctx.viewer, id: args.tradeId.id }),
        (x) => x.cycleId ?? 'uncleared',
        (x) => x.cycleId !== null,
      ),
    resolve: (trade) => trade,
  }),
  mySettlements: t.field({
    type: SettlementRecordRef,
    nullable: true,
    description: 'Your newest settlement record now (null before any), and each new one as clearing cycles settle',
    authScopes: { authenticated: true },
    subscribe: (_r, _a, ctx) =>
      watch(
        async () => (await listSettlementRecords({ db: ctx.services.db, actor: ctx.viewer, scope: 'mine', first: 1 }))[0] ?? null,
        (record) => record?.id ?? 'none',
        () => false,
      ),
    resolve: (record) => record,
  }),
}));
