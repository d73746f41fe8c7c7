import { existsSync, openSync, closeSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Chromium's headless shell (Debian's chromium-headless-shell, the same engine as its chromium):
 * what Playwright itself runs for headless tests. It has none of the full browser's window and
 * UI compositing, so each page load costs the machine about a quarter less (measured on the
 * unthrottled docs tests: browser process 2.1 against 6.3 CPU-s, renderers 22 against 27).
 */
export const CHROMIUM = '/usr/bin/chromium-headless-shell';

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


/**
 * How often the throttle looks at the renderers: each look reads each one's main-thread time and
 * stops one that has run for rate − 1 times as long. Every look is a wake-up of this process (a
 * tenth of a millisecond of CPU on a loaded machine, whatever it does), and every stop and start
 * wakes every thread of the renderer, so the throttle's cost grows with how often it looks
 * (measured: one renderer looked at every 5 ms, and a timer of its own per renderer, cost more
 * CPU than the load it slowed). 20 ms is about a frame: a busy renderer is slowed evenly at the
 * scale of its tasks, in runs of about a frame and stops of a few frames.
 */
const QUANTUM_MS = 20;

/**
 * A renderer that ran less than this since its last stop is not stopped yet: what it owes is kept
 * and served with its next stop. An idle tab (a millisecond now and then) is then stopped a few
 * times a second rather than at every look.
 */
const MIN_RUN_MS = 2;

/**
 * How often the zygote's children are listed for new renderers. A renderer runs unthrottled until
 * it is found (at most this long, or while it is still a zygote child that has not renamed
 * itself), and then pays that head start back: its first stop is rate − 1 times all its main
 * thread ran since it was born.
 */
const DISCOVERY_MS = 100;

/**
 * How often the browser itself is asked for its renderers (a DevTools call that costs the browser
 * too): the check that none runs unthrottled, since a renderer it lists that is not throttled
 * within QUALIFY_MS fails the throttle. New renderers are found sooner, at each look, among the
 * zygote's children; where those cannot be listed (no zygote, or a kernel without
 * /proc/<pid>/task/<tid>/children) this is how they are found, every QUANTUM_MS.
 */
const CROSS_CHECK_MS = 1000;

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

/** A renderer under the throttle. */
interface Throttled {
  proc: ProcFiles;
  stats: RendererStats;
  /** Its main-thread time accounted for so far. */
  counted: number;
  /** The stop its runs have earned and it has not served yet (ms). */
  owed: number;
  /** While it is stopped: since when, until when, and how many times it was read since. */
  stop?: { at: number; until: number; reads: number };
}

/**
 * Slows each renderer process of `browser` `rate` times, as on a machine that much slower, until
 * `stop()`. Like DevTools' throttle, which is per tab, each renderer is slowed on its own: it
 * runs for a few milliseconds, then is stopped (SIGSTOP) for rate − 1 times as long as its main
 * thread ran meanwhile (scheduler time from /proc/<pid>/schedstat), then let go (SIGCONT). Its main
 * thread thus gets at most 1/rate of a core whatever the other tabs do; its other threads stop with
 * it; a stopped process uses no CPU, so six busy tabs at 1/6 share one core. One loop looks at
 * every renderer every QUANTUM_MS and wakes early only to end a stop.
 *
 * Not DevTools' `Emulation.setCPUThrottlingRate`: on Linux it slows the main thread by making it
 * spin in a signal handler (Chromium's ThreadCPUThrottler::HandleSignal busy-waits), so a tab
 * throttled 6× burns a whole core for as long as it is open, busy or idle (measured: 10 loads of
 * the reference, 165 CPU-seconds of renderer time).
 *
 * Only processes that are renderers (`--type=renderer`) and descendants of this test process are
 * signalled; a renderer the browser reports that is not throttled within QUALIFY_MS fails the
 * throttle (`failed` rejects, `stop()` rejects) instead of letting the test run unthrottled. Every
 * stopped renderer is let go on stop(), on failure and when this process exits.
 */
export async function throttleRenderers(browser: Browser, rate: number): Promise<Throttle> {
  const cdp = await browser.newBrowserCDPSession();
  const renderers = new Map<number, Throttled>();
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

  const forget = (r: Throttled) => {
    renderers.delete(r.proc.pid);
    stopped.delete(r.proc.pid);
    r.proc.close();
  };

  /** A look at a renderer that runs: stops it if it has run enough, or for good once stop() is called. */
  const look = (r: Throttled, now: number) => {
    const t = r.proc.mainThreadRunMs();
    if (t === undefined) return forget(r); // it has exited (a tab closed or navigated away)
    r.stats.ranMs += t - r.counted;
    r.owed += (t - r.counted) * (rate - 1);
    r.counted = t;
    // Once stop() is called, what it owes is served before it is let go.
    if (r.owed < MIN_RUN_MS * (rate - 1) && (running || r.owed === 0)) return;
    if (!signal(r.proc.pid, 'SIGSTOP')) return forget(r);
    stopped.add(r.proc.pid);
    r.stop = { at: now, until: now + r.owed, reads: 0 };
  };

  /**
   * A look at a stopped renderer whose stop has passed. The kernel adds a running thread's time to
   * schedstat at a tick or when it leaves the core, so the last milliseconds of a run show up only
   * once it is stopped: they are owed too, and the stop is longer. After that a stopped main
   * thread adds nothing (taking the signal is microseconds); if it keeps adding, the signal did
   * not take and the throttle fails.
   */
  const end = (r: Throttled, stop: NonNullable<Throttled['stop']>, now: number) => {
    const t = r.proc.mainThreadRunMs();
    const late = t === undefined ? 0 : t - r.counted;
    // A renderer killed while it is stopped (its tab closed or its process swapped) runs its
    // teardown in the kernel on its main thread, stopped or not (measured: up to 17 ms on a
    // loaded machine); it can no longer run the page.
    if (t === undefined || (late >= 0.5 && r.proc.exiting())) {
      r.stats.stoppedMs += now - stop.at;
      return forget(r);
    }
    r.counted = t;
    if (late >= 0.5) {
      if (stop.reads > 0) r.stats.ranStoppedMs += late;
      if (stop.reads >= 2) throw new Error(`cannot throttle: renderer ${r.proc.pid} ran ${Math.round(r.stats.ranStoppedMs)} ms while it was to be stopped (${processState(r.proc.pid)})`);
      r.stats.ranMs += late;
      r.owed += late * (rate - 1);
      stop.until = stop.at + r.owed;
      stop.reads++;
      if (stop.until > now) return;
    }
    r.stats.stoppedMs += now - stop.at;
    r.owed = 0;
    r.stop = undefined;
    stopped.delete(r.proc.pid);
    signal(r.proc.pid, 'SIGCONT');
    if (!running) forget(r);
  };

  /**
   * Throttles `pid` if it is a renderer of this test's browser; false if it is not (or not yet:
   * a zygote child shows the zygote's command line until it renames itself).
   */
  const adopt = (pid: number, first: boolean): boolean => {
    if (renderers.has(pid)) return true;
    if (!isRenderer(pid) || !descendsFrom(pid, process.pid)) return false;
    const proc = ProcFiles.open(pid);
    if (!proc) return true; // gone: it can no longer run
    // A renderer already running when the throttle starts is throttled from now on; one found
    // later was born under the throttle and pays for all its main thread has run.
    const own: RendererStats = { pid, ranMs: 0, stoppedMs: 0, ranStoppedMs: 0 };
    renderers.set(pid, { proc, stats: own, counted: first ? (proc.mainThreadRunMs() ?? 0) : 0, owed: 0 });
    stats.push(own);
    return true;
  };

  // Positive answers only are kept: a renderer forked from the zygote shows the zygote's command
  // line until it renames itself.
  const doubtful = new Map<number, number>();
  /** Asks the browser for its renderers; returns the browser's own pid. */
  const crossCheck = async (first: boolean) => {
    const { processInfo } = (await cdp.send('SystemInfo.getProcessInfo')) as { processInfo: { type: string; id: number }[] };
    for (const { id: pid } of processInfo.filter((p) => p.type === 'renderer')) {
      // Gone (or a zombie): it can no longer run, the browser's list is just behind.
      if (startTime(pid) === undefined || adopt(pid, first)) {
        doubtful.delete(pid);
      } else if (!doubtful.has(pid)) {
        doubtful.set(pid, performance.now());
      } else if (performance.now() - doubtful.get(pid)! > QUALIFY_MS) {
        throw new Error(`cannot throttle: the browser's renderer ${pid} is not a renderer process under ${process.pid}`);
      }
    }
    return processInfo.find((p) => p.type === 'browser')?.id;
  };
  /** Children of the zygote that are not renderers (a utility process), not looked at again. */
  const others = new Set<number>();
  let zygotes: number[] = [];
  const discover = (first: boolean) => {
    for (const zygote of zygotes) {
      for (const pid of zygoteChildren(zygote)) if (!others.has(pid) && !adopt(pid, first) && !isZygote(pid)) others.add(pid);
    }
  };

  try {
    const browserPid = await crossCheck(true);
    zygotes = browserPid === undefined ? [] : childrenOf(browserPid).filter(isZygote);
    discover(true);
  } catch (error) {
    abort(error);
    process.off('exit', release);
    throw error;
  }

  const loop = (async () => {
    let lookAt = performance.now();
    let discoverAt = lookAt + DISCOVERY_MS;
    // After stop(), until every renderer has served what it owes.
    while (!failure && (running || renderers.size > 0)) {
      const now = performance.now();
      if (now >= lookAt) {
        lookAt = now + QUANTUM_MS;
        if (running && now >= discoverAt) {
          discoverAt = now + DISCOVERY_MS;
          discover(false);
        }
        for (const r of renderers.values()) if (!r.stop) look(r, now);
        if (!running) for (const r of renderers.values()) if (!r.stop) forget(r);
      }
      for (const r of renderers.values()) if (r.stop && now >= r.stop.until) end(r, r.stop, now);
      let wake = lookAt;
      for (const r of renderers.values()) if (r.stop && r.stop.until < wake) wake = r.stop.until;
      // Timers may fire early by the event loop's cached clock: the loop checks the time again.
      await delay(Math.max(1, wake - performance.now()));
    }
  })().catch(abort);
  const checks = (async () => {
    while (running) {
      await delay(zygotes.length ? CROSS_CHECK_MS : QUANTUM_MS);
      if (running) await crossCheck(false);
    }
  })().catch(abort);

  return {
    failed,
    async stop() {
      running = false;
      try {
        await Promise.all([checks, loop]);
      } finally {
        release();
        process.off('exit', release);
        for (const r of renderers.values()) r.proc.close();
        renderers.clear();
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
 * A renderer's /proc files, held open while it is throttled: a read through them is a few
 * microseconds (no path lookup), and fails once the process has been reaped, even if its pid has
 * been reused since (pid_max may be 32768).
 */
class ProcFiles {
  private static readonly buffer = Buffer.alloc(1024);

  private constructor(
    readonly pid: number,
    /** When the process started (clock ticks after boot): with the pid, its identity. */
    readonly born: number,
    private readonly schedstat: number,
    private readonly stat: number,
  ) {}

  /** Opens `pid`'s files; undefined if it has exited. */
  static open(pid: number): ProcFiles | undefined {
    const opened: number[] = [];
    try {
      for (const file of ['schedstat', 'stat']) opened.push(openSync(`/proc/${pid}/${file}`, 'r'));
      const born = startTimeOf(ProcFiles.read(opened[1]!));
      if (born !== undefined) return new ProcFiles(pid, born, opened[0]!, opened[1]!);
    } catch {
      // exited before its files could be opened
    }
    opened.forEach((fd) => closeSync(fd));
    return undefined;
  }

  /** The file's text; undefined once the process has been reaped. */
  private static read(fd: number): string | undefined {
    try {
      return ProcFiles.buffer.toString('latin1', 0, readSync(fd, ProcFiles.buffer, 0, ProcFiles.buffer.length, 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return undefined;
      throw error;
    }
  }

  /**
   * CPU time of the process's main thread so far (milliseconds); undefined once it has been
   * reaped. Throws if a live renderer's time cannot be read, rather than let it run unthrottled.
   */
  mainThreadRunMs(): number | undefined {
    let schedstat: string | undefined;
    try {
      schedstat = ProcFiles.read(this.schedstat);
    } catch (error) {
      throw new Error(`cannot throttle: cannot read renderer ${this.pid}'s CPU time`, { cause: error });
    }
    return schedstat === undefined ? undefined : Number(schedstat.split(' ')[0]) / 1e6;
  }

  /** Whether it has exited or is exiting (see startTimeOf). */
  exiting(): boolean {
    return startTimeOf(ProcFiles.read(this.stat)) === undefined;
  }

  close(): void {
    closeSync(this.schedstat);
    closeSync(this.stat);
  }
}

/** The kernel's task flag of a process that is exiting (PF_EXITING, include/linux/sched.h). */
const PF_EXITING = 0x4;

/**
 * When the process started (clock ticks after boot, /proc/<pid>/stat field 22); undefined once it
 * has exited, is a zombie, or is exiting (task flags, field 9). A renderer killed while it is
 * stopped runs its teardown in the kernel on its main thread, stopped or not.
 */
function startTimeOf(stat: string | undefined): number | undefined {
  if (stat === undefined) return undefined;
  const fields = statFields(stat);
  return fields[0] === 'Z' || (Number(fields[6]) & PF_EXITING) !== 0 ? undefined : Number(fields[19]);
}

function startTime(pid: number): number | undefined {
  try {
    return startTimeOf(readFileSync(`/proc/${pid}/stat`, 'utf8'));
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

/** The process's command line; '' once it has exited. A zygote child renames itself: its arguments become one string, separated by spaces. */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

const isRenderer = (pid: number) => /(?:^|[\0 ])--type=renderer(?:[\0 ]|$)/.test(commandLine(pid));
const isZygote = (pid: number) => /(?:^|[\0 ])--type=zygote(?:[\0 ]|$)/.test(commandLine(pid));

/**
 * The children of `pid` (/proc/<pid>/task/<tid>/children, listed by the thread that forked them);
 * none once it has exited, or where the kernel does not list children.
 */
function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((tid) => {
    try {
      return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/**
 * The children of a zygote: it forks from its only thread (a process that forks must not have
 * others), so they are listed by its main task alone (/proc/<pid>/task/<pid>/children).
 */
function zygoteChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
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
