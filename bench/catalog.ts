// Catalog throughput: a page of 50 listed datasets with their rights and holders
// (catalogPageReqPerSec) against a trivial query on the same server in the same run
// (bareYogaReqPerSec), and the SQL statements one such page costs (sqlPerCatalogPage).
// Standalone: node --import tsx bench/catalog.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { printReport, type Figure } from './report.ts';
import { seededToken, seedListedDatasets } from './seed-catalog.ts';

const DATASETS = 200;
const CONCURRENCY = 8;
const SECONDS = 5;

const PAGE_QUERY = `{ catalog(first: 50) { ... on QueryCatalogConnection { totalCount edges { node { id status provider { name }
  currentVersion { titleZh titleEn grade domain } rights { number holdings { right shareBps holder { name jurisdiction } } } } } } } }`;


async function throughput(url: string, token: string, query: string): Promise<number> {
  const until = performance.now() + SECONDS * 1000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < until) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (!res.ok || body.errors) throw new Error(`query failed: ${JSON.stringify(body).slice(0, 300)}`);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return done / ((performance.now() - started) / 1000);
}

export async function benchCatalog(): Promise<Figure[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-bench-catalog-'));
  // The per-key rate limit is policy, not capacity: off while measuring how much one key can do.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, EXCHANGE_RATE_LIMIT_PER_SECOND: '0' });
  const built = await buildApp(config, { startWorkers: false, logger: pino({ level: 'silent' }) });
  const server = built.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    await seedListedDatasets(built, { count: DATASETS, grade: 'L1', withRights: true });
    const buyer = seededToken(built, 'buyer');
    const stats = built.services.database.stats;
    const q0 = stats.queries;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer}` }, body: JSON.stringify({ query: PAGE_QUERY }) });
    await res.json();
    const sqlPerPage = stats.queries - q0;
    const page = await throughput(url, buyer, PAGE_QUERY);
    const bare = await throughput(url, buyer, '{ __typename }');
    return [
      { name: 'catalogPageReqPerSec', value: page, unit: 'req/s', comparison: { name: 'bareYogaReqPerSec', value: bare }, note: `50 datasets with rights and holders, ${CONCURRENCY} concurrent clients` },
      { name: 'bareYogaReqPerSec', value: bare, unit: 'req/s', note: '{ __typename } with the same API key, same server' },
      { name: 'sqlPerCatalogPage', value: sqlPerPage, unit: 'statements', note: 'including the API key lookup' },
    ];
  } finally {
    server.closeAllConnections();
    server.close();
    await built.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printReport(await benchCatalog());
