// The exchange through its web UI, as four people use it: a provider lists a dataset from a
// CSV file, the operator approves it, a buyer funds its account, orders and gets a licence and
// makes HE keys in its browser and runs an encrypted query whose decrypted answer matches the
// plaintext one, and a regulator reads the filing statistics, verifies the trade's records against
// the chain, acknowledges a surveillance alert and downloads the filing report.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCsv, TRAFFIC_COLUMNS, trafficRows } from '../factories/datasets.ts';
import { deposit, placeOrder } from '../factories/market.ts';
import { listedDatasetOf, planOf, verifiedParticipant } from '../factories/participants.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { ensureWebBuild, launchChromium } from '../support/web.ts';
import { expectAccessible, roleContext, screenshot } from './support/browser.ts';

const TITLE_EN = 'Shenzhen hourly traffic by district';

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
const ROWS = trafficRows(200, 3);

describe('the web UI end to end', () => {
  let ex: TestExchange;
  let browser: Browser;
  let provider: Page;
  let operator: Page;
  let buyer: Page;
  let regulator: Page;

  beforeAll(async () => {
    await ensureWebBuild();
    ex = await startTestExchange({ database: 'pglite' });
    browser = await launchChromium();
    provider = (await roleContext(browser, 'zh')).page;
    operator = (await roleContext(browser)).page;
    buyer = (await roleContext(browser)).page;
    regulator = (await roleContext(browser)).page;
  });

  afterAll(async () => {
    for (const page of [provider, operator, buyer, regulator]) {
      if (page) expect((page as Page & { errors: string[] }).errors, 'uncaught page errors').toEqual([]);
    }
    await browser?.close();
    await ex?.stop();
  });

  async function signIn(page: Page, role: 'provider' | 'operator' | 'buyer' | 'regulator') {
    await page.goto(`${ex.url}/#/signin`);
    await page.getByLabel('API key', { exact: true }).fill(ex.keyOf(role));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  }

  it('serves the catalog in Chinese first and switches to English, remembering the choice', async () => {
    await provider.goto(ex.url);
    await expect.poll(() => provider.getByRole('heading', { level: 1 }).textContent()).toBe('数据目录');
    await expectAccessible(provider);
    await screenshot(provider, 'catalog-zh');
    await provider.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => provider.getByRole('heading', { level: 1 }).textContent()).toBe('Data catalog');
    await provider.reload();
    await expect.poll(() => provider.getByRole('heading', { level: 1 }).textContent()).toBe('Data catalog');
    expect(await provider.evaluate(() => document.documentElement.lang)).toBe('en');
  });

  it('lets a provider list a dataset from a CSV file: schema inferred, commitment computed in the browser', async () => {
    await signIn(provider, 'provider');
    await provider.getByRole('link', { name: 'New dataset' }).first().click();
    await provider.getByLabel('CSV file').setInputFiles({ name: 'traffic.csv', mimeType: 'text/csv', buffer: Buffer.from(toCsv(TRAFFIC_COLUMNS, ROWS)) });
    await provider.getByText('Read traffic.csv: 200 rows, 4 columns.').waitFor();
    // The inferred schema: a category, two integers and a nullable one-decimal column.
    expect(await provider.getByLabel('Type · district').inputValue()).toBe('CATEGORY');
    expect(await provider.getByLabel('Type · hour').inputValue()).toBe('INTEGER');
    expect(await provider.getByLabel('Type · avg_speed').inputValue()).toBe('DECIMAL');
    expect(await provider.getByLabel('Nullable · avg_speed').isChecked()).toBe(true);
    await provider.getByLabel('Unit · vehicles').fill('vehicles/h');

    await provider.getByRole('button', { name: 'Compute commitment' }).click();
    await provider.getByText('200 rows, commitment').waitFor();
    expect(await provider.locator('progress').getAttribute('aria-valuetext')).toBe('100%');

    await provider.getByLabel('Chinese title').fill('深圳分区小时交通流量');
    await provider.getByLabel('English title').fill(TITLE_EN);
    await provider.getByLabel('Chinese description').fill('按行政区和小时统计的道路车流量与平均车速。');
    await provider.getByLabel('English description').fill('Hourly road traffic volume and average speed by district.');
    await provider.getByLabel('Domain').selectOption('TRANSPORT');
    await provider.getByLabel('Classification').selectOption('transport.traffic');
    await provider.getByLabel('Keywords').fill('交通, traffic');
    await screenshot(provider, 'provider-new-dataset');
    await provider.getByRole('button', { name: 'Create draft and upload rows' }).click();
    await provider.getByText('200 rows uploaded; they match the commitment.').waitFor();
    await provider.getByRole('button', { name: 'Submit for review' }).click();
    await provider.getByText('The automated checks passed').waitFor();
    expect(await provider.locator('.checks li.fail').count()).toBe(0);
    await expectAccessible(provider);
  });

  it('lets the operator review the queue with its checks and approve the listing', async () => {
    await signIn(operator, 'operator');
    await operator.getByRole('link', { name: 'Review queue' }).click();
    await operator.getByRole('link', { name: TITLE_EN }).click();
    await operator.getByRole('heading', { name: `Reviewing: ${TITLE_EN}` }).waitFor();
    expect(await operator.locator('.checks li.pass').count()).toBe(6);
    await expectAccessible(operator);
    await screenshot(operator, 'operator-review-queue');
    await operator.getByRole('button', { name: 'Approve listing' }).click();
    await operator.getByText(`Approved “${TITLE_EN}”: Listed`).waitFor();
  });

  it('lets the provider register rights and set a price plan', async () => {
    await provider.getByRole('link', { name: 'Manage this dataset (rights, prices)' }).click();
    await provider.getByRole('button', { name: 'Register rights' }).click();
    await provider.getByText('Initial', { exact: true }).waitFor();
    await provider.getByLabel('Title', { exact: true }).fill('Annual licence');
    await provider.getByLabel('Price (yuan)').fill('1200');
    await provider.getByLabel('Urban planning').check();
    await provider.getByRole('button', { name: 'Add plan' }).click();
    await provider.getByRole('button', { name: 'Retire plan · Annual licence' }).waitFor();
    await expectAccessible(provider);
    await screenshot(provider, 'provider-manage-dataset');
    await ex.built.services.anchoring.runOnce();
  });

  it('lets a buyer find the dataset, check its certificate on chain, fund its account and order', async () => {
    await signIn(buyer, 'buyer');
    await buyer.getByRole('link', { name: 'Catalog' }).click();
    await buyer.getByLabel('Search datasets').fill('traffic district');
    await buyer.getByRole('button', { name: 'Search', exact: true }).click();
    await buyer.getByLabel('Transport').check();
    await buyer.getByRole('link', { name: TITLE_EN }).click();
    await buyer.getByRole('heading', { level: 1, name: TITLE_EN }).waitFor();
    await buyer.getByRole('button', { name: /^Verify in this browser/ }).click();
    await buyer.getByText('Verified: the record matches the batch root on chain.').waitFor();
    await expectAccessible(buyer);
    await screenshot(buyer, 'buyer-dataset');

    await buyer.getByRole('link', { name: 'Sign out' }).count(); // the header is there
    await buyer.goto(`${ex.url}/#/account`);
    await buyer.getByLabel('Amount (yuan)').fill('5000');
    await buyer.getByRole('button', { name: 'Deposit' }).click();
    await buyer.getByText('Funds moved.').waitFor();
    await screenshot(buyer, 'buyer-account');
    await buyer.goBack();
    await buyer.getByRole('heading', { level: 1, name: TITLE_EN }).waitFor();
    await buyer.getByRole('button', { name: 'Order · Annual licence' }).click();
    await buyer.getByText('Order placed.').waitFor();
    await buyer.getByRole('link', { name: 'My orders' }).first().click();
    await buyer.getByRole('cell', { name: 'Pending' }).waitFor();
    await screenshot(buyer, 'buyer-orders');
  });

  it('lets the provider accept the order; the buyer holds an active licence and makes HE keys in its browser', async () => {
    await provider.getByRole('link', { name: 'Orders & income' }).click();
    await provider.getByRole('button', { name: /^Accept/ }).click();
    await provider.getByRole('table', { name: 'Trades' }).getByRole('cell', { name: '¥1,200.00' }).waitFor();
    expect(await provider.getByRole('button', { name: /^Accept/ }).count()).toBe(0);
    await expectAccessible(provider);
    await screenshot(provider, 'provider-sales');

    await buyer.getByRole('link', { name: 'Licences' }).click();
    await buyer.getByRole('cell', { name: 'Active' }).waitFor();
    await screenshot(buyer, 'buyer-licences');
    // A delivery licence: the rows come down as the provider uploaded them.
    const [download] = await Promise.all([buyer.waitForEvent('download'), buyer.getByRole('button', { name: 'Download the data (CSV)' }).click()]);
    const delivered = await streamText(await download.createReadStream());
    expect(delivered.trim().split('\n')).toHaveLength(1 + ROWS.length);
    await buyer.getByRole('link', { name: 'Encrypted query' }).last().click();
    await buyer.getByRole('button', { name: 'Generate keys (BFV)' }).click();
    await buyer.getByRole('radio', { name: /^Use / }).waitFor({ timeout: 120_000 });
  });

  it('lets the buyer run an encrypted group aggregate in its browser: the decrypted answer is the plaintext one, and no request carries the secret key', async () => {
    // Every request body the page sends from here on: the key upload, the query, the polls.
    const sent: { url: string; body: string | null }[] = [];
    buyer.on('request', (r) => sent.push({ url: r.url(), body: r.postData() }));
    const selected = ['福田', '南山'];
    expect(await buyer.getByLabel('Group by').inputValue()).toBe('district');
    await buyer.getByLabel('Sum of').selectOption('vehicles');
    for (const district of selected) await buyer.getByLabel(district).check();
    await buyer.getByRole('button', { name: 'Encrypt and send the query' }).click();
    // The runner works on a timer only in `npm start`; here the test runs it once the query is queued.
    await buyer.getByText('Waiting for the exchange’s encrypted answer…').waitFor({ timeout: 180_000 });
    await expect.poll(() => ex.built.services.encryptedQueries.runOnce(), { timeout: 60_000 }).toBeGreaterThan(0);
    const count = buyer.locator('[data-answer="count"]');
    await count.waitFor({ timeout: 60_000 });

    // The plaintext answer from the rows the provider uploaded: groups under k rows count as empty.
    const lic = await ex.gql(
      `{ licences(side: BUYER, first: 1) { ... on QueryLicencesConnection { edges { node { queryQuota queriesRemaining epsilonBudget dataset { currentVersion { minGroupSize } } } } } } }`,
      {},
      ex.keyOf('buyer'),
    );
    const licence = lic.data.licences.edges[0].node;
    const k: number = licence.dataset.currentVersion.minGroupSize;
    const sizes = new Map<string, number>();
    for (const r of ROWS) sizes.set(r.district!, (sizes.get(r.district!) ?? 0) + 1);
    const counted = ROWS.filter((r) => selected.includes(r.district!) && sizes.get(r.district!)! >= k);
    const expected = { count: String(counted.length), sum: String(counted.reduce((s, r) => s + Number(r.vehicles), 0)), suppressed: String([...sizes.values()].filter((n) => n < k).length) };
    expect(counted.length).toBeGreaterThan(0);
    const shown = async (field: string) => buyer.locator(`[data-answer="${field}"]`).getAttribute('data-value');
    expect({ count: await shown('count'), sum: await shown('sum'), suppressed: await shown('suppressed') }).toEqual(expected);
    // What people read is the same figure, formatted.
    expect((await count.textContent())!.replace(/\D/g, '')).toBe(expected.count);
    expect(await buyer.locator('[data-answer="sum"]').textContent()).toMatch(/ vehicles\/h$/);
    expect((await buyer.locator('[data-answer="sum"]').textContent())!.replace(/\D/g, '')).toBe(expected.sum);
    // The licence as it is after the query: its quota and privacy budget.
    expect(await buyer.locator('[data-answer="queries-left"]').textContent()).toBe(licence.queryQuota === null ? 'unlimited' : `${licence.queriesRemaining} / ${licence.queryQuota}`);
    expect(await buyer.locator('[data-answer="budget-left"]').textContent()).toMatch(licence.epsilonBudget === null ? /^none set$/ : /^ε /);
    await buyer.getByRole('table', { name: 'My recent encrypted queries' }).getByText('Done', { exact: true }).waitFor();
    await expectAccessible(buyer);
    await screenshot(buyer, 'buyer-encrypted-query');

    // The secret key, from this browser's IndexedDB: it is in the page's key store and nowhere else.
    const secretKey = await buyer.evaluate(
      () =>
        new Promise<string>((resolve, reject) => {
          const open = indexedDB.open('exchange-he');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('keySets').objectStore('keySets').getAll();
            get.onsuccess = () => {
              open.result.close();
              resolve(JSON.parse((get.result as { exported: string }[])[0]!.exported).keySet.secretKey);
            };
            get.onerror = () => reject(get.error);
          };
        }),
    );
    expect(secretKey.length).toBeGreaterThan(1000);
    const posts = sent.filter((r) => r.url.endsWith('/graphql'));
    const upload = posts.find((r) => r.body?.includes('uploadHeKeySet'));
    const submit = posts.find((r) => r.body?.includes('submitEncryptedQuery'));
    // The recorder saw the big bodies whole: the public keys (megabytes) and the ciphertext.
    expect(upload?.body && JSON.parse(upload.body).variables.b.length).toBeGreaterThan(100_000);
    expect(submit?.body && JSON.parse(submit.body).variables.query.selection.length).toBeGreaterThan(10_000);
    for (const r of sent) {
      if (!r.body) continue;
      expect(r.body.includes(secretKey), `${r.url} carries the secret key`).toBe(false);
      // Not even a fragment of it.
      expect(r.body.includes(secretKey.slice(100, 164)), `${r.url} carries part of the secret key`).toBe(false);
    }
    expect(posts.every((r) => r.body !== null)).toBe(true);
  });

  it('lets the operator run a clearing cycle; the provider sees its settlement and checks its proof', async () => {
    await operator.getByRole('navigation').getByRole('link', { name: 'Clearing' }).click();
    await operator.getByRole('button', { name: 'Run a clearing cycle' }).click();
    await operator.getByText('Cycle 1 cleared and settled.').waitFor();
    await ex.built.services.anchoring.runOnce();
    await operator.reload();
    await operator.getByRole('cell', { name: 'Settled' }).waitFor();
    await expectAccessible(operator);
    await screenshot(operator, 'operator-clearing');

    await provider.reload();
    await provider.getByRole('button', { name: 'Show proof #1' }).click();
    await provider.getByRole('button', { name: /^Verify in this browser \(cycle 1 settlement\)/ }).click();
    await provider.getByText('Verified: the record matches the batch root on chain.').waitFor();
    await screenshot(provider, 'provider-settlements');
  });

  it('lets a regulator see the filing statistics from the API and verify the trade against the chain', async () => {
    await ex.built.services.anchoring.runOnce();
    // What the dashboard asks the API for (signing in opens it).
    const asked: string[] = [];
    regulator.on('request', (r) => r.url().endsWith('/graphql') && asked.push(r.postData() ?? ''));
    await signIn(regulator, 'regulator');
    await regulator.getByRole('link', { name: 'Dashboard' }).click();
    // The figures the API files: one trade of ¥1,200.00, none cross-border.
    const filed = (await ex.gql(`{ filingStatistics(groupBy: []) { ... on FilingStatistics { tradeCount turnover { yuan } } } }`, {}, ex.keyOf('regulator'))).data.filingStatistics;
    expect(filed).toEqual({ tradeCount: 1, turnover: { yuan: '1200.00' } });
    await expect.poll(() => regulator.locator('[data-stat="trades"]').textContent()).toBe('1');
    expect(await regulator.locator('[data-stat="turnover"]').textContent()).toBe('¥1,200.00');
    expect(await regulator.locator('[data-stat="cross-border"]').textContent()).toBe('0');
    expect(asked.some((body) => body.includes('filingStatistics('))).toBe(true);
    expect(asked.some((body) => body.includes('filingReport('))).toBe(true);
    await regulator.getByRole('heading', { name: 'By price plan' }).waitFor();
    await regulator.locator('.chart canvas').first().waitFor();
    await expectAccessible(regulator);
    await screenshot(regulator, 'regulator-dashboard');
    await regulator.getByRole('navigation').getByRole('link', { name: 'Record verifier' }).click();
    await regulator.getByRole('link', { name: /^Verify · / }).first().click();
    // The exchange's verifyRecord on the trade's filing, and every record checked again in the browser.
    await regulator.getByText('The exchange verified trading.trade-filing: content, proof and on-chain root agree.').waitFor();
    await regulator.getByRole('cell', { name: 'Trade filing' }).waitFor();
    await regulator.getByText(/^All \d+ anchored records verify\.$/).waitFor();
    await expectAccessible(regulator);
    await screenshot(regulator, 'regulator-verifier');
  });

  it('lets a regulator search the audit log and check its hash chain', async () => {
    await regulator.getByRole('navigation').getByRole('link', { name: 'Audit log' }).click();
    await regulator.getByRole('table', { name: 'Audit entries, newest first' }).waitFor();
    await regulator.getByRole('button', { name: 'Check the hash chain' }).click();
    await regulator.getByText(/^The hash chain is intact: \d+ entries recomputed\.$/).waitFor();
    await regulator.getByLabel('Action', { exact: true }).fill('data.delivered');
    await regulator.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => regulator.getByRole('table', { name: 'Audit entries, newest first' }).locator('tbody tr').count()).toBe(1);
    await expectAccessible(regulator);
    await screenshot(regulator, 'regulator-audit-log');
  });

  it('lets a regulator scan the market and acknowledge an alert with a note', async () => {
    // Two organisations under one controller: one buys the other's data.
    const seller = await verifiedParticipant(ex, { controllerCode: 'GROUP-HOLDING-E2E' });
    const related = await verifiedParticipant(ex, { controllerCode: 'GROUP-HOLDING-E2E' });
    const plan = await planOf(ex, seller.token, await listedDatasetOf(ex, seller), { priceFen: '800' });
    await deposit(ex, related.token, 10_000n);
    expect((await placeOrder(ex, related.token, plan)).status).toBe('ACCEPTED');

    await regulator.getByRole('navigation').getByRole('link', { name: 'Dashboard' }).click();
    await regulator.getByRole('button', { name: 'Scan the market now' }).click();
    await regulator.getByText(/^Scan done: [1-9]\d* new alerts/).waitFor();
    const open = regulator.getByRole('table', { name: 'Open alerts, newest first' });
    await open.getByRole('cell', { name: 'Related-party trade', exact: true }).waitFor();
    await regulator.getByLabel(/^Note · Related-party trade · /).fill('已核实：集团内部采购 · checked, an intra-group purchase');
    await screenshot(regulator, 'regulator-alerts');
    await regulator.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => open.getByRole('cell', { name: 'Related-party trade', exact: true }).count()).toBe(0);
    await regulator.getByRole('button', { name: 'Show all alerts' }).click();
    await regulator.getByRole('table', { name: 'All alerts, newest first' }).getByText('Acknowledged').waitFor();
    await expectAccessible(regulator);

    const alerts = await ex.gql(`{ alerts(rule: RELATED_PARTIES) { ... on QueryAlertsSuccess { data { status note } } } }`, {}, ex.keyOf('regulator'));
    expect(alerts.data.alerts.data).toEqual([{ status: 'ACKNOWLEDGED', note: '已核实：集团内部采购 · checked, an intra-group purchase' }]);
  });

  it('lets a regulator preview the filing report for a period and download it as CSV and JSON', async () => {
    await regulator.getByRole('navigation').getByRole('link', { name: 'Reports' }).click();
    await regulator.getByLabel('Period', { exact: true }).first().selectOption('QUARTER');
    await regulator.getByRole('button', { name: 'Preview' }).click();
    const totals = regulator.getByRole('table', { name: 'Totals per period' });
    await totals.waitFor();
    // The same range the page asks for: from 1 January (Shanghai) to the end of today (Shanghai).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const range = { from: new Date(`${today.slice(0, 4)}-01-01T00:00:00+08:00`).toISOString(), to: new Date(Date.parse(`${today}T00:00:00+08:00`) + 86_400_000).toISOString() };
    const report = (await ex.gql(`query($from: DateTime, $to: DateTime) { filingReport(period: QUARTER, from: $from, to: $to) { ... on FilingReport { lines { period breakdown key listings trades turnover { fen } queries disputes } } } }`, range, ex.keyOf('regulator'))).data.filingReport;
    const total = report.lines.filter((l: { breakdown: string }) => l.breakdown === 'TOTAL');
    // Two trades (the annual licence and the related-party one), two listings so far this quarter.
    expect(total).toEqual([expect.objectContaining({ listings: 2, trades: 2, turnover: { fen: '120800' } })]);
    await totals.getByRole('rowheader', { name: total[0].period }).waitFor();
    await expectAccessible(regulator);
    await screenshot(regulator, 'regulator-reports');

    const [csvDownload] = await Promise.all([regulator.waitForEvent('download'), regulator.getByRole('button', { name: 'Download the filing report (CSV)' }).click()]);
    expect(csvDownload.suggestedFilename()).toMatch(/^filing-report-quarter-\d{4}-01-01-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await streamText(await csvDownload.createReadStream())).trimEnd().split('\r\n');
    expect(csv[0]).toBe('period,breakdown,key,listings,trades,turnover_fen,queries,disputes');
    expect(csv).toHaveLength(1 + report.lines.length);
    expect(csv[1]).toBe(`${total[0].period},total,,2,2,120800,${total[0].queries},${total[0].disputes}`);

    const [jsonDownload] = await Promise.all([regulator.waitForEvent('download'), regulator.getByRole('button', { name: 'Download the filing report (JSON)' }).click()]);
    const json = JSON.parse(await streamText(await jsonDownload.createReadStream()));
    expect(json).toMatchObject({ period: 'QUARTER', from: range.from, to: range.to });
    expect(json.lines.map(({ turnover, ...l }: { turnover: { fen: string } }) => ({ ...l, turnover: { fen: turnover.fen } }))).toEqual(report.lines);
  });

  it('fits a phone screen', async () => {
    const { context, page } = await roleContext(browser, 'zh', { width: 390, height: 844 });
    await page.goto(ex.url);
    await page.getByRole('link', { name: '深圳分区小时交通流量' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'catalog-phone');
    await context.close();
  });
});
