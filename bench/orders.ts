// ordersPerSec: orders placed through the GraphQL endpoint by concurrent clients on real
// PostgreSQL (PGlite when no server answers), each reserving escrow and, on an auto-accept plan,
// becoming a trade and a licence. Standalone: node --import tsx bench/orders.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { catalogCommitment } from '../sdk/catalog-commitment.ts';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { createDataset } from '../server/domain/catalog/create-dataset.ts';
import { reviewListing } from '../server/domain/catalog/review-listing.ts';
import { submitForReview } from '../server/domain/catalog/submit-for-review.ts';
import { uploadDatasetRows } from '../server/domain/catalog/upload-dataset-rows.ts';
import { depositFunds } from '../server/domain/ledger/move-funds.ts';
import { authenticateApiKey } from '../server/domain/participants/authenticate-api-key.ts';
import { registerRights } from '../server/domain/rights/register-rights.ts';
import { createPricePlan } from '../server/domain/trading/price-plans.ts';
import { freshPostgres, postgresReachable } from '../test/support/databases.ts';
import { printReport, type Figure } from './report.ts';

const ORDERS = 600;
const CONCURRENCY = 16;

export async function benchOrders(): Promise<Figure[]> {
  const pg = (await postgresReachable()) ? await freshPostgres() : null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-bench-orders-'));
  // The per-key rate limit is policy, not capacity: off while measuring how much one key can do.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, EXCHANGE_RATE_LIMIT_PER_SECOND: '0', ...(pg?.env ?? {}) });
  const built = await buildApp(config, { startWorkers: false, logger: pino({ level: 'silent' }) });
  const server = built.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const db = built.services.db;
    const token = (role: string) => built.seededKeys.find((k) => k.roles.includes(role as never))!.token;
    const provider = await authenticateApiKey({ db, token: token('provider') });
    const operator = await authenticateApiKey({ db, token: token('operator') });
    const buyer = await authenticateApiKey({ db, token: token('buyer') });
    const columns = [{ name: 'v', type: 'integer' as const, nullable: false, sensitivity: 'none' as const }];
    const rows = [{ v: '1' }, { v: '2' }];
    const { dataset } = await createDataset({
      db,
      actor: provider,
      input: {
        titleZh: '基准数据',
        titleEn: 'Benchmark data',
        descriptionZh: '用于下单吞吐量基准测试的数据集。',
        descriptionEn: 'A dataset for the order throughput benchmark.',
        domain: 'commerce',
        keywords: ['bench'],
        columns,
        updateFrequency: 'once',
        rowCount: 2,
        sampleRows: rows,
        classification: 'commerce.retail',
        grade: 'L1',
        personalInfo: false,
        commitment: catalogCommitment(columns, rows).root,
      },
    });
    await uploadDatasetRows({ db, actor: provider, datasetId: dataset.id, csv: 'v\n1\n2\n' });
    await submitForReview({ db, actor: provider, datasetId: dataset.id });
    await reviewListing({ db, actor: operator, input: { datasetId: dataset.id, approve: true } });
    await registerRights({ db, actor: provider, input: { datasetId: dataset.id, holdings: (['control', 'use', 'income'] as const).map((right) => ({ right, holderId: provider.participantId, shareBps: 10_000 })) } });
    const plan = await createPricePlan({
      db,
      actor: provider,
      input: { datasetId: dataset.id, kind: 'fixed', title: 'bench', priceFen: 100n, autoAccept: true, terms: { purposes: ['product_research'], termDays: 30, territories: ['CN'], access: 'delivery' } },
    });
    await depositFunds({ db, gateway: built.services.paymentGateway, actor: buyer, input: { amountFen: BigInt(ORDERS) * 100n, idempotencyKey: 'bench-deposit-0001' } });

    let next = 0;
    let accepted = 0;
    const client = async () => {
      while (next < ORDERS) {
        const i = next++;
        const res = await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token('buyer')}` },
          body: JSON.stringify({
            query: `mutation($p: ID!, $k: String!) { placeOrder(planId: $p, purpose: PRODUCT_RESEARCH, idempotencyKey: $k) { ... on Order { status } ... on AppError { code } } }`,
            variables: { p: plan.id, k: `bench-order-${i}` },
          }),
        });
        const body = (await res.json()) as { data?: { placeOrder?: { status?: string; code?: string } } };
        if (body.data?.placeOrder?.status !== 'ACCEPTED') throw new Error(`order ${i}: ${JSON.stringify(body)}`);
        accepted++;
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const seconds = (performance.now() - started) / 1000;
    return [
      {
        name: 'ordersPerSec',
        value: accepted / seconds,
        unit: 'orders/s',
        note: `${accepted} auto-accepted orders (escrow, trade, licence, filing anchor) by ${CONCURRENCY} clients on ${pg ? 'PostgreSQL' : 'PGlite'}`,
      },
    ];
  } finally {
    server.closeAllConnections();
    server.close();
    await built.close();
    await pg?.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printReport(await benchOrders());
