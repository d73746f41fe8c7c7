import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepare } from '../../generator/generate';
import type { ErrorContract } from '../../generator/model/types';
import { ROOT } from '../helpers/cli';
import { hostileContract } from '../helpers/hostile';
import { CHROMIUM, HANG_GUARD_MS, browserMissing, launch, offlineContext } from './browser';
import { kitchenSink } from './kitchen-sink';
import { build, landed } from './pages';

/**
 * The rendered reference in headless Chromium, offline. A page load of Redoc's 2.3 MB bundle costs
 * about two CPU-seconds, so each page is built once (concurrently) and loaded as few times as the
 * behaviour under test allows: one tab reads the Picora page for every test that does not need a
 * fresh load. Landing on a code under throttled renderers is test/docs/landing.test.ts, a file of
 * its own so that it runs on the other test worker beside this one.
 */

/** Screenshots for a person to look at; test-results/ is not committed. */
const ARTEFACTS = path.join(ROOT, 'test-results');

/**
 * Shows a section of the reference by its route (`#/error-reference/permission-errors`) and
 * resolves once its heading is on the page: Redoc renders a page's sections as they come into
 * view, so a section is looked at by going to it, as a reader would.
 */
async function showSection(page: Page, slug: string): Promise<void> {
  const route = `/error-reference/${slug}`;
  await page.evaluate((r) => (location.hash = `#${r}`), route);
  await page.waitForFunction((r) => document.getElementById(r) !== null, route, { timeout: HANG_GUARD_MS, polling: 'raf' });
}

/** A category's route: its title as Redoc makes a route of a heading. */
const slugOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** A code table row (the one whose first cell links to the code) as the reader sees its cells. */
function row(page: Page, code: string) {
  return page.locator(`tr:has(> td:first-child a[href="#error-${code}"])`).first();
}

/** The hostile page: HOSTILE_CODE (a payload in every catalog field) and SHOWN_CODE (escaping) beside the kitchen sink. */
const PAYLOAD = 'x <img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [click](javascript:window.__xss=3) a | b `tick` **bold**';
const SHOWN = {
  fix: 'Use `Authorization: Bearer <key>`. Then `a && b` | a && b | <key> | ``x ` y`` {% if false %}kept{% /if %}',
  description: 'Pipes `a|b` and a | b; tags {% if false %}kept{% /if %}:\n\n```\n{% if false %}fenced{% /if %} <key>\n```',
  notes: 'n `<b>` && {% x %}',
};
const sinkPayload = (field: string) =>
  `${field} <script>window.__pwned="${field}"</script><iframe srcdoc="<script>parent.__pwned='${field}'</script>"></iframe>` +
  `<img src=x onerror="window.__pwned='${field}'"><img src="https://img.evil.invalid/${field}"> [link](javascript:window.__pwned=1)` +
  `<a href="javascript:window.__pwned=1">a</a><div style="background:url(https://css.evil.invalid/x)">d</div><svg onload="window.__pwned=1"></svg>` +
  `{% if false %}MARKDOC{% /if %}`;

function hostilePageContract(): string {
  const sink = JSON.parse(kitchenSink(sinkPayload)) as Record<string, any>;
  const hostile = JSON.parse(hostileContract('HOSTILE_CODE', PAYLOAD)) as Record<string, any>;
  const catalog = sink['x-errata'].catalog;
  const entry = hostile['x-errata'].catalog.codes.HOSTILE_CODE;
  catalog.categories.push({ id: 'hostile', title: 'Hostile' }, { id: 'shown', title: 'Shown' });
  catalog.codes.HOSTILE_CODE = { ...entry, category: 'hostile' };
  catalog.codes.SHOWN_CODE = { status: 400, category: 'shown', message: 'plain', since: 'v1', ...SHOWN };
  sink.paths['/things/{id}'].post.responses['400']['x-errata-codes'].push('HOSTILE_CODE', 'SHOWN_CODE');
  return JSON.stringify(sink);
}

// Hang guards only: every wait is for a condition. A loaded machine may take minutes.
describe.skipIf(browserMissing)('the rendered reference in headless Chromium, offline', { timeout: 4 * HANG_GUARD_MS }, () => {
  let browser: Browser;
  let model: ErrorContract;
  let pages: { picora: string; hostile: string };
  /** The Picora page, opened once at a code's address and shared by the tests that read it. */
  let reader: { page: Page; outside: string[]; violations: string[]; opened: { url: string; landed: boolean } } | undefined;

  beforeAll(async () => {
    mkdirSync(ARTEFACTS, { recursive: true });
    const [picora, hostile, prepared, launched] = await Promise.all([
      build({ spec: path.join(ROOT, 'openapi/openapi.yaml') }),
      build(hostilePageContract()),
      prepare(path.join(ROOT, 'openapi/openapi.yaml')),
      launch(),
    ]);
    pages = { picora, hostile };
    model = prepared.model;
    browser = launched;
  }, 4 * HANG_GUARD_MS);
  afterAll(async () => browser?.close());

  /** The shared Picora tab: opened directly at DOC_HASH_DUPLICATE's address, with CSP violations recorded from the start. */
  async function picora(): Promise<NonNullable<typeof reader>> {
    if (reader) return reader;
    const { context, outside } = await offlineContext(browser);
    const page = await context.newPage();
    const violations: string[] = [];
    await page.exposeFunction('__violation', (v: string) => violations.push(v));
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => (window as unknown as { __violation: (v: string) => void }).__violation(`${e.violatedDirective} ${e.blockedURI}`)));
    await page.goto(`${pages.picora}#error-DOC_HASH_DUPLICATE`);
    await landed(page, 'DOC_HASH_DUPLICATE');
    reader = { page, outside, violations, opened: { url: page.url(), landed: true } };
    return reader;
  }

  it('opens the Picora reference at a code\'s address and lists every code with its status and its own heading', async () => {
    const { page, outside, opened } = await picora();
    expect(opened).toEqual({ url: `${pages.picora}#error-DOC_HASH_DUPLICATE`, landed: true });
    expect(await page.title()).toBe(`${model.title} — API reference`);
    expect(await page.getByText('No page at this address').count()).toBe(0);
    for (const category of model.categories) {
      const codes = model.codes.filter((c) => c.category === category.id);
      if (!codes.length) continue;
      await showSection(page, slugOf(category.title));
      // Every row of the section at once, once each is shown (a round trip per code costs seconds
      // on a loaded machine).
      const shown = await page.waitForFunction(
        (codes) => {
          const rows = codes.map((code) => [...(document.querySelector(`tr:has(> td:first-child a[href="#error-${code}"])`)?.querySelectorAll(':scope > td') ?? [])].map((td) => (td as HTMLElement).innerText.trim()));
          return rows.every((r) => r[0]) && rows;
        },
        codes.map((c) => c.code),
        { timeout: HANG_GUARD_MS, polling: 'raf' },
      );
      const rows = (await shown.jsonValue()) as string[][];
      for (const [i, c] of codes.entries()) {
        expect(rows[i]!.slice(0, 2), c.code).toEqual([c.code, c.statuses.join(' / ')]);
        expect(rows[i]![3], c.code).not.toBe('');
      }
    }
    // Each code's heading is a Markdown heading, with a route (and a sidebar entry) of its own.
    const routes = new Set(await page.$$eval('a[href^="#/error-reference/error-"]', (as) => as.map((a) => a.getAttribute('href'))));
    for (const c of model.codes) expect(routes.has(`#/error-reference/error-${c.code.toLowerCase()}`), c.code).toBe(true);
    expect(outside).toEqual([]);
  });

  it('takes screenshots of the error reference, one category table and one operation\'s errors for a reviewer', async () => {
    const { page } = await picora();
    await page.evaluate(() => (location.hash = '#/error-reference'));
    await page.getByText('Every error response has the same', { exact: false }).first().waitFor();
    await page.locator('h1, h2', { hasText: /^Error reference$/ }).first().evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-error-reference.png') });
    await showSection(page, 'permission-errors');
    await page.locator('[id="/error-reference/permission-errors"]').evaluate((h) => h.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-category-table.png') });
    // An operation's page, as a reader gets there: its tag, then the operation, in the sidebar.
    const upload = model.operations.find((o) => o.operationId === 'uploadImage')!;
    await page.getByText(upload.tags[0]!, { exact: true }).first().click();
    await page.getByText(upload.summary!, { exact: true }).first().click();
    const possible = page.locator('h1, h2', { hasText: upload.summary! }).first().locator('xpath=following::*[normalize-space()="Possible errors"][1]');
    await possible.waitFor();
    await possible.scrollIntoViewIfNeeded();
    await page.evaluate(() => scrollBy(0, -80));
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-operation-errors.png') });
  });

  it('links codes and operations both ways', async () => {
    const { page, outside } = await picora();
    const upload = model.operations.find((o) => o.operationId === 'uploadImage')!;
    await page.evaluate(() => (location.hash = '#error-QUOTA_EXCEEDED'));
    await landed(page, 'QUOTA_EXCEEDED');
    // "Returned by" under the code links to the operation's page in Redoc…
    await page.locator('[id="error-QUOTA_EXCEEDED"]').locator(`xpath=following::a[@href="#operation/${upload.operationId}"][1]`).click();
    await page.waitForFunction(() => location.hash.startsWith('#/images/uploadimage'), null, { timeout: HANG_GUARD_MS, polling: 'raf' });
    const table = page.locator('h1, h2', { hasText: upload.summary! }).first().locator('xpath=following::*[normalize-space()="Possible errors"][1]/following::table[1]');
    await table.waitFor();
    // …whose "Possible errors" table lists every code the operation declares, and links back.
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())));
    expect(rows.map((r) => [r[0], r[1]])).toEqual(upload.errors.flatMap((e) => e.codes.map((code) => [e.status, code])));
    expect(rows.every((r) => r.length === 3 && r[2] !== '')).toBe(true);
    await table.locator('a[href="#error-QUOTA_EXCEEDED"]').click();
    await landed(page, 'QUOTA_EXCEEDED');
    expect(outside).toEqual([]);
  });

  it('finds a code with Redoc\'s search box, and the hit lands on the code', async () => {
    const { page, outside } = await picora();
    await page.evaluate(() => (location.hash = '#/'));
    await page.locator('[data-testid="search-trigger"]').first().click();
    await page.keyboard.type('DOC_HASH_DUPLICATE');
    // The code's own entry, first: its heading is the hit's title.
    const hit = page.locator('[data-testid="search-dialog"] a').first();
    await expect.poll(() => hit.getAttribute('href'), { timeout: HANG_GUARD_MS }).toBe('#/error-reference/error-doc_hash_duplicate');
    await page.screenshot({ path: path.join(ARTEFACTS, 'docs-search.png') });
    await hit.click();
    await page.waitForFunction(
      () => {
        const el = document.getElementById('error-DOC_HASH_DUPLICATE');
        const top = el?.getBoundingClientRect().top ?? -1;
        return top >= 0 && top < innerHeight / 2 && !document.querySelector('[data-testid="search-dialog"]');
      },
      null,
      { timeout: HANG_GUARD_MS, polling: 'raf' },
    );
    expect(outside).toEqual([]);
  });

  it('has a Content-Security-Policy that lets Redoc run but no other inline script', async () => {
    const { page, outside, violations } = await picora();
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
  });

  describe('a page built from hostile strings', () => {
    let page: Page;
    let outside: string[];
    const events: string[] = [];
    beforeAll(async () => {
      const offline = await offlineContext(browser);
      outside = offline.outside;
      page = await offline.context.newPage();
      page.on('dialog', (d) => {
        events.push(`dialog ${d.message()}`);
        void d.dismiss();
      });
      page.on('console', (m) => {
        if (/pwned|xss/i.test(m.text())) events.push(`console ${m.text()}`);
      });
      page.on('pageerror', (e) => events.push(`error ${e.message}`));
      await page.goto(`${pages.hostile}#error-HOSTILE_CODE`);
      await landed(page, 'HOSTILE_CODE');
    }, 4 * HANG_GUARD_MS);

    it('keeps spec strings from running script or breaking the tables', async () => {
      await showSection(page, 'hostile');
      // The pipe stayed inside its cell: still five cells (Code, Status, Message, Description, How to fix).
      const cells = await row(page, 'HOSTILE_CODE').locator('td').allInnerTexts();
      expect(cells).toHaveLength(5);
      for (const cell of [cells[2], cells[3]]) expect(cell).toContain('<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> [click](javascript:window.__xss=3) a | b');
      await page.evaluate(() => (location.hash = '#error-HOSTILE_CODE'));
      await landed(page, 'HOSTILE_CODE');
      const meta = page.locator('[id="error-HOSTILE_CODE"]').locator('xpath=following::table[1]').locator('tbody tr').first();
      expect(await meta.locator('td').count()).toBe(4);
      expect(await meta.locator('td').first().innerText()).toContain('<script>window.__xss=2</script>');
      expect(await page.locator('img[src="x"], [onerror], a[href^="javascript" i]').count()).toBe(0);
      // An injected <script>window.__xss=2</script> would be a script element of its own.
      expect(await page.evaluate(() => [...document.scripts].some((s) => s.textContent?.trim() === 'window.__xss=2'))).toBe(false);
      // Clicking where the link text is shown follows nothing.
      await showSection(page, 'hostile');
      await row(page, 'HOSTILE_CODE').locator('td').nth(2).getByText('[click](javascript:', { exact: false }).click();
      await row(page, 'HOSTILE_CODE').scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(ARTEFACTS, 'docs-hostile.png') });
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(outside).toEqual([]);
    });

    it('shows each field escaped once: code spans, ampersands, pipes, backticks and Markdoc tags read as written', async () => {
      await showSection(page, 'shown');
      const cells = await row(page, 'SHOWN_CODE').locator('td').allInnerTexts();
      const shownFix = 'Use Authorization: Bearer <key>. Then a && b | a && b | <key> | x ` y {% if false %}kept{% /if %}';
      expect(cells[2]).toBe('plain');
      expect(cells[4]).toBe(shownFix);
      await page.evaluate(() => (location.hash = '#error-SHOWN_CODE'));
      await landed(page, 'SHOWN_CODE');
      const entry = await page.locator('[id="error-SHOWN_CODE"]').locator('xpath=following::*[normalize-space()="How to fix:"][1]/following-sibling::*[1]').innerText();
      expect(entry).toBe(shownFix);
      const body = await page.locator('#redoc').innerText();
      expect(body).toContain('Pipes a|b and a | b; tags {% if false %}kept{% /if %}:');
      expect(body).toContain('{% if false %}fenced{% /if %} <key>');
      expect(body).toContain('Note: n <b> && {% x %}');
      expect(body).not.toMatch(/&(?:lt|gt|amp);/);
      expect(outside).toEqual([]);
    });

    it('runs no script and loads nothing from outside, on every route', async () => {
      // Every route Redoc links to, found by walking its links from the first page. Each is shown
      // by going to it in the open page, as a reader following a link would (a change of the hash
      // alone is no new load: page.goto did the same), and is checked once its own section is on
      // the page, not while the route before it is still shown.
      const seen = new Set<string>(['#/']);
      const queue = ['#/'];
      const routes: string[] = [];
      while (queue.length) {
        const route = queue.shift()!;
        routes.push(route);
        await page.evaluate((r) => (location.hash = r), route);
        await page.waitForFunction((r) => decodeURIComponent(location.hash) === decodeURIComponent(r) && document.querySelector(`#redoc [data-section-id="${CSS.escape(decodeURIComponent(r.slice(1)))}"]`) !== null, route, { timeout: HANG_GUARD_MS, polling: 'raf' });
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
      // The contract groups its tags (x-tagGroups): the reference has a group of its own.
      expect(routes).toEqual(expect.arrayContaining(['#/', '#/things', '#/things/postthing', '#/error-reference', '#/error-reference/error-kitchen_sink']));
      await page.goto(`${pages.hostile}#error-KITCHEN_SINK`);
      await landed(page, 'KITCHEN_SINK');
      expect(await page.getByText('MARKDOC').count()).toBeGreaterThan(0);
      expect(await page.locator('#redoc iframe, #redoc [onerror], #redoc [onload], #redoc a[href^="javascript" i]').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(events).toEqual([]);
      expect(outside).toEqual([]);
    });
  });
});

// Registered only when skipping, so a run with Chromium reports no skipped test.
if (browserMissing) {
  describe('the rendered reference in headless Chromium', () => {
    it.skip(`skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium-headless-shell); in CI (CI=true) this fails instead`, () => {});
  });
}
