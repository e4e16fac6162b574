// The web UI: webFirstPaintMs, the first contentful paint of the catalog page in headless
// Chromium against a warm server (median of fresh browser contexts, so nothing is cached),
// set against webCatalogReadyMs, when the first dataset card is on screen; and webBundleKb,
// the gzip size of the JavaScript the entry needs before it can render (the entry chunk and
// the chunks it imports statically), set against all of the app's JavaScript.
// Standalone: node --import tsx bench/web.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pino from 'pino';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { ensureWebBuild, launchChromium, WEB_DIST } from '../test/support/web.ts';
import { printReport, type Figure } from './report.ts';
import { seedListedDatasets } from './seed-catalog.ts';

const DATASETS = 30;
const RUNS = 7;


const gzipKb = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length / 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** gzip KB of the entry script and its modulepreloaded chunks, and of every JS chunk (workers aside). */
function bundleSizes(): { entryKb: number; allKb: number; entryFiles: string[] } {
  const html = fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
  const entryFiles = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const entryKb = entryFiles.reduce((s, f) => s + gzipKb(path.join(WEB_DIST, f!)), 0);
  const assets = fs.readdirSync(path.join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js') && !f.includes('.worker-'));
  const allKb = assets.reduce((s, f) => s + gzipKb(path.join(WEB_DIST, 'assets', f)), 0);
  return { entryKb, allKb, entryFiles };
}

export async function benchWeb(): Promise<Figure[]> {
  await ensureWebBuild();
  const sizes = bundleSizes();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'exchange-bench-web-'));
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir });
  const built = await buildApp(config, { startWorkers: false, logger: pino({ level: 'silent' }) });
  const server = built.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await launchChromium();
  try {
    await seedListedDatasets(built, { count: DATASETS, grade: 'L2', withRights: false });
    const paints: number[] = [];
    const ready: number[] = [];
    // The first visit warms the server (the catalog query's plan, static files in the OS cache)
    // and is not counted.
    for (let run = 0; run <= RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(url);
      await page.locator('article.dataset-card').first().waitFor();
      const t = await page.evaluate(() => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
        const card = performance.getEntriesByType('mark').find((m) => m.name === 'catalog-ready')?.startTime;
        return { fcp, ready: card ?? performance.now() };
      });
      if (run > 0) {
        paints.push(t.fcp);
        ready.push(t.ready);
      }
      await context.close();
    }
    return [
      {
        name: 'webFirstPaintMs',
        value: median(paints),
        unit: 'ms',
        comparison: { name: 'webCatalogReadyMs', value: median(ready) },
        note: `catalog page, first contentful paint (the shell in index.html, before the app renders), median of ${RUNS} fresh contexts, warm server`,
      },
      { name: 'webCatalogReadyMs', value: median(ready), unit: 'ms', note: `the first of ${DATASETS} dataset cards rendered (after the catalog query)` },
      {
        name: 'webBundleKb',
        value: sizes.entryKb,
        unit: 'KiB',
        comparison: { name: 'webAllJsKb', value: sizes.allKb },
        note: `gzip of what the entry loads before rendering: ${sizes.entryFiles.map((f) => path.basename(f).replace(/-[\w-]{8}\.js$/, '')).join(' + ')}`,
      },
      { name: 'webAllJsKb', value: sizes.allKb, unit: 'KiB', note: 'gzip of every JS chunk (pages, uPlot, verifier), workers and SEAL wasm aside' },
    ];
  } finally {
    await browser.close();
    server.closeAllConnections();
    server.close();
    await built.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printReport(await benchWeb());
