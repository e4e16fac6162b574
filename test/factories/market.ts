// End-to-end fixtures through the GraphQL API: a listed dataset with registered rights and a
// price plan, a funded buyer. Each step is the mutation a real client sends.
import { expect } from 'vitest';
import type { TestExchange } from '../support/app.ts';
import { datasetInput } from './datasets.ts';

export async function participantId(ex: TestExchange, token: string): Promise<string> {
  return (await ex.gql(`{ me { ... on Participant { id } } }`, {}, token)).data.me.id;
}

/** A listed dataset of the seeded provider whose rights are registered (income split given). */
export async function listedDatasetWithRights(
  ex: TestExchange,
  options: {
    overrides?: Record<string, unknown>;
    rows?: Record<string, string | null>[];
    income?: { holderId: string; shareBps: number }[];
    providerToken?: string;
  } = {},
): Promise<{ datasetId: string; providerId: string }> {
  const provider = options.providerToken ?? ex.keyOf('provider');
  const providerId = await participantId(ex, provider);
  const { input, csv } = datasetInput(options.overrides, options.rows);
  const created = (await ex.gql(`mutation($input: DatasetInput!) { createDataset(input: $input) { ... on DatasetDraft { dataset { id } } ... on AppError { code message } } }`, { input }, provider)).data.createDataset;
  const datasetId = created.dataset.id;
  await ex.gql(`mutation($id: ID!, $csv: String!) { uploadDatasetRows(datasetId: $id, csv: $csv) { __typename } }`, { id: datasetId, csv }, provider);
  const submitted = await ex.gql(`mutation($id: ID!) { submitDatasetForReview(datasetId: $id) { __typename ... on AppError { message } } }`, { id: datasetId }, provider);
  expect(submitted.data.submitDatasetForReview.__typename).toBe('ReviewSubmission');
  await ex.gql(`mutation($id: ID!) { reviewDataset(datasetId: $id, approve: true) { __typename } }`, { id: datasetId }, ex.keyOf('operator'));
  const income = options.income ?? [{ holderId: providerId, shareBps: 10_000 }];
  const holdings = [
    { right: 'CONTROL', holderId: providerId, shareBps: 10_000 },
    { right: 'USE', holderId: providerId, shareBps: 10_000 },
    ...income.map((h) => ({ right: 'INCOME', ...h })),
  ];
  const rights = await ex.gql(
    `mutation($id: ID!, $holdings: [RightsHoldingInput!]!) { registerRights(datasetId: $id, holdings: $holdings) { __typename ... on AppError { code message } } }`,
    { id: datasetId, holdings },
    provider,
  );
  expect(rights.data.registerRights.__typename).toBe('RightsCertificate');
  return { datasetId, providerId };
}

export interface PlanOptions {
  kind?: 'FIXED' | 'PER_QUERY' | 'SUBSCRIPTION';
  priceFen?: string;
  purposes?: string[];
  territories?: string[];
  access?: 'QUERY_ONLY' | 'DELIVERY';
  autoAccept?: boolean;
  queryQuota?: number;
  periodDays?: number;
  termDays?: number;
  epsilon?: number;
}

/** A price plan on the dataset; returns its id. */
export async function pricePlan(ex: TestExchange, datasetId: string, o: PlanOptions = {}, providerToken = ex.keyOf('provider')): Promise<string> {
  const r = await ex.gql(
    `mutation($input: PricePlanInput!) { createPricePlan(input: $input) { __typename ... on PricePlan { id } ... on AppError { code field message } } }`,
    {
      input: {
        datasetId,
        kind: o.kind ?? 'FIXED',
        title: '年度使用许可 annual licence',
        priceFen: o.priceFen ?? '100000',
        periodDays: o.periodDays,
        queryQuota: o.queryQuota,
        autoAccept: o.autoAccept ?? false,
        terms: {
          purposes: o.purposes ?? ['URBAN_PLANNING', 'ACADEMIC_RESEARCH'],
          termDays: o.termDays ?? 365,
          territories: o.territories ?? ['CN'],
          access: o.access ?? 'DELIVERY',
          epsilon: o.epsilon,
        },
      },
    },
    providerToken,
  );
  expect(r.data.createPricePlan.__typename, JSON.stringify(r.data.createPricePlan)).toBe('PricePlan');
  return r.data.createPricePlan.id;
}

export async function deposit(ex: TestExchange, token: string, amountFen: bigint | number, key = `dep-${Math.random().toString(36).slice(2)}`) {
  const r = await ex.gql(
    `mutation($a: BigInt!, $k: String!) { deposit(amountFen: $a, idempotencyKey: $k) { __typename ... on FundsMovement { transactionId balance { available { fen } escrow { fen } } } ... on AppError { code message } } }`,
    { a: String(amountFen), k: key },
    token,
  );
  return r.data.deposit;
}

export async function balance(ex: TestExchange, token: string): Promise<{ available: bigint; escrow: bigint }> {
  const r = await ex.gql(`{ balance { ... on Balance { available { fen } escrow { fen } } } }`, {}, token);
  return { available: BigInt(r.data.balance.available.fen), escrow: BigInt(r.data.balance.escrow.fen) };
}

export const PLACE_ORDER = /* GraphQL */ `
  mutation($plan: ID!, $purpose: Purpose!, $key: String!) { placeOrder(planId: $plan, purpose: $purpose, idempotencyKey: $key) {
    __typename ... on Order { id status access crossBorder amount { fen } } ... on AppError { code field message } } }`;

export async function placeOrder(ex: TestExchange, token: string, planId: string, purpose = 'URBAN_PLANNING', key = `ord-${Math.random().toString(36).slice(2)}`) {
  return (await ex.gql(PLACE_ORDER, { plan: planId, purpose, key }, token)).data.placeOrder;
}

export async function acceptOrder(ex: TestExchange, orderId: string, providerToken = ex.keyOf('provider')) {
  return (
    await ex.gql(
      `mutation($id: ID!) { acceptOrder(orderId: $id) { __typename ... on OrderResult { order { id status } } ... on AppError { code message } } }`,
      { id: orderId },
      providerToken,
    )
  ).data.acceptOrder;
}

/** Sum of every ledger account: zero, always, in a double-entry ledger. */
export async function ledgerTotal(ex: TestExchange): Promise<{ total: bigint; negative: number }> {
  const { sql } = await import('drizzle-orm');
  const { rowsOf } = await import('../../server/db/client.ts');
  const r = rowsOf(
    await ex.built.services.db.execute(
      sql`select coalesce(sum(balance_fen), 0)::text as total, count(*) filter (where kind in ('available', 'escrow') and balance_fen < 0)::int as negative from ledger_accounts`,
    ),
  )[0]!;
  return { total: BigInt(r.total as string), negative: Number(r.negative) };
}
