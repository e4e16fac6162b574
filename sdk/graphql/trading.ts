// 交易: price plans, orders, trades, licences, balances, deposits and withdrawals.
import { unwrap, type ExchangeClient } from './client.ts';
import { APP_ERROR_FIELDS, type AppErrorResult } from './errors.ts';
import { BALANCE, LICENCE, nodesOf, ORDER, PAGE_INFO, PRICE_PLAN, TRADE, type ConnectionResult, type PageArgs } from './fragments.ts';
import type {
  Balance,
  Connection,
  LicenceAccess,
  Licence,
  Order,
  OrderStatus,
  PlanKind,
  PricePlan,
  Purpose,
  Trade,
  TradeSide,
} from './types.ts';

type Typed<T, N extends string> = T & { __typename: N };

export interface PricePlanInput {
  datasetId: string;
  kind: PlanKind;
  title: string;
  /** Fen, as a decimal string. */
  priceFen: string;
  periodDays?: number;
  queryQuota?: number;
  autoAccept?: boolean;
  terms: { purposes: Purpose[]; termDays: number; territories: string[]; access: LicenceAccess; epsilon?: number };
}

export async function createPricePlan(client: ExchangeClient, input: PricePlanInput): Promise<PricePlan> {
  const data = await client.request<{ createPricePlan: Typed<PricePlan, 'PricePlan'> | AppErrorResult }>(
    `mutation($input: PricePlanInput!) { createPricePlan(input: $input) { __typename ... on PricePlan ${PRICE_PLAN} ${APP_ERROR_FIELDS} } }`,
    { input },
  );
  return unwrap(data.createPricePlan);
}

export async function retirePricePlan(client: ExchangeClient, planId: string): Promise<PricePlan> {
  const data = await client.request<{ retirePricePlan: Typed<PricePlan, 'PricePlan'> | AppErrorResult }>(
    `mutation($id: ID!) { retirePricePlan(planId: $id) { __typename ... on PricePlan ${PRICE_PLAN} ${APP_ERROR_FIELDS} } }`,
    { id: planId },
  );
  return unwrap(data.retirePricePlan);
}

/** Order on a price plan; the price goes into escrow. Repeat with the same idempotency key safely. */
export async function placeOrder(client: ExchangeClient, args: { planId: string; purpose: Purpose; idempotencyKey: string }): Promise<Order> {
  const data = await client.request<{ placeOrder: Typed<Order, 'Order'> | AppErrorResult }>(
    `mutation($plan: ID!, $purpose: Purpose!, $key: String!) { placeOrder(planId: $plan, purpose: $purpose, idempotencyKey: $key) { __typename
      ... on Order ${ORDER} ${APP_ERROR_FIELDS} } }`,
    { plan: args.planId, purpose: args.purpose, key: args.idempotencyKey },
  );
  return unwrap(data.placeOrder);
}

export async function acceptOrder(client: ExchangeClient, orderId: string): Promise<Order> {
  const data = await client.request<{ acceptOrder: Typed<{ order: Order }, 'OrderResult'> | AppErrorResult }>(
    `mutation($id: ID!) { acceptOrder(orderId: $id) { __typename ... on OrderResult { order ${ORDER} } ${APP_ERROR_FIELDS} } }`,
    { id: orderId },
  );
  return unwrap(data.acceptOrder).order;
}

export async function rejectOrder(client: ExchangeClient, orderId: string, reason: string): Promise<Order> {
  const data = await client.request<{ rejectOrder: Typed<Order, 'Order'> | AppErrorResult }>(
    `mutation($id: ID!, $reason: String!) { rejectOrder(orderId: $id, reason: $reason) { __typename ... on Order ${ORDER} ${APP_ERROR_FIELDS} } }`,
    { id: orderId, reason },
  );
  return unwrap(data.rejectOrder);
}

export async function cancelOrder(client: ExchangeClient, orderId: string): Promise<Order> {
  const data = await client.request<{ cancelOrder: Typed<Order, 'Order'> | AppErrorResult }>(
    `mutation($id: ID!) { cancelOrder(orderId: $id) { __typename ... on Order ${ORDER} ${APP_ERROR_FIELDS} } }`,
    { id: orderId },
  );
  return unwrap(data.cancelOrder);
}

export async function listOrders(client: ExchangeClient, args: PageArgs & { side: TradeSide; status?: OrderStatus }): Promise<Connection<Order>> {
  const data = await client.request<{ orders: ConnectionResult<Order> }>(
    `query($side: TradeSide!, $status: OrderStatus, $first: Int, $after: String) { orders(side: $side, status: $status, first: $first, after: $after) { __typename
      ... on QueryOrdersConnection { edges { node ${ORDER} } ${PAGE_INFO} } ${APP_ERROR_FIELDS} } }`,
    { side: args.side, status: args.status ?? null, first: args.first ?? 50, after: args.after ?? null },
  );
  return nodesOf(unwrap(data.orders));
}

export async function listTrades(client: ExchangeClient, args: PageArgs & { side: TradeSide }): Promise<Connection<Trade>> {
  const data = await client.request<{ trades: ConnectionResult<Trade> }>(
    `query($side: TradeSide!, $first: Int, $after: String) { trades(side: $side, first: $first, after: $after) { __typename
      ... on QueryTradesConnection { edges { node ${TRADE} } ${PAGE_INFO} } ${APP_ERROR_FIELDS} } }`,
    { side: args.side, first: args.first ?? 50, after: args.after ?? null },
  );
  return nodesOf(unwrap(data.trades));
}

/** Every page of trades (up to `limit`), for statistics and reports. */
export async function listAllTrades(client: ExchangeClient, args: { side: TradeSide; limit?: number }): Promise<Trade[]> {
  const limit = args.limit ?? 5_000;
  const all: Trade[] = [];
  let after: string | null = null;
  do {
    const page: Connection<Trade> = await listTrades(client, { side: args.side, first: 200, after });
    all.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after && all.length < limit);
  return all.slice(0, limit);
}

export async function listLicences(client: ExchangeClient, args: PageArgs & { side: TradeSide }): Promise<Connection<Licence>> {
  const data = await client.request<{ licences: ConnectionResult<Licence> }>(
    `query($side: TradeSide!, $first: Int, $after: String) { licences(side: $side, first: $first, after: $after) { __typename
      ... on QueryLicencesConnection { edges { node ${LICENCE} } ${PAGE_INFO} } ${APP_ERROR_FIELDS} } }`,
    { side: args.side, first: args.first ?? 50, after: args.after ?? null },
  );
  return nodesOf(unwrap(data.licences));
}

/** One licence by id (through `node`); null when it is not yours or does not exist. */
export async function getLicence(client: ExchangeClient, id: string): Promise<Licence | null> {
  const data = await client.request<{ node: (Licence & { __typename: string }) | null }>(`query($id: ID!) { node(id: $id) { __typename ... on Licence ${LICENCE} } }`, { id });
  return data.node?.__typename === 'Licence' ? data.node : null;
}

export async function getBalance(client: ExchangeClient): Promise<Balance> {
  const data = await client.request<{ balance: Typed<Balance, 'Balance'> | AppErrorResult }>(`{ balance { __typename ... on Balance ${BALANCE} ${APP_ERROR_FIELDS} } }`);
  return unwrap(data.balance);
}

export interface FundsMovement {
  transactionId: string;
  balance: Balance;
}

/** Move money in through the payment gateway (idempotent by key). */
export async function deposit(client: ExchangeClient, args: { amountFen: string; idempotencyKey: string }): Promise<FundsMovement> {
  const data = await client.request<{ deposit: Typed<FundsMovement, 'FundsMovement'> | AppErrorResult }>(
    `mutation($a: BigInt!, $k: String!) { deposit(amountFen: $a, idempotencyKey: $k) { __typename ... on FundsMovement { transactionId balance ${BALANCE} } ${APP_ERROR_FIELDS} } }`,
    { a: args.amountFen, k: args.idempotencyKey },
  );
  return unwrap(data.deposit);
}

/** Pay money out through the payment gateway (idempotent by key). */
export async function withdraw(client: ExchangeClient, args: { amountFen: string; idempotencyKey: string }): Promise<FundsMovement> {
  const data = await client.request<{ withdraw: Typed<FundsMovement, 'FundsMovement'> | AppErrorResult }>(
    `mutation($a: BigInt!, $k: String!) { withdraw(amountFen: $a, idempotencyKey: $k) { __typename ... on FundsMovement { transactionId balance ${BALANCE} } ${APP_ERROR_FIELDS} } }`,
    { a: args.amountFen, k: args.idempotencyKey },
  );
  return unwrap(data.withdraw);
}
