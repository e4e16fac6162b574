// The web UI under production settings: only persisted operations (EXCHANGE_PERSISTED_OPERATIONS
// =only), introspection off, and the Content-Security-Policy every response carries. Each role
// signs in and opens each of its pages; no GraphQL request may be refused, no resource blocked
// by the policy, no page error thrown. (market.test.ts runs the whole flow, SEAL's wasm in the
// browser included, under the same policy.)
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { ensureWebBuild, launchChromium } from '../support/web.ts';
import { roleContext } from './support/browser.ts';

const PAGES: Record<'provider' | 'buyer' | 'operator' | 'regulator', string[]> = {
  provider: ['/provider/datasets', '/provider/new', '/provider/sales', '/account'],
  buyer: ['/buyer/orders', '/buyer/licences', '/buyer/query', '/account'],
  operator: ['/operator/review', '/operator/participants', '/clearing', '/audit'],
  regulator: ['/regulator', '/regulator/verify', '/regulator/reports', '/audit', '/clearing'],
};

describe('the web UI under production settings', () => {
  let ex: TestExchange;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    await ensureWebBuild();
    ex = await startTestExchange({ database: 'pglite', env: { EXCHANGE_PERSISTED_OPERATIONS: 'only', EXCHANGE_GRAPHQL_INTROSPECTION: 'false' } });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await ex?.stop();
  });

  /** A page that records refused GraphQL requests, policy violations and page errors. */
  async function watchedPage(): Promise<Page> {
    const { page } = await roleContext(browser);
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', async (r) => {
      if (!r.url().endsWith('/graphql')) return;
      const body = await r.text().catch(() => '');
      if (r.status() !== 200 || /OPERATION_NOT_ALLOWED|PERSISTED_QUERY_NOT_FOUND|QUERY_TOO_|TOO_MANY_/.test(body)) problems.push(`GraphQL ${r.status()}: ${body.slice(0, 200)}`);
    });
    return page;
  }

  async function open(page: Page, path: string) {
    await page.goto(`${ex.url}/#${path}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
  }

  it('serves the catalog and the sign-in page to a visitor', async () => {
    const page = await watchedPage();
    await open(page, '/');
    await open(page, '/signin');
    expect(problems).toEqual([]);
  });

  it.each(Object.keys(PAGES) as (keyof typeof PAGES)[])('serves every page of the %s', async (role) => {
    const page = await watchedPage();
    await page.goto(`${ex.url}/#/signin`);
    await page.getByLabel('API key', { exact: true }).fill(ex.keyOf(role));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    for (const path of PAGES[role]) await open(page, path);
    expect(problems).toEqual([]);
  });
});
