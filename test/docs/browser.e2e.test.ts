import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Capabilities } from '@smswire/sms';
import { testedNodeVersions } from '../../scripts/lib/node-versions.js';
import { listVendors, loadSpec, root, type Spec } from '../../scripts/lib/vendors.js';
import { operationsOf } from '../support/clients.js';

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
  await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=@smswire/source', 'scripts/docs.ts'], {
    cwd: root,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off' },
  });
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
}, 300_000);
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

  it('renders offline, lists exactly the spec’s operations, finds one by search, and shows each one’s code sample', async () => {
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

    // Every operation's page shows its TypeScript sample (the first tab): the package's call of it.
    const hrefOf = new Map([...listedByHref].map(([href, text]) => [text, href]));
    for (const { method, op } of operationsOf(spec)) {
      const href = hrefOf.get(`${op.summary}${method}`);
      expect(href, `${op.operationId} is in the menu`).toBeDefined();
      await page.evaluate((hash) => {
        location.hash = hash;
      }, href!);
      await expect
        // Rendered text only: textContent would also find the sample in the spec the page embeds.
        // biome-ignore lint/performance/useDomNodeTextContent: what is shown, not what is in the DOM
        .poll(() => page.evaluate(() => document.body.innerText), { timeout: 10_000 })
        .toContain(`const reply = await client.${op.operationId}(`)
        .catch(async (error: unknown) => {
          await page.screenshot({ path: join(shots, `${vendor.id}-${op.operationId}-no-sample.png`) });
          throw error;
        });
      if (vendor.id === 'sms365' && op.operationId === 'smsSend')
        await page.screenshot({ path: join(shots, 'operation-with-sample.png') });
    }
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  }, 240_000);

  it('opens with links back to the site and how to use the package; the notes on the vendor document come last', async () => {
    const { page, errors } = await open(`${vendor.id}.html`);
    // biome-ignore lint/performance/useDomNodeTextContent: what is shown, not what is in the DOM
    const text = () => page.evaluate(() => document.body.innerText);
    await expect.poll(text, { timeout: 20_000 }).toContain('Usage');
    const shown = await text();
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs).toContain('index.html');
    for (const guide of readdirSync(join(root, 'docs', 'guides')).filter((f) => f.endsWith('.md')))
      expect(hrefs).toContain(`guide-${guide.slice(0, -3)}.html`);
    expect(shown).toContain(`npm install ${vendor.packageName}`);
    // The notes are the last section of the menu, after every tag of operations, and open on their own.
    const labels = await page.locator('[data-testid="menu-item-label"]').allInnerTexts();
    expect(labels.at(-1)).toBe('Notes on the vendor document');
    await page.locator('[data-testid="menu-item-label"]', { hasText: 'Notes on the vendor document' }).click();
    await expect.poll(text, { timeout: 10_000 }).toContain('The judgement calls made on the vendor document');
    expect(shown).not.toContain('Judgement calls made on the vendor document:');
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});

describe('the landing page', () => {
  it('lists every vendor with its reference, package, operations and the capabilities its adapter declares', async () => {
    outside.length = 0;
    const { page, errors } = await open('index.html');
    const rows = await page.$$eval('#vendors ~ .table-scroll table tbody tr', (trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? '')),
    );
    const expected = await Promise.all(
      listVendors().map(async (vendor) => {
        const spec = loadSpec(vendor);
        const ops = String(operationsOf(spec).length);
        const capabilities = await adapterCapabilities(vendor.id);
        const yes = (flag: boolean) => (flag ? 'yes' : 'no');
        return [
          spec.info.title,
          vendor.packageName,
          ops,
          ...(capabilities
            ? [
                yes(true),
                yes(capabilities.schedule),
                yes(capabilities.status),
                yes(capabilities.balance),
                yes(capabilities.reports),
              ]
            : ['vendor package only: no adapter in @smswire/sms yet']),
        ];
      }),
    );
    // Vendor, package, operations, send; then schedule, status, balance and reports (skipping batch).
    expect(rows.map((r) => [...r.slice(0, 4), ...r.slice(5, 8), r[8]?.split(' ')[0] ?? ''].filter(Boolean))).toEqual(
      expected,
    );
    const links = await page.$$eval('#vendors ~ .table-scroll table tbody a', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    expect(links).toEqual(listVendors().map((v) => `${v.id}.html`));

    // The tested Node versions, from the pins CI uses (scripts/test-node-versions.sh).
    const node = (await page.locator('#node + p').textContent()) ?? '';
    for (const pin of testedNodeVersions()) expect(node).toContain(pin.version);

    // Every guide, the @smswire/sms page and the command are linked, and every local link resolves.
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
    for (const guide of readdirSync(join(root, 'docs', 'guides')).filter((f) => f.endsWith('.md')))
      expect(hrefs).toContain(`guide-${guide.slice(0, -3)}.html`);
    expect(hrefs).toContain('sms.html');
    expect(await page.locator('#command').count()).toBe(1);
    for (const href of hrefs.filter((h) => !/^[a-z]+:/i.test(h)))
      expect(existsSync(join(site, href.split('#')[0]!)), href).toBe(true);

    // Redoc's own theme: the page's font is the one its reference pages use.
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(font).toContain('system-ui');
    await page.screenshot({ path: join(shots, 'index.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await context.close();
  });

  it('shows the whole vendor table at 1400 px: inside the window, or scrolling in its own box', async () => {
    const { page } = await open('index.html');
    const fit = await page.evaluate(() => {
      const table = document.querySelector('#vendors ~ * table, #vendors ~ table')!;
      let box: Element | null = table.parentElement;
      while (box && box.tagName !== 'MAIN' && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX))
        box = box.parentElement;
      const scroller = box && box.tagName !== 'MAIN' ? box : undefined;
      return {
        width: document.documentElement.clientWidth,
        table: table.getBoundingClientRect().right,
        scroller: scroller?.getBoundingClientRect().right,
        page: document.documentElement.scrollWidth,
      };
    });
    expect(fit.width).toBe(1400);
    if (fit.table > fit.width) expect(fit.scroller).toBeLessThanOrEqual(fit.width);
    // The page itself never scrolls sideways: nothing is cut off at its edge.
    expect(fit.page).toBeLessThanOrEqual(fit.width);
    await context.close();
  });

  it('and every guide and page beside it render offline', async () => {
    const pages = readdirSync(site).filter(
      (f) => f.endsWith('.html') && !listVendors().some((v) => f === `${v.id}.html`),
    );
    expect(pages.filter((f) => f.startsWith('guide-')).length).toBe(
      readdirSync(join(root, 'docs', 'guides')).filter((f) => f.endsWith('.md')).length,
    );
    for (const file of pages) {
      outside.length = 0;
      const { page, errors } = await open(file);
      expect(await page.locator('main h1').count(), file).toBeGreaterThan(0);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const href of hrefs.filter((h) => !/^[a-z]+:/i.test(h) && !h.startsWith('#')))
        expect(existsSync(join(site, href.split('#')[0]!)), `${file} → ${href}`).toBe(true);
      expect(errors, file).toEqual([]);
      expect(outside, file).toEqual([]);
      await context.close();
    }
  }, 60_000);
});

/** What `@smswire/sms` says its adapter for a vendor can do; undefined when it has none. */
async function adapterCapabilities(id: string): Promise<Capabilities | undefined> {
  if (!existsSync(join(root, 'packages', 'sms', 'src', `${id}.ts`))) return undefined;
  const factory = (await import(`../../packages/sms/src/${id}.ts`))[id] as (options: object) => {
    capabilities: Capabilities;
  };
  return factory({ baseUrl: 'http://vendor.invalid' }).capabilities;
}
