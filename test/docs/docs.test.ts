import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare } from '../../generator/generate';
import type { ErrorContract } from '../../generator/model/types';
import { ROOT, errata, tempTree } from '../helpers/cli';
import { hostileContract } from '../helpers/hostile';
import { CHROMIUM, browserMissing, launch, offlinePage } from './browser';
import { kitchenSink } from './kitchen-sink';

/** Screenshots for a person to look at; test-results/ is not committed. */
const ARTEFACTS = path.join(ROOT, 'test-results');

function inViewport(page: Page, id: string): Promise<boolean> {
  return page
    .locator(`[id="${id}"]`)
    .evaluate((e) => {
      const r = e.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.top < innerHeight;
    })
    .catch(() => false);
}

/** Builds the page for `contract` (JSON text) with the real CLI; returns its file URL. */
function pageFor(contract: string): string {
  const dir = tempTree({ 'openapi.json': contract });
  const r = errata(['docs', '--spec', 'openapi.json', '--out', 'index.html'], dir);
  expect(r.code, r.stderr).toBe(0);
  return pathToFileURL(path.join(dir, 'index.html')).href;
}

/**
 * Resolves once the page shows the code `id` near the top, with the address bar at the code's
 * own address and no 404 page: no time budget, the condition is checked on every frame.
 */
async function landed(page: Page, id: string): Promise<void> {
  await page.waitForFunction(
    (target) => {
      const el = document.getElementById(target);
      if (!el || location.hash !== `#${target}` || document.body.innerText.includes('No page at this address')) return false;
      const top = el.getBoundingClientRect().top;
      return top >= 0 && top < innerHeight / 2;
    },
    id,
    { timeout: 0, polling: 'raf' },
  );
}

/** A code table row's cells as the reader sees them. */
async function visibleCells(page: Page, code: string): Promise<string[]> {
  return page.locator(`tr:has(> td:first-child a[href="#error-${code}"])`).first().locator('td').allInnerTexts();
}

describe.skipIf(browserMissing)('the rendered reference in headless Chromium, offline', () => {
  let browser: Browser;
  let url: string;
  let model: ErrorContract;

  beforeAll(async () => {
    const out = path.join(tempTree({}), 'index.html');
    const r = errata(['docs', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    url = pathToFileURL(out).href;
    ({ model } = await prepare(path.join(ROOT, 'openapi/openapi.yaml')));
    browser = await launch();
    mkdirSync(ARTEFACTS, { recursive: true });
    // A real `errata docs` run; on a loaded CI machine it can take minutes.
  }, 600_000);
  afterAll(async () => browser?.close());

  it('renders the error reference with every catalog code and its status, asking nothing of the network', async () => {
    const { page, outside } = await offlinePage(browser);
    await page.goto(url);
    await page.waitForSelector('#error-QUOTA_EXCEEDED', { state: 'attached' });
    expect(await page.title()).toBe(`${model.title} — API reference`);
    expect(await page.locator('h1, h2', { hasText: /^Error reference$/ }).count()).toBe(1);
    for (const c of model.codes) {
      // The row of the category table, whose first cell links to the code's entry.
      const row = page.locator(`tr:has(> td:first-child a[href="#error-${c.code}"])`);
      expect(await row.count(), c.code).toBe(1);
      const cells = await row.locator('td').allInnerTexts();
      expect(cells.map((t) => t.trim()).slice(0, 2), c.code).toEqual([c.code, c.statuses.join(' / ')]);
      expect(cells[3]?.trim(), c.code).not.toBe('');
      expect(await page.locator(`h3[id="error-${c.code}"]`).innerText(), c.code).toBe(c.code);
    }
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-reference.png') });
    expect(outside).toEqual([]);
  });

  it("shows an operation's possible errors, and a code link there lands on the code", async () => {
    const { page, outside } = await offlinePage(browser);
    const upload = model.operations.find((o) => o.operationId === 'uploadImage')!;
    await page.goto(url);
    // As a reader would: open the operation's tag in the sidebar, then the operation.
    await page.getByText(upload.tags[0]!, { exact: true }).first().click();
    await page.getByText(upload.summary!, { exact: true }).first().click();
    const heading = page.locator('h1, h2', { hasText: upload.summary! }).first();
    const table = heading.locator('xpath=following::*[normalize-space()="Possible errors"][1]/following::table[1]');
    await table.waitFor();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    const expected = upload.errors.flatMap((e) => e.codes.map((code) => [e.status, code]));
    expect(rows.map((r) => [r[0], r[1]])).toEqual(expected);
    expect(rows.every((r) => r.length === 3 && r[2] !== '')).toBe(true);
    await table.locator('a[href="#error-QUOTA_EXCEEDED"]').click();
    await expect.poll(() => inViewport(page, 'error-QUOTA_EXCEEDED'), { timeout: 10_000 }).toBe(true);
    expect(page.url()).toMatch(/#error-QUOTA_EXCEEDED$/);
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-landed.png') });
    expect(outside).toEqual([]);
  });

  it('a link to #error-CODE opened directly lands on the code', async () => {
    const { page, outside } = await offlinePage(browser);
    await page.goto(`${url}#error-DOC_HASH_DUPLICATE`);
    await expect.poll(() => inViewport(page, 'error-DOC_HASH_DUPLICATE'), { timeout: 10_000 }).toBe(true);
    expect(await page.getByText('No page at this address').count()).toBe(0);
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
    await page.waitForSelector('#error-HOSTILE_CODE', { state: 'attached' });
    // The pipe stayed inside its cell: still five cells (Code, Status, Message, Description, How to
    // fix: the contract gives the code a wire message), the payload shown as text in message and description.
    const row = page.locator('tr:has(> td:first-child a[href="#error-HOSTILE_CODE"])');
    const cells = await row.locator('td').allInnerTexts();
    expect(cells).toHaveLength(5);
    for (const cell of [cells[2], cells[3]]) expect(cell).toContain('<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [click](javascript:window.__xss=3) a | b');
    const meta = page.locator('table:has(th code:text-is("meta")) tbody tr').first();
    expect(await meta.locator('td').count()).toBe(4);
    expect(await meta.locator('td').first().innerText()).toContain('<script>window.__xss=2</script>');
    // Nothing from the payload became an element or a script link.
    expect(await page.locator('img[src="x"], [onerror], a[href^="javascript" i]').count()).toBe(0);
    // An injected <script>window.__xss=2</script> would be a script element of its own.
    expect(await page.evaluate(() => [...document.scripts].some((s) => s.textContent?.trim() === 'window.__xss=2'))).toBe(false);
    // Clicking where the link text is shown follows nothing.
    await row.locator('td').nth(2).getByText('[click](javascript:', { exact: false }).click();
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-hostile.png') });
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(outside).toEqual([]);
  });

  it('lands on a code opened directly at its address, 20 of 20 under a 6× CPU throttle, and keeps the address', async () => {
    const codes = model.codes.map((c) => c.code);
    let landings = 0;
    for (let i = 0; i < 20; i++) {
      const code = codes[(i * 7) % codes.length]!;
      const { page, outside } = await offlinePage(browser);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
      // No budget: the load is as slow as the throttle makes it; only the landing is waited for.
      await page.goto(`${url}#error-${code}`, { waitUntil: 'commit', timeout: 0 });
      await landed(page, `error-${code}`);
      expect(page.url(), code).toBe(`${url}#error-${code}`);
      expect(outside).toEqual([]);
      landings++;
      await page.context().close();
    }
    expect(landings).toBe(20);
  }, 1_800_000);

  it('lands when the hash changes: while the page is still loading, on the open page, and back through history', async () => {
    const { page, outside } = await offlinePage(browser);
    // Set before Redoc has started (the router marks the history entry with `idx` when it starts).
    await page.goto(url, { waitUntil: 'commit' });
    const early = await page.evaluate(() => {
      const started = history.state?.idx != null;
      location.hash = '#error-RATE_LIMITED';
      return started;
    });
    expect(early).toBe(false);
    await landed(page, 'error-RATE_LIMITED');
    await page.evaluate(() => (location.hash = '#error-NOT_FOUND'));
    await landed(page, 'error-NOT_FOUND');
    await page.goBack();
    await landed(page, 'error-RATE_LIMITED');
    expect(await page.getByText('No page at this address').count()).toBe(0);
    expect(outside).toEqual([]);
  }, 600_000);

  it('links codes and operations both ways, and Redoc\'s search box finds a code in the reference', async () => {
    const { page, outside } = await offlinePage(browser);
    const upload = model.operations.find((o) => o.operationId === 'uploadImage')!;
    await page.goto(`${url}#error-QUOTA_EXCEEDED`);
    await landed(page, 'error-QUOTA_EXCEEDED');
    // "Returned by" under the code links to the operation's page in Redoc.
    await page.locator('[id="error-QUOTA_EXCEEDED"]').locator(`xpath=following::a[@href="#operation/${upload.operationId}"][1]`).click();
    await page.waitForFunction(() => location.hash.startsWith('#/images/uploadimage'), null, { timeout: 0, polling: 'raf' });
    const possible = page.locator('h1, h2', { hasText: upload.summary! }).first().locator('xpath=following::*[normalize-space()="Possible errors"][1]');
    await possible.waitFor();
    await possible.scrollIntoViewIfNeeded();
    await page.evaluate(() => scrollBy(0, -80));
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-operation-errors.png') });
    // …and the operation's table links back to the code.
    await possible.locator('xpath=following::table[1]').locator('a[href="#error-QUOTA_EXCEEDED"]').click();
    await landed(page, 'error-QUOTA_EXCEEDED');
    // Redoc indexes the reference's text: searching a code lists the reference among the results.
    await page.locator('[data-testid="search-trigger"]').first().click();
    await page.keyboard.type('DOC_HASH_DUPLICATE');
    const hit = page.locator('[data-testid="search-dialog"] a[href="#/"]', { hasText: 'DOC_HASH_DUPLICATE' });
    await hit.first().waitFor();
    expect(await hit.count()).toBeGreaterThan(0);
    expect(outside).toEqual([]);
  }, 600_000);

  it('shows each field escaped once: code spans, ampersands, pipes, backticks and Markdoc tags read as written', async () => {
    const fix = 'Use `Authorization: Bearer <key>`. Then `a && b` | a && b | <key> | ``x ` y`` {% if false %}kept{% /if %}';
    const description = 'Pipes `a|b` and a | b; tags {% if false %}kept{% /if %}:\n\n```\n{% if false %}fenced{% /if %} <key>\n```';
    const contract = JSON.parse(hostileContract('SHOWN_CODE', 'plain')) as Record<string, any>;
    contract['x-errata'].catalog.codes.SHOWN_CODE = { ...contract['x-errata'].catalog.codes.SHOWN_CODE, description, fix, notes: 'n `<b>` && {% x %}', since: 'v1' };
    const { page, outside } = await offlinePage(browser);
    await page.goto(`${pageFor(JSON.stringify(contract))}#error-SHOWN_CODE`);
    await landed(page, 'error-SHOWN_CODE');
    const cells = await visibleCells(page, 'SHOWN_CODE');
    // Code, Status, Message, Description, How to fix: the contract gives the code a wire message.
    expect(cells[2]).toBe('plain');
    expect(cells[4]).toBe('Use Authorization: Bearer <key>. Then a && b | a && b | <key> | x ` y {% if false %}kept{% /if %}');
    const entry = await page.locator('[id="error-SHOWN_CODE"]').locator('xpath=following::*[normalize-space()="How to fix:"][1]/following-sibling::*[1]').innerText();
    expect(entry).toBe('Use Authorization: Bearer <key>. Then a && b | a && b | <key> | x ` y {% if false %}kept{% /if %}');
    const body = await page.locator('#redoc').innerText();
    expect(body).toContain('Pipes a|b and a | b; tags {% if false %}kept{% /if %}:');
    expect(body).toContain('{% if false %}fenced{% /if %} <key>');
    expect(body).toContain('Note: n <b> && {% x %}');
    expect(body).not.toMatch(/&(?:lt|gt|amp);/);
    expect(outside).toEqual([]);
  }, 600_000);

  it('runs no script and loads nothing from outside on a page built from a hostile contract, on every route', async () => {
    const payload = (field: string) =>
      `${field} <script>window.__pwned="${field}"</script><iframe srcdoc="<script>parent.__pwned='${field}'</script>"></iframe>` +
      `<img src=x onerror="window.__pwned='${field}'"><img src="https://img.evil.invalid/${field}"> [link](javascript:window.__pwned=1)` +
      `<a href="javascript:window.__pwned=1">a</a><div style="background:url(https://css.evil.invalid/x)">d</div><svg onload="window.__pwned=1"></svg>` +
      `{% if false %}MARKDOC{% /if %}`;
    const page0 = pageFor(kitchenSink(payload));
    const { page, outside } = await offlinePage(browser);
    const events: string[] = [];
    page.on('dialog', (d) => {
      events.push(`dialog ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/pwned/i.test(m.text())) events.push(`console ${m.text()}`);
    });
    page.on('pageerror', (e) => events.push(`error ${e.message}`));
    await page.goto(page0);
    await page.waitForSelector('#error-KITCHEN_SINK', { state: 'attached' });
    // Every route Redoc links to, found by walking its links from the first page.
    const seen = new Set<string>(['#/']);
    const queue = ['#/'];
    const routes: string[] = [];
    while (queue.length) {
      const route = queue.shift()!;
      routes.push(route);
      await page.goto(`${page0}${route}`);
      await page.waitForFunction(() => document.querySelector('#redoc [data-section-id]') !== null, null, { timeout: 0, polling: 'raf' });
      const links = await page.$$eval('#redoc a[href]', (as) => as.map((a) => a.getAttribute('href')!));
      for (const l of links) {
        const hash = l.startsWith('#/') ? l.split('#').slice(0, 2).join('#') : l.startsWith('/') ? `#${l}` : undefined;
        if (hash && !seen.has(hash)) {
          seen.add(hash);
          queue.push(hash);
        }
      }
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), route).toBeUndefined();
    }
    expect(routes).toEqual(expect.arrayContaining(['#/', '#/things', '#/things/postthing']));
    await page.goto(`${page0}#error-KITCHEN_SINK`);
    await landed(page, 'error-KITCHEN_SINK');
    expect(await page.getByText('MARKDOC').count()).toBeGreaterThan(0);
    expect(await page.locator('#redoc iframe, #redoc [onerror], #redoc [onload], #redoc a[href^="javascript" i]').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(events).toEqual([]);
    expect(outside).toEqual([]);
  }, 600_000);

  it('has a Content-Security-Policy that lets Redoc run but no other inline script', async () => {
    const { page, outside } = await offlinePage(browser);
    const violations: string[] = [];
    await page.exposeFunction('__violation', (v: string) => violations.push(v));
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __violation: (v: string) => void }).__violation(`${e.violatedDirective} ${e.blockedURI}`)));
    await page.goto(`${url}#error-INTERNAL`);
    await landed(page, 'error-INTERNAL');
    // Redoc probes for a search worker with `Function`; the policy refuses and Redoc searches in the page.
    expect(violations.filter((v) => v !== 'script-src eval')).toEqual([]);
    const injected = await page.evaluate(
      () =>
        new Promise<[string, unknown]>((resolve) => {
          // Only the refusal of this inline script: Redoc's own eval probe may report at any time.
          const onViolation = (e: SecurityPolicyViolationEvent) => {
            if (e.blockedURI !== 'inline') return;
            document.removeEventListener('securitypolicyviolation', onViolation);
            resolve([e.violatedDirective.replace(/-elem$/, ''), (window as unknown as { __injected?: number }).__injected]);
          };
          document.addEventListener('securitypolicyviolation', onViolation);
          const s = document.createElement('script');
          s.textContent = 'window.__injected = 1';
          document.body.append(s);
        }),
    );
    // Chromium names the directive script-src-elem or script-src, depending on which it matched.
    expect(injected).toEqual(['script-src', undefined]);
    expect(outside).toEqual([]);
  }, 600_000);

  it('takes screenshots of the error reference and a category table for a reviewer', async () => {
    const { page } = await offlinePage(browser);
    await page.goto(`${url}#/section/error-reference`);
    const heading = page.locator('h1, h2', { hasText: /^Error reference$/ }).first();
    await heading.waitFor();
    await page.waitForFunction(() => history.state?.idx != null, null, { timeout: 0, polling: 'raf' });
    await heading.evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-error-reference.png') });
    const category = page.locator('h2', { hasText: 'Permission errors' }).first();
    await category.evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-category-table.png') });
  }, 600_000);
});

// Registered only when skipping, so a run with Chromium reports no skipped test.
if (browserMissing) {
  describe('the rendered reference in headless Chromium', () => {
    it.skip(`skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium); in CI (CI=true) this fails instead`, () => {});
  });
}
