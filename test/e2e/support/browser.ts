// The end-to-end tests' browser side: a context per role, screenshots under
// test-results/screenshots, and an accessibility check every page must pass.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../../server/config.ts';

export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

/** A browser context for one role, its UI in the given language from the first page. */
export async function roleContext(browser: Browser, lang: 'zh' | 'en' = 'en', viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: lang === 'zh' ? 'zh-CN' : 'en-GB' });
  if (lang === 'en') await context.addInitScript(() => localStorage.setItem('exchange.lang', 'en'));
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  (page as Page & { errors: string[] }).errors = errors;
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Every form control has an accessible name, the page has one h1, and images of charts are labelled. */
export async function expectAccessible(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('input:not([type=hidden]), select, textarea, button')) {
      const labelled =
        (el as HTMLInputElement).labels?.length ||
        el.getAttribute('aria-label') ||
        el.getAttribute('aria-labelledby') ||
        (el.tagName === 'BUTTON' && el.textContent?.trim());
      if (!labelled) out.push(`unlabelled ${el.tagName.toLowerCase()} ${el.outerHTML.slice(0, 80)}`);
    }
    const h1 = document.querySelectorAll('h1').length;
    if (h1 !== 1) out.push(`${h1} h1 elements`);
    for (const chart of document.querySelectorAll('.chart')) if (!chart.getAttribute('aria-label')) out.push('unlabelled chart');
    return out;
  });
  expect(problems).toEqual([]);
}
