import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { docs } from '../../generator/index';
import { tempTree } from '../helpers/cli';
import { HANG_GUARD_MS } from './browser';

/**
 * Builds `contract` (JSON text, or a spec file's path) into a page through errata's programmatic
 * `docs` (test/docs/reference.test.ts runs the CLI); returns its file URL.
 */
export async function build(contract: string | { spec: string }): Promise<string> {
  const dir = tempTree(typeof contract === 'string' ? { 'openapi.json': contract } : {});
  const { out } = await docs({ spec: typeof contract === 'string' ? path.join(dir, 'openapi.json') : contract.spec, out: path.join(dir, 'index.html') });
  return pathToFileURL(out).href;
}

/**
 * Resolves once the page shows the code near the top, with the address bar at the code's own
 * address: no time budget, the condition is checked on every frame. Rejects as soon as Redoc shows
 * its 404 page ("No page at this address"), which a code's address must never lead to, so a
 * broken landing fails at once instead of waiting for the test's timeout.
 */
export async function landed(page: Page, code: string): Promise<void> {
  const seen = await page
    .waitForFunction(
      (target) => {
        // Redoc's not-found page (its class name): cheaper to look for on every frame than its text.
        if (document.querySelector('.not-found-page')) return `Redoc's 404 page at ${location.hash}: ${document.querySelector('.not-found-page')!.textContent}`;
        const el = document.getElementById(target);
        if (!el || location.hash !== `#${target}`) return false;
        const top = el.getBoundingClientRect().top;
        return top >= 0 && top < innerHeight / 2 && 'landed';
      },
      `error-${code}`,
      { timeout: HANG_GUARD_MS, polling: 'raf' },
    )
    .catch(async (error: unknown) => {
      // What the page showed when the guard gave up: which part of the condition never held, and
      // enough to tell why: whether the page could scroll the code any higher (scrollY against
      // maxScrollY), where the code sits on the page, and whether Redoc's router had started (it
      // marks the history entry with `idx`).
      const state = await page.evaluate((target) => {
        const el = document.getElementById(target);
        const top = el?.getBoundingClientRect().top;
        const maxScrollY = document.documentElement.scrollHeight - innerHeight;
        return { hash: location.hash, found: el !== null, top, pageTop: top === undefined ? undefined : top + scrollY, innerHeight, scrollY, maxScrollY, routerIdx: (history.state as { idx?: number } | null)?.idx ?? null };
      }, `error-${code}`);
      throw new Error(`${code} never landed: ${JSON.stringify(state)}`, { cause: error });
    });
  expect(await seen.jsonValue(), code).toBe('landed');
}
