import { createHash } from 'node:crypto';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchProcess } from '../helpers/watch-process';
import { browserMissing, launch } from '../docs/browser';
import { ROOT, errataInProcess, tempTree } from '../helpers/cli';
import { miniContract } from '../helpers/mini-contract';

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

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** The contract, with a message of its own on NOT_FOUND (what the reference's tables show). */
function contract(): Record<string, string> {
  const files = miniContract();
  return { ...files, 'catalog.yaml': files['catalog.yaml']!.replace('    status: 404\n', '    status: 404\n    message: Thing not found.\n') };
}

describe('errata docs --watch', { timeout: 600_000 }, () => {
  it('serves the page on 127.0.0.1 only, rebuilds and reloads on an edit, keeps the last good page on a broken one', async () => {
    const dir = tempTree(contract(), 'errata-docs-watch-');
    const spec = path.join(dir, 'openapi.yaml');
    const out = path.join(dir, 'site/index.html');
    const catalog = path.join(dir, 'catalog.yaml');
    const thing = path.join(dir, 'paths/thing.yaml');
    // Every save here is whole (written aside, renamed over): a save caught half-written may fail, then pass.
    const save = (file: string, text: string) => (writeFileSync(`${file}.swp`, text), renameSync(`${file}.swp`, file));
    const watch = watchProcess('docs', ['--spec', spec, '--out', out]);
    const browser = browserMissing ? undefined : await launch();
    try {
      await watch.until('stdout', /^errata: serving the reference of .* at http:\/\/127\.0\.0\.1:\d+\/ \(this machine only\)/m, 1);
      const base = /at (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(watch.out.stdout)!;
      const [url, port] = [base[1]!, Number(base[2])];
      const wrote = /^errata: wrote .*site\/index\.html \(\d+ KiB\) from .* \(\d+ ms\); open pages reload; watching for changes$/m;
      await watch.until('stdout', wrote, 1);

      // The file on disk is byte for byte what `errata docs` writes; the served page adds only
      // the reload script, allowed by its hash, and connections to its own origin.
      const once = await errataInProcess(['docs', '--spec', spec, '--out', path.join(dir, 'once/index.html')]);
      expect(once.code, once.stderr).toBe(0);
      const written = readFileSync(out, 'utf8');
      expect(written).toBe(readFileSync(path.join(dir, 'once/index.html'), 'utf8'));
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

      // An open page: its event stream, and (with Chromium) a real tab.
      const stream = eventStream(url, events);
      const opened = await stream.opened;
      expect(opened.statusCode).toBe(200);
      expect(opened.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      // A page from before the current build is told to reload at once.
      const stale = eventStream(url, '/_errata/events?page=stale');
      await stale.until('reload');
      const tab = browser ? await openTab(browser, url) : undefined;

      const original = readFileSync(catalog, 'utf8');
      save(catalog, original.replace('message: Thing not found.', 'message: The thing is gone.'));
      await watch.until('stdout', wrote, 2);
      await stream.until('reload');
      const edited = await get(url, '/');
      expect(edited.body).toContain('The thing is gone.');
      expect(edited.body).not.toContain('Thing not found.');
      expect(readFileSync(out, 'utf8')).toContain('The thing is gone.');
      if (tab) {
        await tab.reloaded;
        expect(await tab.page.content()).toContain('The thing is gone.');
        expect(tab.outside).toEqual([]);
        expect(tab.violations).toEqual([]);
      }

      // A broken edit: the error errata docs prints, word for word, and the last good page stays.
      const good = readFileSync(out, 'utf8');
      const thingText = readFileSync(thing, 'utf8');
      save(thing, thingText.replace('x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NO_SUCH_CODE]'));
      await watch.until('stderr', /kept the last good page/, 1);
      const broken = await errataInProcess(['docs', '--spec', spec, '--out', path.join(dir, 'broken/index.html')]);
      expect(broken.code).toBe(1);
      expect(broken.stderr).toContain('paths/thing.yaml');
      expect(broken.stderr).toContain('#/get/responses/404/x-errata-codes/0');
      expect(watch.out.stderr).toBe(`${broken.stderr}errata: kept the last good page in ${path.relative(ROOT, out)}, served at ${url}; watching for changes\n`);
      expect(readFileSync(out, 'utf8')).toBe(good);
      expect((await get(url, '/')).body).toBe(edited.body);

      // The fix gives back the page served before the broken edit: nothing to write or reload.
      save(thing, thingText);
      await watch.until('stdout', /is unchanged \(\d+ ms\); watching for changes$/m, 1);
      expect((await get(url, '/')).body).toBe(edited.body);
    } finally {
      watch.stop();
      await browser?.close();
    }
    expect(await watch.exited).toBe(0);
  });

  it('started on a broken contract, answers 503 until the first good build, then serves it', async () => {
    const files = contract();
    const dir = tempTree({ ...files, 'paths/thing.yaml': files['paths/thing.yaml']!.replace('x-errata-codes: [NOT_FOUND]', 'x-errata-codes: [NO_SUCH_CODE]') }, 'errata-docs-watch-');
    const thing = path.join(dir, 'paths/thing.yaml');
    const watch = watchProcess('docs', ['--spec', path.join(dir, 'openapi.yaml'), '--out', path.join(dir, 'site/index.html')]);
    try {
      await watch.until('stderr', /^errata: no page to serve yet \(http:\/\/127\.0\.0\.1:\d+\/ answers 503 until a build succeeds\); watching for changes$/m, 1);
      expect(watch.out.stderr).toContain('#/get/responses/404/x-errata-codes/0');
      const url = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(watch.out.stdout)![1]!;
      const before = await get(url, '/');
      expect(before.status).toBe(503);
      expect((await get(url, '/_errata/events')).status).toBe(503);
      expect((await get(url, '/index.html')).status).toBe(404);

      writeFileSync(`${thing}.swp`, files['paths/thing.yaml']!);
      renameSync(`${thing}.swp`, thing);
      await watch.until('stdout', /^errata: wrote .* open pages reload; watching for changes$/m, 1);
      const page = await get(url, '/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('Thing not found.');
    } finally {
      watch.stop();
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
 * aborted and recorded) and Content-Security-Policy reports collected; `reloaded` settles on the
 * tab's next load.
 */
async function openTab(browser: Awaited<ReturnType<typeof launch>>, url: string) {
  const origin = new URL(url).origin;
  const context = await browser.newContext();
  context.setDefaultTimeout(0);
  context.setDefaultNavigationTimeout(0);
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
  await Promise.race([page.goto(url), violation]);
  // Redoc has rendered. Had a rebuild landed meanwhile, the reload script's first answer says so.
  await Promise.race([page.waitForFunction(() => document.querySelector('#redoc [data-section-id]') !== null, null, { timeout: 0, polling: 'raf' }), violation]);
  // A blocked script or connection never reloads the tab: it fails the wait instead.
  const reloaded = Promise.race([page.waitForEvent('load'), violation]);
  reloaded.catch(() => {});
  return { page, outside, violations, reloaded };
}
