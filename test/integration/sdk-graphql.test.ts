import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, GraphQLRequestError, type ExchangeClient } from '../../sdk/graphql/client.ts';
import { ExchangeError } from '../../sdk/graphql/errors.ts';
import { createDataset, getDataset, listCatalog, reviewDataset, submitDatasetForReview, uploadDatasetRows } from '../../sdk/graphql/catalog.ts';
import { getViewer, listParticipants } from '../../sdk/graphql/participants.ts';
import { registerRights } from '../../sdk/graphql/rights.ts';
import { acceptOrder, createPricePlan, deposit, getBalance, getLicence, listAllTrades, listLicences, listOrders, placeOrder } from '../../sdk/graphql/trading.ts';
import type { DatasetInput } from '../../sdk/graphql/types.ts';
import { datasetInput } from '../factories/datasets.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';

describe("the sdk's typed GraphQL operations", () => {
  let ex: TestExchange;
  let as: (role: 'provider' | 'operator' | 'buyer' | 'regulator') => ExchangeClient;

  beforeAll(async () => {
    ex = await startTestExchange({ database: 'pglite' });
    const anonymous = createClient({ url: `${ex.url}/graphql` });
    as = (role) => anonymous.withApiKey(ex.keyOf(role));
  });
  afterAll(async () => {
    await ex?.stop();
  });

  it('identifies the caller, and throws ExchangeError for a bad key and GraphQLRequestError for a bad document', async () => {
    expect(await getViewer(createClient({ url: `${ex.url}/graphql` }))).toBeNull();
    const viewer = await getViewer(as('provider'));
    expect(viewer?.participant.roles).toContain('PROVIDER');
    await expect(getViewer(createClient({ url: `${ex.url}/graphql`, apiKey: 'nope' }))).rejects.toMatchObject({ name: 'ExchangeError', code: 'UNAUTHENTICATED' });
    await expect(as('buyer').request('{ nonsense }')).rejects.toBeInstanceOf(GraphQLRequestError);
    await expect(listParticipants(as('buyer'))).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lists, reviews, prices and sells a dataset, and reads back orders, trades and licences', async () => {
    const { input, csv } = datasetInput();
    const bad = await createDataset(as('provider'), { ...input, keywords: [] } as DatasetInput).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ExchangeError);
    expect(bad).toMatchObject({ code: 'INVALID_INPUT', field: 'keywords' });

    const draft = await createDataset(as('provider'), input as DatasetInput);
    expect(draft.dataset.status).toBe('DRAFT');
    expect((await uploadDatasetRows(as('provider'), draft.dataset.id, csv)).matchesDeclaration).toBe(true);
    const submitted = await submitDatasetForReview(as('provider'), draft.dataset.id);
    expect(submitted.checks.every((c) => c.passed)).toBe(true);
    expect(await reviewDataset(as('operator'), { datasetId: draft.dataset.id, approve: true })).toMatchObject({ status: 'LISTED' });

    const providerId = (await getViewer(as('provider')))!.participant.id;
    const certificate = await registerRights(
      as('provider'),
      draft.dataset.id,
      (['CONTROL', 'USE', 'INCOME'] as const).map((right) => ({ right, holderId: providerId, shareBps: 10_000 })),
    );
    expect(certificate.holdings).toHaveLength(3);
    const plan = await createPricePlan(as('provider'), {
      datasetId: draft.dataset.id,
      kind: 'FIXED',
      title: 'sdk plan',
      priceFen: '2500',
      autoAccept: false,
      terms: { purposes: ['URBAN_PLANNING'], termDays: 30, territories: ['CN'], access: 'DELIVERY' },
    });

    const page = await listCatalog(createClient({ url: `${ex.url}/graphql` }), { text: '交通', domains: ['TRANSPORT'], first: 5 });
    expect(page.nodes.map((d) => d.id)).toContain(draft.dataset.id);
    expect(page.facets.domain).toContainEqual({ value: 'transport', count: page.totalCount });
    const dataset = await getDataset(as('buyer'), draft.dataset.id);
    expect(dataset.pricePlans.map((p) => p.id)).toEqual([plan.id]);
    expect(dataset.rights?.number).toBe(certificate.number);

    await deposit(as('buyer'), { amountFen: '10000', idempotencyKey: 'sdk-deposit-0001' });
    const order = await placeOrder(as('buyer'), { planId: plan.id, purpose: 'URBAN_PLANNING', idempotencyKey: 'sdk-order-00001' });
    expect(order).toMatchObject({ status: 'PENDING', amount: { fen: '2500', yuan: '25.00' } });
    expect((await getBalance(as('buyer'))).escrow.fen).toBe('2500');
    await expect(placeOrder(as('buyer'), { planId: plan.id, purpose: 'MODEL_TRAINING', idempotencyKey: 'sdk-order-00002' })).rejects.toMatchObject({ code: 'LICENCE_TERMS' });
    expect((await listOrders(as('provider'), { side: 'PROVIDER', status: 'PENDING' })).nodes.map((o) => o.id)).toContain(order.id);
    expect((await acceptOrder(as('provider'), order.id)).status).toBe('ACCEPTED');

    const licences = await listLicences(as('buyer'), { side: 'BUYER' });
    const licence = licences.nodes.find((l) => l.dataset?.id === draft.dataset.id)!;
    expect(licence).toMatchObject({ status: 'ACTIVE', purpose: 'URBAN_PLANNING' });
    expect((await getLicence(as('buyer'), licence.id))?.id).toBe(licence.id);
    expect(await getLicence(as('provider'), 'not-an-id').catch(() => null)).toBeNull();
    const trades = await listAllTrades(as('regulator'), { side: 'ALL' });
    expect(trades.some((t) => t.dataset?.id === draft.dataset.id && t.amount.fen === '2500')).toBe(true);
  });
});
