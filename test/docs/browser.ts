import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * How long one browser wait may take before it fails, naming what it waited for: a hang guard, not
 * a budget (waits are for conditions), scaled like vitest.config.ts's timeouts by the machine's
 * load when the file starts. Without it a wait that can never be met would only end at the test's
 * timeout, saying nothing about which one it was.
 */
export const HANG_GUARD_MS = Number(process.env.ERRATA_TEST_HANG_MS) || Math.round(240_000 * Math.max(1, loadavg()[0]! / availableParallelism()));

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
  // Waits are for conditions; the guard only turns a hang into a failure that names the wait.
  context.setDefaultTimeout(HANG_GUARD_MS);
  context.setDefaultNavigationTimeout(HANG_GUARD_MS);
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

/** How long a renderer runs between two stops: short, so that it is slowed evenly. */
const QUANTUM_MS = 5;

/**
 * How often the browser is asked for its renderers. A renderer runs unthrottled until it is found
 * (at most this long, plus the browser's answer, or up to 2 s while it is still a zygote child
 * that has not renamed itself), and then pays that head start back: its first stop is rate − 1
 * times all its main thread ran since it was born.
 */
const DISCOVERY_MS = 50;

/** How long a renderer the browser lists may take to qualify (see isRenderer) before the throttle fails. */
const QUALIFY_MS = 2000;

export interface RendererStats {
  pid: number;
  /** Main-thread CPU time the renderer ran while throttled, counting a head start before it was found. */
  ranMs: number;
  /** Wall time it was stopped (SIGSTOP) for. */
  stoppedMs: number;
  /** Main-thread CPU time it took while stopped, beyond the tick the kernel accounts late: taking the signals, nothing else. */
  ranStoppedMs: number;
}

export interface Throttle {
  /** Rejects as soon as the throttle cannot hold (a renderer it may not signal): race the test against it. */
  readonly failed: Promise<never>;
  /**
   * Lets every renderer run freely again, after it has served the stop its last run earned; returns
   * each renderer's run and stopped times. Rejects if the throttle failed.
   */
  stop(): Promise<RendererStats[]>;
}

/**
 * Slows each renderer process of `browser` `rate` times, as on a machine that much slower, until
 * `stop()`. Like DevTools' throttle, which is per tab, each renderer has a cycle of its own: it
 * runs for a few milliseconds, then is stopped (SIGSTOP) for rate − 1 times as long as its main
 * thread ran meanwhile (scheduler time from /proc/<pid>/schedstat), then let go (SIGCONT). Its main
 * thread thus gets at most 1/rate of a core whatever the other tabs do; its other threads stop with
 * it; a stopped process uses no CPU, so six busy tabs at 1/6 share one core. Renderers are looked
 * for on a slower poll of their own (DISCOVERY_MS), not on every cycle.
 *
 * Not DevTools' `Emulation.setCPUThrottlingRate`: on Linux it slows the main thread by making it
 * spin in a signal handler (Chromium's ThreadCPUThrottler::HandleSignal busy-waits), so a tab
 * throttled 6× burns a whole core for as long as it is open, busy or idle (measured: 10 loads of
 * the reference, 165 CPU-seconds of renderer time).
 *
 * Only processes that are renderers (`--type=renderer`) and descendants of this test process are
 * signalled; a renderer the browser reports that does not qualify within QUALIFY_MS fails the
 * throttle (`failed` rejects, `stop()` rejects) instead of letting the test run unthrottled. Every
 * stopped renderer is let go on stop(), on failure and when this process exits.
 */
export async function throttleRenderers(browser: Browser, rate: number): Promise<Throttle> {
  const cdp = await browser.newBrowserCDPSession();
  const cycles = new Map<string, Promise<void>>();
  const stats: RendererStats[] = [];
  const stopped = new Set<number>();
  let running = true;
  let fail!: (error: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => {});
  let failure: unknown;
  const release = () => {
    for (const pid of stopped) signal(pid, 'SIGCONT');
    stopped.clear();
  };
  process.on('exit', release);
  const abort = (error: unknown) => {
    failure ??= error;
    running = false;
    release();
    fail(error);
  };

  /** One renderer's cycle; `since` is where its main-thread time is counted from. */
  const cycle = async (pid: number, born: number, since: number) => {
    const own: RendererStats = { pid, ranMs: 0, stoppedMs: 0, ranStoppedMs: 0 };
    stats.push(own);
    let before = since;
    while (running) {
      const now = mainThreadRunMs(pid, born);
      if (now === undefined) return; // the renderer has exited (a tab closed or navigated away)
      const ran = now - before;
      before = now;
      if (ran > 0) {
        if (!signal(pid, 'SIGSTOP')) return;
        stopped.add(pid);
        own.ranMs += ran;
        const at = performance.now();
        let stopFor = ran * (rate - 1);
        // The kernel adds a running thread's time to schedstat at a tick or when it leaves the
        // core, so the last milliseconds of a run show up only once it is stopped: they are owed
        // too. After that a stopped main thread adds nothing (taking the signal is microseconds);
        // if it keeps adding, the signal did not take and the throttle fails.
        for (let reads = 0; !failure; reads++) {
          // Timers may fire early by the event loop's cached clock: wait until the whole stop has passed.
          for (let left = stopFor; left > 0 && !failure; left = stopFor - (performance.now() - at)) await delay(left);
          const after = mainThreadRunMs(pid, born);
          if (after === undefined) break; // exited while stopped (a tab closed)
          const late = after - before;
          before = after;
          if (late < 0.5) break;
          if (reads > 0) own.ranStoppedMs += late;
          if (reads >= 2) throw new Error(`cannot throttle: renderer ${pid} ran ${Math.round(own.ranStoppedMs)} ms while it was to be stopped (${processState(pid)})`);
          own.ranMs += late;
          stopFor += late * (rate - 1);
        }
        own.stoppedMs += performance.now() - at;
        if (failure) return;
        stopped.delete(pid);
        signal(pid, 'SIGCONT');
      }
      await delay(QUANTUM_MS);
    }
  };

  // Positive answers only are kept: a renderer forked from the zygote shows the zygote's command
  // line until it renames itself.
  const doubtful = new Map<number, number>();
  const discover = async (first: boolean) => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    for (const { id: pid } of processInfo.filter((p) => p.type === 'renderer')) {
      const born = startTime(pid);
      // Gone (or a zombie): it can no longer run, the browser's list is just behind.
      if (born === undefined || cycles.has(`${pid}/${born}`)) continue;
      if (isRenderer(pid) && descendsFrom(pid, process.pid)) {
        doubtful.delete(pid);
        // A renderer already running when the throttle starts is throttled from now on; one found
        // later was born under the throttle and pays for all its main thread has run.
        const since = first ? (mainThreadRunMs(pid, born) ?? 0) : 0;
        cycles.set(`${pid}/${born}`, cycle(pid, born, since).catch(abort));
      } else if (!doubtful.has(pid)) {
        doubtful.set(pid, performance.now());
      } else if (performance.now() - doubtful.get(pid)! > QUALIFY_MS) {
        throw new Error(`cannot throttle: the browser's renderer ${pid} is not a renderer process under ${process.pid}`);
      }
    }
  };
  try {
    await discover(true);
  } catch (error) {
    abort(error);
    process.off('exit', release);
    throw error;
  }
  const discovery = (async () => {
    while (running) {
      await delay(DISCOVERY_MS);
      if (running) await discover(false);
    }
  })().catch(abort);

  return {
    failed,
    async stop() {
      running = false;
      try {
        await discovery;
        await Promise.all(cycles.values());
      } finally {
        release();
        process.off('exit', release);
        await cdp.detach().catch(() => {});
      }
      if (failure) throw failure;
      return stats;
    },
  };
}

/** Sends `sig` to `pid`; false when the process has exited meanwhile. */
function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time of the process's main thread so far, from /proc/<pid>/schedstat (milliseconds);
 * undefined once it has exited, or once its pid belongs to a process born at another time than
 * `born` (pids are reused: pid_max may be 32768). Throws if a live renderer's time cannot be read,
 * rather than let it run unthrottled.
 */
function mainThreadRunMs(pid: number, born: number): number | undefined {
  let schedstat: string;
  try {
    schedstat = readFileSync(`/proc/${pid}/schedstat`, 'utf8');
  } catch (error) {
    if (startTime(pid) === undefined) return undefined;
    throw new Error(`cannot throttle: cannot read renderer ${pid}'s CPU time`, { cause: error });
  }
  return startTime(pid) === born ? Number(schedstat.split(' ')[0]) / 1e6 : undefined;
}

/** The kernel's task flag of a process that is exiting (PF_EXITING, include/linux/sched.h). */
const PF_EXITING = 0x4;

/**
 * When the process started (clock ticks after boot, /proc/<pid>/stat field 22); undefined once it
 * has exited, is a zombie, or is exiting (task flags, field 9). A renderer killed while it is
 * stopped (its tab closed or its process swapped) runs its teardown in the kernel on its main
 * thread, stopped or not: measured, up to 17 ms on a loaded machine, which read as a renderer
 * that ran while it was to be stopped and failed the throttle.
 */
function startTime(pid: number): number | undefined {
  try {
    const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return fields[0] === 'Z' || (Number(fields[6]) & PF_EXITING) !== 0 ? undefined : Number(fields[19]);
  } catch {
    return undefined;
  }
}

/** What the kernel says of the process (state and task flags, /proc/<pid>/stat fields 3 and 9): why a stop did not take. */
function processState(pid: number): string {
  try {
    const fields = statFields(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return `state ${fields[0]}, flags 0x${Number(fields[6]).toString(16)}`;
  } catch {
    return 'gone';
  }
}

/** The fields of /proc/<pid>/stat after `pid (comm)`, from `state` on: the command name may hold spaces and parentheses. */
const statFields = (stat: string) => stat.slice(stat.lastIndexOf(')') + 2).split(' ');

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
    const parent = Number(statFields(stat)[1]);
    if (parent === ancestor) return true;
    at = parent;
  }
  return false;
}
