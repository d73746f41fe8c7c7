import { createHash } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchProcess } from '../helpers/watch-process';
import { HANG_GUARD_MS, browserMissing, launch } from '../docs/browser';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';
import { patch } from '../helpers/patch';

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One HTTP request to `base` with `target` sent exactly as written (no normalising of `..`). */
function get(base: string, target: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: target, method: options.method ?? 'GET', headers: options.host ? { host: options.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** An open event stream: `events` collects the names of the events received; `until` waits for one. */
function eventStream(base: string, target: string) {
  const url = new URL(base);
  const events: string[] = [];
  const waiters: (() => void)[] = [];
  let text = '';
  let ended = false;
  const opened = new Promise<IncomingMessage>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: target }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
        for (let end = text.indexOf('\n\n'); end >= 0; end = text.indexOf('\n\n')) {
          const name = /^event: (.*)$/m.exec(text.slice(0, end))?.[1];
          if (name) events.push(name);
          text = text.slice(end + 2);
        }
        waiters.splice(0).forEach((w) => w());
      });
      res.on('end', () => ((ended = true), waiters.splice(0).forEach((w) => w())));
      resolve(res);
    });
    req.on('error', reject);
    req.end();
  });
  return {
    opened,
    events,
    async until(name: string): Promise<void> {
      while (!events.includes(name)) {
        if (ended) throw new Error(`the event stream ended without a ${name} event (got: ${events.join(', ')})`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
  };
}

/** Resolves with the error a TCP connection to `host:port` ends with, or undefined if it connects. */
function tryConnect(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(undefined)));
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

const count = (text: string, pattern: RegExp) => (text.match(new RegExp(pattern.source, `${pattern.flags}g`)) ?? []).length;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** The contract, with a message of its own on NOT_FOUND (what the reference's tables show). */
function contract(): Record<string, string> {
  const files = miniContract();
  return { ...files, 'catalog.yaml': patch(files['catalog.yaml']!, '    status: 404\n', '    status: 404\n    message: Thing not found.\n') };
}

describe('errata docs --watch', { timeout: 600_000 }, () => {
  // One process through a whole session, so each Redocly build serves several checks: started on a
  // broken contract (503), its fix (the first page), an edit (a rebuild and a reload), a broken
  // edit (the last good page stays), and the fix back to the page served (nothing to reload).
  it('answers 503 until a first good build, serves the page on 127.0.0.1 only, rebuilds and reloads on an edit, keeps the last good page on a broken one', async () => {
    const files = contract();
    const thingText = files['paths/thing.yaml']!;
    const brokenThing = patch(thingText, 'x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NO_SUCH_CODE]');
    const dir = tempTree({ ...files, 'paths/thing.yaml': brokenThing }, 'errata-docs-watch-');
    const spec = path.join(dir, 'openapi.yaml');
    const out = path.join(dir, 'site/index.html');
    const catalog = path.join(dir, 'catalog.yaml');
    const thing = path.join(dir, 'paths/thing.yaml');
    // Every save here is whole (written aside, renamed over): a save caught half-written may fail, then pass.
    const save = (file: string, text: string) => (writeFileSync(`${file}.swp`, text), renameSync(`${file}.swp`, file));
    const watch = watchProcess('docs', ['--spec', spec, '--out', out]);
    // Meanwhile: Chromium starts, and `errata docs` reports the broken contract, then writes the
    // page of the fixed one (the same files in a folder of their own: the page depends on the
    // files' contents, not on where they are).
    const browsing = browserMissing ? undefined : launch();
    const oneShot = path.join(tempTree(files, 'errata-docs-once-'), 'openapi.yaml');
    const brokenRun = errataInProcess(['docs', '--spec', spec, '--out', path.join(dir, 'broken/index.html')]);
    const onceRun = errataInProcess(['docs', '--spec', oneShot, '--out', path.join(path.dirname(oneShot), 'once/index.html')]);
    let browser: Awaited<typeof browsing>;
    try {
      // Each build ends in one of these lines; waiting for the next one, whichever it is, a build
      // that ends the wrong way fails the check that follows instead of leaving the test waiting.
      const outcome = /^errata: (?:wrote .*|.* is unchanged \(\d+ ms\)|kept the last good page .*|no page to serve yet .*); watching for changes$/m;
      // Started on a broken contract: the error errata docs prints, word for word, and 503 until a build succeeds.
      await watch.until('either', outcome, 1);
      const base = /^errata: serving the reference of .* at (http:\/\/127\.0\.0\.1:(\d+)\/) \(this machine only\)/m.exec(watch.out.stdout)!;
      const [url, port] = [base[1]!, Number(base[2])];
      const broken = await brokenRun;
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('paths/thing.yaml');
      expect(broken.stderr).toContain('#/get/responses/404/x-errata-codes/0');
      expect(watch.out.stderr).toBe(`${broken.stderr}errata: no page to serve yet (${url} answers 503 until a build succeeds); watching for changes\n`);
      expect((await get(url, '/')).status).toBe(503);
      expect((await get(url, '/_errata/events')).status).toBe(503);
      expect((await get(url, '/index.html')).status).toBe(404);
      expect(existsSync(out)).toBe(false);

      // The fix: the first page.
      save(thing, thingText);
      const wrote = /^errata: wrote .*site\/index\.html \(\d+ KiB\) from .* \(\d+ ms\); open pages reload; watching for changes$/m;
      await watch.until('either', outcome, 2);
      expect(count(watch.out.stdout, wrote), watch.out.stderr).toBe(1);

      // The file on disk is byte for byte what `errata docs` writes; the served page adds only
      // the reload script, allowed by its hash, and connections to its own origin.
      const once = await onceRun;
      expect(once.code, once.stderr).toBe(0);
      const written = readFileSync(out, 'utf8');
      expect(written).toBe(readFileSync(path.join(path.dirname(oneShot), 'once/index.html'), 'utf8'));
      expect(written).toContain("connect-src 'none'");
      expect(written).not.toContain('EventSource');
      const page = await get(url, '/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('Thing not found.');
      const script = /<script>(\(function\(\)\{var s=new EventSource\("([^"]+)"\).*?)<\/script>/.exec(page.body);
      expect(script).not.toBeNull();
      const [reload, events] = [script![1]!, script![2]!];
      expect(events).toMatch(/^\/_errata\/events\?page=[\w-]+$/);
      const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page.body)![1]!;
      expect(policy).toContain(`'sha256-${sha256(reload)}'`);
      expect(policy).toContain("connect-src 'self'");
      // Apart from the script and the policy, the served page is the written one.
      const writtenPolicy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(written)![1]!;
      expect(page.body.replace(`\n  <script>${reload}</script>`, '').replace(policy, writtenPolicy)).toBe(written);

      // An open page: its event stream, and (with Chromium) a real tab.
      const stream = eventStream(url, events);
      const opened = await stream.opened;
      expect(opened.statusCode).toBe(200);
      expect(opened.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      browser = await browsing;
      const tab = browser ? await openTab(browser, url) : undefined;

      // An edit: a rebuild, written and served, and every open page reloads. The checks of the
      // routes run while it builds.
      const original = readFileSync(catalog, 'utf8');
      save(catalog, patch(original, 'message: Thing not found.', 'message: The thing is gone.'));
      // Only the page and its event stream answer; nothing is looked up by path.
      expect((await get(url, '/', { method: 'HEAD' })).status).toBe(200);
      expect((await get(url, '/?from=bookmark')).status).toBe(200);
      for (const target of ['/index.html', '/site/index.html', '/openapi.yaml', '/catalog.yaml', '/..', '/../', '/../catalog.yaml', '/%2e%2e/catalog.yaml', '/_errata/events/..', '/_errata/events/../', '/_errata/', '//', '/./', '/_errata/events/x', `/${path.basename(dir)}/catalog.yaml`]) {
        const answer = await get(url, target);
        expect(answer.status, target).toBe(404);
        expect(answer.body, target).not.toContain('Thing not found');
      }
      expect((await get(url, '/', { method: 'POST' })).status).toBe(405);
      // A page of another site that resolves its own name to 127.0.0.1 (DNS rebinding) is refused.
      expect((await get(url, '/', { host: `attacker.example:${port}` })).status).toBe(421);
      expect((await get(url, '/', { host: `localhost:${port}` })).status).toBe(200);
      // Bound to loopback: the machine's other addresses do not answer on that port.
      const outside = Object.values(networkInterfaces()).flat().filter((a) => a && !a.internal && !a.address.startsWith('fe80:'));
      for (const a of outside) expect(await tryConnect(a!.address, port), a!.address).toBe('ECONNREFUSED');
      // A page from before the current build is told to reload at once.
      const stale = eventStream(url, '/_errata/events?page=stale');
      await stale.until('reload');

      // The edit's build.
      await watch.until('either', outcome, 3);
      expect(count(watch.out.stdout, wrote), watch.out.stderr).toBe(2);
      await stream.until('reload');
      const edited = await get(url, '/');
      expect(edited.body).toContain('The thing is gone.');
      expect(edited.body).not.toContain('Thing not found.');
      expect(readFileSync(out, 'utf8')).toContain('The thing is gone.');
      // The reloaded tab renders (checked at the end, while the builds below run).
      const rendered = tab?.reloaded.then(() => tab.rendered());
      rendered?.catch(() => {});

      // A broken edit: the error errata docs prints, word for word, and the last good page stays.
      const good = readFileSync(out, 'utf8');
      const before = watch.out.stderr.length;
      save(thing, brokenThing);
      await watch.until('either', outcome, 4);
      expect(watch.out.stderr.slice(before)).toBe(`${broken.stderr}errata: kept the last good page in ${path.relative(ROOT, out)}, served at ${url}; watching for changes\n`);
      expect(readFileSync(out, 'utf8')).toBe(good);
      expect((await get(url, '/')).body).toBe(edited.body);

      // The fix gives back the page served before the broken edit: nothing to write or reload.
      save(thing, thingText);
      await watch.until('either', outcome, 5);
      expect(watch.out.stdout).toMatch(/is unchanged \(\d+ ms\); watching for changes\n$/);
      expect(count(watch.out.stdout, wrote)).toBe(2);
      expect((await get(url, '/')).body).toBe(edited.body);

      if (tab) {
        await rendered;
        expect(await tab.page.content()).toContain('The thing is gone.');
        expect(tab.outside).toEqual([]);
        expect(tab.violations).toEqual([]);
      }
    } finally {
      watch.stop();
      await (browser ?? (await browsing?.catch(() => undefined)))?.close();
    }
    expect(await watch.exited).toBe(0);
  });

  it('refuses a host that is not loopback, and --port or --host without --watch', async () => {
    const dir = tempTree(contract(), 'errata-docs-watch-');
    const spec = path.join(dir, 'openapi.yaml');
    for (const host of ['0.0.0.0', '::', '192.0.2.1', 'example.com']) {
      const r = await errataInProcess(['docs', '--watch', '--spec', spec, '--host', host]);
      expect(r.code, host).toBe(2);
      expect(r.stderr).toContain(`--host ${JSON.stringify(host)} is not a loopback address`);
    }
    expect((await errataInProcess(['docs', '--watch', '--spec', spec, '--port', '70000'])).stderr).toContain('is not a port number');
    const r = await errataInProcess(['docs', '--spec', spec, '--port', '8080']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--port goes with --watch');
  });
});

/**
 * A Chromium tab on the served page, its network limited to the server's origin (anything else is
 * aborted and recorded) and Content-Security-Policy reports collected; `reloaded` settles when the
 * tab's next document has loaded.
 */
async function openTab(browser: Awaited<ReturnType<typeof launch>>, url: string) {
  const origin = new URL(url).origin;
  const context = await browser.newContext();
  // Waits are for conditions; the guard only turns a hang (a tab that never reloads) into a failure that names the wait.
  context.setDefaultTimeout(HANG_GUARD_MS);
  context.setDefaultNavigationTimeout(HANG_GUARD_MS);
  const outside: string[] = [];
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(`${origin}/`) || u.startsWith('data:')) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const page = await context.newPage();
  const violations: string[] = [];
  let refused!: (e: Error) => void;
  const violation = new Promise<never>((_resolve, reject) => (refused = reject));
  page.on('console', (m) => {
    if (!/Content Security Policy/i.test(m.text())) return;
    violations.push(m.text());
    refused(new Error(`the page broke its Content-Security-Policy: ${m.text()}`));
  });
  // The reload may come before the first load ends (a rebuild can be quicker than Redoc's first
  // render): that load is then cut short and never fires, so the wait is for a load once the tab
  // has asked for its second document, not for a second load. (Counted by requests, not by
  // `framenavigated`, which Redoc's own hash updates fire too. A first load that ends after the
  // request settles the wait early; the checks at the end then still need the new page's text.)
  let documents = 0;
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) documents++;
  });
  // The page as served now is on its way into the tab (its response has arrived): whenever it
  // loads, its reload script reloads it on the next rebuild, or at once if one has landed since
  // (the page names the build it shows). A blocked script or connection never reloads the tab: it
  // fails the wait instead.
  await Promise.race([page.goto(url, { waitUntil: 'commit' }), violation]);
  const reloaded = Promise.race([page.waitForEvent('load', { predicate: () => documents >= 2 }), violation]);
  reloaded.catch(() => {});
  /** Redoc has rendered the page, under the served page's policy. */
  const rendered = () => Promise.race([page.waitForFunction(() => document.querySelector('#redoc [data-section-id]') !== null, null, { polling: 'raf' }), violation]);
  return { page, outside, violations, reloaded, rendered };
}
