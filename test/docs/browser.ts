import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Locally a missing Chromium skips the browser tests; in CI (which installs it) they run and fail. */
export const browserMissing = !existsSync(CHROMIUM) && process.env.CI !== 'true';

/** Playwright starts Chromium with a new, empty profile each time. */
export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A page with the network blocked: only the file itself (and inline data) may load. Every other
 * request is aborted and recorded, so a test can assert the page asked for nothing outside.
 */
export async function offlinePage(browser: Browser): Promise<{ page: Page; outside: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // Waits are for conditions; how long a loaded machine may take is the test's timeout alone.
  context.setDefaultTimeout(0);
  context.setDefaultNavigationTimeout(0);
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  return { page, outside };
}
