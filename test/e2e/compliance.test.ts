// Compliance proofs in the web UI: a provider's L3 dataset proved with the sdk (as the CLI does),
// the operator's review page showing complete coverage, the buyer's dataset page listing the
// proofs recorded on chain, and the provider's page of an unproved draft giving the CLI command.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeZk } from '../../server/privacy/zk/verify.ts';
import { createDataset, reviewDataset, submitDatasetForReview, uploadDatasetRows } from '../../sdk/graphql/catalog.ts';
import { createClient, type ExchangeClient } from '../../sdk/graphql/client.ts';
import { submitComplianceProof } from '../../sdk/graphql/compliance.ts';
import type { DatasetInput } from '../../sdk/graphql/types.ts';
import { proveRuleChunk, ruleChunkCount, ruleChunkInput } from '../../sdk/zk/rule-chunk.ts';
import { l3TradeDataset, proverArtifacts } from '../factories/compliance-datasets.ts';
import { startTestExchange, type TestExchange } from '../support/app.ts';
import { ensureWebBuild, launchChromium } from '../support/web.ts';
import { expectAccessible, roleContext, screenshot } from './support/browser.ts';

const PROVED = l3TradeDataset(10, { titleEn: 'Trade extract with compliance proofs', titleZh: '交易明细（合规证明）' });
const UNPROVED = l3TradeDataset(6, { titleEn: 'Trade extract still to prove', titleZh: '交易明细（待证明）' });

describe('compliance proofs in the web UI', () => {
  let ex: TestExchange;
  let browser: Browser;
  let pages: Page[] = [];
  let provider: ExchangeClient;
  let proved: { datasetId: string; versionId: string };
  let unproved: { datasetId: string; versionId: string };

  beforeAll(async () => {
    await ensureWebBuild();
    ex = await startTestExchange({ database: 'pglite' });
    browser = await launchChromium();
    provider = createClient({ url: `${ex.url}/graphql`, apiKey: ex.keyOf('provider') });
    const draft = async (d: typeof PROVED) => {
      const created = await createDataset(provider, d.input as DatasetInput);
      await uploadDatasetRows(provider, created.dataset.id, d.csv);
      return { datasetId: created.dataset.id, versionId: created.version.id };
    };
    proved = await draft(PROVED);
    unproved = await draft(UNPROVED);
    const artifacts = await proverArtifacts('rule_chunk');
    for (let chunkIndex = 0; chunkIndex < ruleChunkCount(PROVED.committed.rowCount); chunkIndex++) {
      const made = await proveRuleChunk(ruleChunkInput({ dataset: PROVED.committed, rules: PROVED.rules, chunkIndex }), artifacts);
      await submitComplianceProof(provider, proved.versionId, 'rule_chunk', made);
    }
    await submitDatasetForReview(provider, proved.datasetId);
  });

  afterAll(async () => {
    for (const page of pages) expect((page as Page & { errors: string[] }).errors, 'uncaught page errors').toEqual([]);
    await browser?.close();
    await ex?.stop();
    await closeZk();
  });

  async function signedIn(role: 'provider' | 'operator' | 'buyer'): Promise<Page> {
    const { page } = await roleContext(browser);
    pages.push(page);
    await page.goto(`${ex.url}/#/signin`);
    await page.getByLabel('API key', { exact: true }).fill(ex.keyOf(role));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  }

  it('shows the operator complete coverage next to the automated checks', async () => {
    const operator = await signedIn('operator');
    await operator.goto(`${ex.url}/#/operator/review?id=${encodeURIComponent(proved.datasetId)}`);
    await operator.getByRole('heading', { name: `Reviewing: ${PROVED.input.titleEn}` }).waitFor();
    const coverage = operator.getByTestId('compliance-coverage');
    await coverage.getByText('Coverage complete: meets the L3 listing requirement').waitFor();
    await coverage.getByText('Rule proofs cover 3 of 3 chunks').waitFor();
    expect(await operator.getByTestId('compliance-proofs').locator('tbody tr').count()).toBe(3);
    await expectAccessible(operator);
    await screenshot(operator, 'operator-review-compliance');
    await operator.getByRole('button', { name: 'Approve listing' }).click();
    await operator.getByText(/^Approved “/).waitFor();
  });

  it('lists the proofs, recorded on chain, on the buyer’s dataset page with their files', async () => {
    await ex.built.services.outbox.drain();
    const buyer = await signedIn('buyer');
    await buyer.goto(`${ex.url}/#/datasets/${encodeURIComponent(proved.datasetId)}`);
    const table = buyer.getByTestId('compliance-proofs');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(3);
    for (let i = 0; i < 3; i++) {
      await expect.poll(() => rows.nth(i).textContent()).toMatch(/Rule chunk.*chunkIndex=\d.*Recorded on chain/);
    }
    const [download] = await Promise.all([buyer.waitForEvent('download'), rows.first().getByRole('button', { name: 'Download the 3 files' }).click()]);
    expect(download.suggestedFilename()).toBe('proof.json');
    await expectAccessible(buyer);
    await screenshot(buyer, 'buyer-dataset-compliance');
  });

  it('gives the provider of an unproved draft the CLI command for the missing proofs', async () => {
    const page = await signedIn('provider');
    await page.goto(`${ex.url}/#/provider/datasets/${encodeURIComponent(unproved.datasetId)}`);
    await page.getByTestId('compliance-coverage').getByText('Coverage incomplete').waitFor();
    await page.getByText('chunks not proved: 0–1').waitFor();
    const command = await page.getByTestId('prove-command').locator('code').first().textContent();
    expect(command).toBe(
      `node --import tsx sdk/cli/prove-compliance.ts --api ${ex.url}/graphql --key $EXCHANGE_API_KEY --version ${unproved.versionId} --csv <rows.csv>`,
    );
    await expectAccessible(page);
    await screenshot(page, 'provider-compliance-command');
  });
});
