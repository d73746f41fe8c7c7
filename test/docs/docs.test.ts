import { readFileSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, errata, tempTree } from '../helpers/cli';
import { hostileContract } from '../helpers/hostile';
import { browserAvailable, launch, offlinePage } from './browser';

const ARTEFACTS = path.join(ROOT, 'test-results');

describe.runIf(browserAvailable)('the rendered reference in headless Chromium, offline', () => {
  let browser: Browser;
  let url: string;
  let catalog: { codes: Record<string, { status: number[] }>; operations: Record<string, { method: string; path: string; errors: Record<string, string[]> }> };

  beforeAll(async () => {
    const dir = tempTree({});
    const out = path.join(dir, 'index.html');
    const r = errata(['docs', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    url = pathToFileURL(out).href;
    catalog = JSON.parse(readFileSync(path.join(ROOT, 'generated/catalog.json'), 'utf8'));
    browser = await launch();
  });
  afterAll(async () => browser?.close());

  it('renders the error reference with every catalog code and its status, asking nothing of the network', async () => {
    const { page, outside } = await offlinePage(browser);
    await page.goto(url);
    await page.waitForSelector('#error-QUOTA_EXCEEDED');
    expect(await page.title()).toContain('Picora API');
    for (const [code, entry] of Object.entries(catalog.codes)) {
      const row = page.locator('tr', { has: page.locator(`a[href="#error-${code}"]`) }).first();
      const cells = await row.locator('td').allInnerTexts();
      expect(cells[0], code).toBe(code);
      expect(cells[1], code).toBe(entry.status.join(' / '));
      expect(await page.locator(`[id="error-${code}"]`).count(), code).toBe(1);
    }
    mkdirSync(ARTEFACTS, { recursive: true });
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-reference.png') });
    expect(outside).toEqual([]);
  });

  it('shows an operation\'s possible errors, and a code link there lands on the code', async () => {
    const { page, outside } = await offlinePage(browser);
    await page.goto(`${url}#/images/uploadimage`);
    const upload = catalog.operations.uploadImage!;
    const summary = JSON.parse(readFileSync(path.join(ROOT, 'generated/openapi.json'), 'utf8')).paths[upload.path][upload.method].summary as string;
    const heading = page.locator('h1, h2, h3', { hasText: summary }).first();
    const table = heading.locator('xpath=following::table[.//th[normalize-space()="When"]][1]');
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    const expected = Object.entries(upload.errors).flatMap(([status, codes]) => codes.map((c) => [status, c]));
    expect(rows.map((r) => [r[0], r[1]])).toEqual(expected);
    await table.locator('a[href="#error-QUOTA_EXCEEDED"]').click();
    const target = page.locator('[id="error-QUOTA_EXCEEDED"]');
    await expect.poll(async () => (await target.count()) > 0 && (await target.isVisible()), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => target.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }), { timeout: 10_000 }).toBe(true);
    expect(page.url()).toMatch(/#error-QUOTA_EXCEEDED$/);
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-landed.png') });
    expect(outside).toEqual([]);
  });

  it('a link to #error-CODE opened directly lands on the code', async () => {
    const { page, outside } = await offlinePage(browser);
    await page.goto(`${url}#error-DOC_HASH_DUPLICATE`);
    const target = page.locator('[id="error-DOC_HASH_DUPLICATE"]');
    await expect.poll(() => target.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }).catch(() => false), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('text=No page at this address').count()).toBe(0);
    expect(outside).toEqual([]);
  });

  it('spec strings cannot run script or break the tables', async () => {
    const payload = 'x <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [click](javascript:window.__xss=3) a | b `tick` **bold**';
    const dir = tempTree({ 'openapi.json': hostileContract('HOSTILE_CODE', payload) });
    const r = errata(['docs', '--spec', 'openapi.json', '--out', 'index.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const { page, outside } = await offlinePage(browser);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
    await page.waitForSelector('#error-HOSTILE_CODE');
    const row = page.locator('tr', { has: page.locator('a[href="#error-HOSTILE_CODE"]') }).first();
    expect(await row.locator('td').count()).toBe(4);
    expect(await row.locator('td').nth(2).innerText()).toContain('<script>window.__xss=2</script>');
    const link = page.locator('a', { hasText: 'click' });
    expect(await link.locator('xpath=self::a[starts-with(@href, "javascript")]').count()).toBe(0);
    await page.locator('text=[click](javascript').first().click().catch(() => undefined);
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(outside.filter((u) => !u.endsWith('/x'))).toEqual([]);
    writeFileSync(path.join(dir, 'done'), '');
  });
});

describe.skipIf(browserAvailable)('the rendered reference', () => {
  it.skip(`needs Debian chromium at /usr/bin/chromium (apt-get install -y chromium); CI installs it`, () => {});
});
