import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listVendors, loadSpec, root, type Spec } from '../../scripts/lib/vendors.js';

/**
 * The reference site in real Chromium, opened from disk with every non-file request blocked:
 * what a user gets offline. Screenshots go to the git-ignored test-results/docs/.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const site = join(root, '.docs-build');
const shots = join(root, 'test-results', 'docs');
let browser: Browser;
let context: BrowserContext;
const outside: string[] = [];

beforeAll(async () => {
  if (!existsSync(chromiumPath))
    throw new Error(`Chromium not found at ${chromiumPath}: apt-get install -y chromium (.ci/run does)`);
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/docs.ts'], {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
});

/** Each page in a fresh context: pages from disk share one origin, and Redoc keeps state in it. */
async function open(file: string) {
  context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.setDefaultTimeout(10_000);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await page.goto(pathToFileURL(join(site, file)).href);
  return { page, errors };
}

describe.each(listVendors())('the $id reference page', (vendor) => {
  const spec = loadSpec(vendor);
  const operations = Object.values<Spec>(spec.paths).flatMap((item) => Object.values<Spec>(item));

  it('renders offline, lists exactly the spec’s operations, and finds one by search', async () => {
    outside.length = 0;
    const { page, errors } = await open(`${vendor.id}.html`);
    const labels = page.locator('[data-testid="menu-item-label"]');
    await labels.first().waitFor({ timeout: 20_000 });
    const target = operations.at(-1)!;
    const dialog = page.locator('[data-testid="search-dialog"]');
    // Search first: opening a tag navigates, and a navigation closes the search dialog. A click
    // can still be swallowed while the page settles: retry, but never once the dialog is up (a
    // second click would land on its backdrop and close it).
    for (let attempt = 0; attempt < 5 && !(await dialog.isVisible()); attempt++) {
      await page.click('[data-testid="search-trigger"]');
      await dialog.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => undefined);
    }
    await dialog.locator('input').fill(target.summary);
    await expect
      .poll(() => dialog.textContent(), { timeout: 10_000 })
      .toContain(target.summary)
      .catch(async (error: unknown) => {
        await page.screenshot({ path: join(shots, `${vendor.id}-search-failed.png`) });
        throw error;
      });

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });

    // Tags start collapsed, and opening one may close another: open each in turn and collect
    // the operations listed under it.
    const listedByHref = new Map<string, string>();
    for (const tag of await page.locator('[data-testid="menu-item-label"]:has(svg)').allInnerTexts()) {
      const label = page.locator('[data-testid="menu-item-label"]:has(svg)', { hasText: tag }).first();
      const collapsed = () => label.locator('svg[data-component-name*="ChevronRight"]').count();
      // A click can be swallowed while the page is busy: click again until the tag is open.
      for (let attempt = 0; attempt < 5 && (await collapsed()); attempt++) {
        await label.click();
        await expect
          .poll(collapsed, { timeout: 2_000 })
          .toBe(0)
          .catch(() => undefined);
      }
      expect(await collapsed(), `tag ${tag} opens`).toBe(0);
      const entries = await page.$$eval('a:has([data-testid="menu-item-label"])', (links) =>
        links.map((a) => ({ href: a.getAttribute('href') ?? '', text: a.textContent ?? '' })),
      );
      for (const entry of entries) if (entry.href.startsWith('#/')) listedByHref.set(entry.href, entry.text);
    }
    const listed = [...listedByHref.values()];
    expect(listed).toHaveLength(operations.length);
    for (const op of operations)
      expect(
        listed.some((text) => text.startsWith(op.summary)),
        op.operationId,
      ).toBe(true);

    await page.screenshot({ path: join(shots, `${vendor.id}.png`), fullPage: false });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  }, 60_000);
});

it('the index page links every vendor with its package and operation count', async () => {
  outside.length = 0;
  const { page, errors } = await open('index.html');
  const rows = await page.$$eval('tbody tr', (trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim())),
  );
  const expected = listVendors().map((vendor) => {
    const spec = loadSpec(vendor);
    return [spec.info.title, vendor.packageName, String(Object.keys(spec.paths).length), String(spec.info.version)];
  });
  expect(rows).toEqual(expected);
  const links = await page.$$eval('tbody a', (as) => as.map((a) => a.getAttribute('href')));
  expect(links).toEqual(listVendors().map((v) => `${v.id}.html`));
  await page.screenshot({ path: join(shots, 'index.png') });
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});
