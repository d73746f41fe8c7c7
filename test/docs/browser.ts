import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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
 * A browser context with the network blocked: only files (and inline data) may load. Every other
 * request is aborted and recorded, so a test can assert the page asked for nothing outside.
 */
export async function offlineContext(browser: Browser): Promise<{ context: BrowserContext; outside: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  // Waits are for conditions; how long a loaded machine may take is the test's timeout alone.
  context.setDefaultTimeout(0);
  context.setDefaultNavigationTimeout(0);
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:') || url === 'about:blank') return route.continue();
    outside.push(url);
    return route.abort();
  });
  return { context, outside };
}

/** A page of its own offline context (see offlineContext). */
export async function offlinePage(browser: Browser): Promise<{ page: Page; outside: string[] }> {
  const { context, outside } = await offlineContext(browser);
  return { page: await context.newPage(), outside };
}

/** How long renderers run between two stops: short, so that they are slowed evenly. */
const QUANTUM_MS = 5;

export interface Throttle {
  /**
   * Lets every renderer run freely again; returns how long their main threads ran (the most of any
   * renderer per period) and how long they were stopped.
   */
  stop(): Promise<{ ranMs: number; stoppedMs: number; renderers: number }>;
}

/**
 * Slows every renderer process of `browser` `rate` times, as on a machine that much slower, until
 * `stop()`: the renderers run for a few milliseconds, then are stopped (SIGSTOP) for rate − 1 times
 * as long as the busiest main thread among them ran meanwhile, then let go (SIGCONT). A main thread
 * thus gets at most 1/rate of a core, like DevTools' throttle; the renderer's other threads stop
 * with it; and a stopped process uses no CPU: six busy tabs at 1/6 share one core.
 *
 * Not DevTools' `Emulation.setCPUThrottlingRate`: on Linux it slows the main thread by making it
 * spin in a signal handler (Chromium's ThreadCPUThrottler::HandleSignal busy-waits), so a tab
 * throttled 6× burns a whole core for as long as it is open, busy or idle (measured: 10 loads of
 * the reference, 165 CPU-seconds of renderer time).
 *
 * Only processes that are renderers (`--type=renderer`) and descendants of this test process are
 * signalled; a renderer the browser reports that does not qualify within 2 s fails the throttle
 * (stop() rejects) instead of letting the test run unthrottled.
 */
export async function throttleRenderers(browser: Browser, rate: number): Promise<Throttle> {
  const cdp = await browser.newBrowserCDPSession();
  // Positive answers only are kept: a renderer forked from the zygote shows the zygote's command
  // line until it renames itself.
  const mine = new Set<number>();
  const doubtful = new Map<number, number>();
  const renderers = async () => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    const listed = processInfo.filter((p) => p.type === 'renderer').map((p) => p.id);
    for (const pid of listed) {
      if (mine.has(pid)) continue;
      if (isRenderer(pid) && descendsFrom(pid, process.pid)) {
        mine.add(pid);
        doubtful.delete(pid);
      } else if (performance.now() - (doubtful.get(pid) ?? (doubtful.set(pid, performance.now()), performance.now())) > 2000) {
        throw new Error(`cannot throttle: the browser's renderer ${pid} is not a renderer process under ${process.pid}`);
      }
    }
    return listed.filter((pid) => mine.has(pid));
  };
  let stopped: number[] = [];
  const signal = (pids: number[], sig: NodeJS.Signals) => {
    for (const pid of pids) {
      try {
        process.kill(pid, sig);
      } catch {
        // The renderer has exited meanwhile (a tab closed).
      }
    }
  };
  // A stopped renderer must never outlive a failed run.
  const release = () => signal(stopped, 'SIGCONT');
  process.on('exit', release);
  let running = true;
  let ranMs = 0;
  let stoppedMs = 0;
  let failure: unknown;
  const seen = new Set<number>();
  const loop = (async () => {
    let before = new Map<number, number>();
    while (running) {
      const pids = await renderers();
      await delay(QUANTUM_MS);
      // What each main thread ran since it was let go (scheduler nanoseconds, not wall time: on a
      // busy machine a renderer that waited for a core is not made to wait again).
      const after = new Map(pids.map((pid) => [pid, mainThreadRunMs(pid)]));
      const ran = Math.max(0, ...pids.map((pid) => after.get(pid)! - (before.get(pid) ?? after.get(pid)!)));
      stopped = pids;
      signal(stopped, 'SIGSTOP');
      for (const pid of pids) seen.add(pid);
      const stopAt = performance.now();
      ranMs += ran;
      if (ran > 0) await delay(ran * (rate - 1));
      release();
      stopped = [];
      stoppedMs += performance.now() - stopAt;
      before = after;
    }
  })().catch((error: unknown) => {
    failure = error;
  });
  return {
    async stop() {
      running = false;
      try {
        await loop;
      } finally {
        release();
        process.off('exit', release);
        await cdp.detach().catch(() => {});
      }
      if (failure) throw failure;
      return { ranMs, stoppedMs, renderers: seen.size };
    },
  };
}

/** CPU time of the process's main thread so far, from /proc/<pid>/schedstat (nanoseconds). */
function mainThreadRunMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return 0;
  }
}

function isRenderer(pid: number): boolean {
  try {
    // A zygote child renames itself: its arguments become one string, separated by spaces.
    return /(?:^|[\0 ])--type=renderer(?:[\0 ]|$)/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** Whether `ancestor` is among the parents of `pid` (read from /proc/<pid>/stat). */
function descendsFrom(pid: number, ancestor: number): boolean {
  for (let at = pid, hops = 0; at > 1 && hops < 10; hops++) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${at}/stat`, 'utf8');
    } catch {
      return false;
    }
    // `pid (comm) state ppid …`: the command name may hold spaces and parentheses.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (parent === ancestor) return true;
    at = parent;
  }
  return false;
}
