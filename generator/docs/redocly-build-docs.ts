import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Redocly's `build-docs` run in this process: its handler is what `redocly build-docs` runs once
 * the CLI has parsed its arguments and loaded a config, so the page is the one the CLI writes,
 * without a Node process per build that loads Redocly, Redoc and React again (most of a build's
 * cost, and all of it again on each `errata docs --watch` rebuild).
 *
 * @redocly/cli has no programmatic API: it ships one esbuild bundle whose chunks have hashed names
 * and minified exports. The handler is its chunk's named export `handlerBuildCommand`; the config
 * factory (`createConfig`) and the logger the handler writes to are exports of the core chunk,
 * under the short names the CLI's own index.js imports them by. These names hold for the exact
 * version errata pins (package.json); another version is refused with a clear error at load.
 */
const CLI_VERSION = '2.77.0';
const CHUNKS = { buildDocs: 'UBYAHYID.js', core: 'KSRBMNUH.js' };
const CORE_EXPORTS = { createConfig: 'za', logger: 'oa' };

export interface BuildDocsArgs {
  /** The API description's absolute path. */
  api: string;
  /** The HTML file Redocly writes. */
  output: string;
  title: string;
  /** The Handlebars page template's absolute path. */
  template: string;
  /** Redoc's options (`--openapi.*`). */
  openapi: Record<string, unknown>;
}

type Handler = (context: { argv: Record<string, unknown>; config: unknown }) => Promise<void>;
type Logger = Record<'info' | 'warn' | 'error' | 'output' | 'printNewLine' | 'printSeparator', (text: string) => unknown>;

interface Redocly {
  handler: Handler;
  createConfig: (raw: Record<string, unknown>) => Promise<unknown>;
}

let loading: Promise<Redocly> | undefined;
/** What Redocly warned of during the build under way (emptied after each); builds run one at a time (see `queue`). */
let log: string[] = [];
let queue: Promise<unknown> = Promise.resolve();

/**
 * Renders `args.api` into `args.output` and returns the page. Builds run one after another: the
 * logger is the bundle's one instance, and rendering is synchronous work on this thread anyway.
 * A failure rejects with Redocly's reason and what it logged; nothing is written to this
 * process's stdout or stderr, and nothing exits it.
 */
export function redoclyBuildDocs(args: BuildDocsArgs): Promise<string> {
  const run = queue.then(() => build(args));
  queue = run.catch(() => undefined);
  return run;
}

async function build(args: BuildDocsArgs): Promise<string> {
  // A failed load is not kept: a watch session's next build tries again.
  const { handler, createConfig } = await (loading ??= load().catch((e: unknown) => {
    loading = undefined;
    throw e;
  }));
  try {
    // A config of our own, fresh per build: no redocly.yaml is read (the project's loads lint
    // plugins the page does not need) and nothing of one build's config reaches the next.
    const config = await createConfig({ telemetry: 'off' });
    await handler({
      argv: { api: args.api, o: args.output, title: args.title, template: args.template, openapi: args.openapi, inlineBundle: true },
      config,
    });
    return await readFile(args.output, 'utf8');
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    const logged = log.join('').trim();
    throw new Error(`redocly build-docs failed: ${reason}${logged && !logged.includes(reason) ? `\n${logged}` : ''}`, { cause: e });
  } finally {
    log = [];
  }
}

async function load(): Promise<Redocly> {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@redocly/cli/package.json');
  const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version: string };
  const found = `@redocly/cli ${version} (${path.dirname(pkg)})`;
  if (version !== CLI_VERSION) throw new Error(`errata renders docs with @redocly/cli ${CLI_VERSION}'s build-docs, found ${found}: install the version errata's package.json pins`);
  // require() of these ES modules (Node 20.19 or later 20.x, and 22.12 or later: the versions @redocly/cli runs on), not
  // import(): import hooks, such as tsx's when bin/errata.mjs runs this repository's sources, would
  // transform its 4 MB of bundled JavaScript on every load, five times the CPU of loading it.
  const chunk = (name: string) => require(path.join(path.dirname(pkg), 'lib/chunks', name)) as Record<string, unknown>;
  const [docs, core] = [chunk(CHUNKS.buildDocs), chunk(CHUNKS.core)];
  const handler = docs.handlerBuildCommand;
  const createConfig = core[CORE_EXPORTS.createConfig];
  const logger = core[CORE_EXPORTS.logger] as Partial<Logger> | undefined;
  if (typeof handler !== 'function' || typeof createConfig !== 'function' || typeof logger?.info !== 'function' || typeof logger.warn !== 'function') {
    throw new Error(`${found} does not have the build-docs handler, config factory and logger errata runs`);
  }
  // Redocly's progress lines (a banner, "Prerendering docs", the page's size) are not errata's
  // output, and its warnings ("… does not exist or is invalid") belong in the error of the build
  // that fails: this process's terminal gets neither.
  const quiet = () => true;
  Object.assign(logger, { info: quiet, output: quiet, printNewLine: quiet, printSeparator: quiet });
  // Redocly colours its text itself when the terminal can show colour; errata's error printer
  // escapes control characters, so the codes would print as text.
  logger.warn = logger.error = (text: string) => log.push(String(text).replace(/\x1b\[[0-9;]*m/g, ''));
  return { handler: handler as Handler, createConfig: createConfig as Redocly['createConfig'] };
}
