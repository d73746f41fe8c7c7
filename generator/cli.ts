import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONFIG_FILES, IMPORT_EXTENSIONS, findConfig, loadConfig, type ApiTarget, type ImportExtension } from './config/load-config';
import { ContractError, UsageError, formatLocation } from './errors';
import { terminal } from './model/escape';

/** Exit codes: 0 success, 1 problems in the contract (or drift), 2 usage or unreadable input. */
export const EXIT = { ok: 0, contract: 1, usage: 2 } as const;

interface Option {
  type: 'string' | 'boolean';
  /** Shown in help: the value's placeholder (`<path>`). */
  value?: string;
  /** May be given several times (values collected in order). */
  multiple?: boolean;
  help: string;
}

interface Command {
  summary: string;
  usage: string;
  /** Said after the options in `errata <command> --help`. */
  details: string;
  options: Record<string, Option>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

type Values = Record<string, string | boolean | undefined>;
const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

// References resolve only inside the root file's folder; each of these widens that.
const allowRefRoot: Option = { type: 'string', value: '<dir>', multiple: true, help: "a folder outside the contract's own that `$ref`s may also read (may be repeated); references never reach URLs, devices or special files" };
const allowedRootsOf = (values: Values): { allowedRoots?: string[] } => {
  const roots = (values as Record<string, unknown>)['allow-ref-root'];
  return Array.isArray(roots) && roots.length > 0 ? { allowedRoots: roots.map(String) } : {};
};

const configOption: Option = { type: 'string', value: '<file>', help: `the Redocly config that lists your contracts under \`apis:\` (default: ${CONFIG_FILES[0]} in the working directory)` };

const configExample = `  # redocly.yaml
  apis:
    shop@v1:
      root: ./openapi/openapi.yaml
      x-errata:
        output: ./src/generated        # the folder errata generate owns
        docs: ./site/index.html        # where errata docs writes the reference`;

/**
 * The contracts a command works on: `--spec` (one contract, its paths from the flags), else the
 * config's `apis:` entries that have an `x-errata` section (all, or those named on the line).
 */
function targets(values: Values, names: string[], outFlag: 'out' | 'docs-out'): { apis: ApiTarget[]; config: string | undefined } {
  const spec = str(values.spec);
  if (spec !== undefined) {
    if (names.length > 0) throw new UsageError(`--spec and API names (${names.join(', ')}) exclude each other`, 'use --spec for one contract, or name APIs of your config');
    const out = str(values.out);
    return {
      config: undefined,
      apis: [{ name: spec, root: path.resolve(spec), output: path.resolve(outFlag === 'out' ? (out ?? 'generated') : 'generated'), docs: path.resolve(outFlag === 'docs-out' ? (out ?? 'site/index.html') : 'site/index.html'), validate: true, importExtension: '.js' }],
    };
  }
  // Several APIs cannot share one output folder: the config names each one's.
  if (outFlag === 'out' && str(values.out) !== undefined) {
    throw new UsageError('--out goes with --spec: without it, each API of the config is written to its own `x-errata.output`', 'pass `--spec path/to/openapi.yaml --out dir`, or set `x-errata: { output: dir }` on the API in redocly.yaml');
  }
  const file = findConfig(process.cwd(), str(values.config));
  if (!file) {
    throw new UsageError('no contract given and no redocly.yaml here to read one from', `pass --spec path/to/openapi.yaml, or list your contracts in redocly.yaml:\n${configExample}`);
  }
  const config = loadConfig(file);
  const shown = path.relative(process.cwd(), file) || file;
  if (config.apis.length === 0) {
    throw new UsageError(`${shown} has no API with an \`x-errata\` section`, `add one under \`apis:\`, or pass --spec:\n${configExample}`, { file: shown, pointer: '/apis' });
  }
  const unknown = names.filter((n) => !config.apis.some((a) => a.name === n));
  if (unknown.length > 0) {
    throw new UsageError(`${shown} has no API ${unknown.map((n) => JSON.stringify(n)).join(', ')} with an \`x-errata\` section`, `use one of: ${config.apis.map((a) => a.name).join(', ')}`, { file: shown, pointer: '/apis' });
  }
  const apis = names.length === 0 ? config.apis : config.apis.filter((a) => names.includes(a.name));
  return { apis, config: file };
}

function rel(p: string): string {
  return path.relative(process.cwd(), p).split(path.sep).join('/') || '.';
}

/** `npx errata generate` as this user runs it: their config or their flags. */
function regenerateCommand(values: Values, config: string | undefined, api: ApiTarget): string {
  const parts = ['npx errata generate'];
  if (config) {
    if (str(values.config) !== undefined) parts.push(`--config ${rel(config)}`);
  } else {
    parts.push(`--spec ${rel(api.root)}`, `--out ${rel(api.output)}`);
    if (api.importExtension !== '.js') parts.push(`--import-extension ${api.importExtension || 'none'}`);
    if (!api.validate) parts.push('--no-validate');
  }
  return parts.join(' ');
}

/** `errata generate --watch`: runs until interrupted (Ctrl-C); every run reports as a one-shot run would. */
async function watchCommand(apis: { api: ApiTarget; command: string }[], roots: { allowedRoots?: string[] }): Promise<number> {
  const { watchGenerate } = await import('./watch/generate-watch');
  const watcher = await watchGenerate(
    apis.map(({ api, command }) => ({
      spec: api.root,
      out: api.output,
      validate: api.validate,
      importExtension: api.importExtension,
      origin: { spec: rel(api.root), command },
      ...(roots.allowedRoots ? { allowedRoots: roots.allowedRoots.map((r) => path.resolve(r)) } : {}),
    })),
    {
      // The note may quote the contract (a transform's error): shown escaped, as report() does.
      wrote: (t, files, ms, note) => process.stdout.write(terminal(`errata: wrote ${files} files to ${rel(t.out)}/ from ${rel(t.spec)} (${Math.round(ms)} ms${note ? `; ${note}` : ''}); watching for changes\n`)),
      failed: (t, e) => {
        report(e);
        process.stderr.write(terminal(`errata: kept the last good output in ${rel(t.out)}/; watching for changes\n`));
      },
    },
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.close();
  return EXIT.ok;
}

/** `errata docs --watch`: serves and rebuilds one API's page until interrupted (Ctrl-C). */
async function docsWatchCommand(api: ApiTarget, out: string, values: Values): Promise<number> {
  const { watchDocs } = await import('./watch/docs-watch');
  const { isLoopback } = await import('./watch/page-server');
  const host = str(values.host) ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new UsageError(`--host ${JSON.stringify(host)} is not a loopback address: errata docs --watch serves this machine only`, 'use 127.0.0.1 (the default) or ::1; to share the reference, publish the file errata docs writes');
  }
  const portText = str(values.port) ?? '0';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port ${JSON.stringify(portText)} is not a port number`, 'pass 0 to 65535 (0, the default, picks a free port)');
  let url = '';
  const watcher = await watchDocs(
    { spec: api.root, out, host, port: Number(portText) },
    {
      serving: (_t, at) => {
        url = at;
        process.stdout.write(`errata: serving the reference of ${rel(api.root)} at ${url} (this machine only); Ctrl-C stops it\n`);
      },
      wrote: (t, result, ms) =>
        process.stdout.write(
          result.changed
            ? `errata: wrote ${rel(t.out)} (${Math.round(result.bytes / 1024)} KiB) from ${rel(t.spec)} (${Math.round(ms)} ms); open pages reload; watching for changes\n`
            : `errata: ${rel(t.out)} is unchanged (${Math.round(ms)} ms); watching for changes\n`,
        ),
      failed: (t, e, served) => {
        report(e);
        process.stderr.write(
          served
            ? `errata: kept the last good page in ${rel(t.out)}, served at ${url}; watching for changes\n`
            : `errata: no page to serve yet (${url} answers 503 until a build succeeds); watching for changes\n`,
        );
      },
    },
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.close();
  return EXIT.ok;
}

const commands: Record<string, Command> = {
  generate: {
    summary: 'bundle each contract and write its generated folder (catalog, types, server helpers, client)',
    usage: 'errata generate [api...] [--config redocly.yaml] [--spec openapi.yaml --out generated] [--check | --watch] [--no-validate] [--no-cache] [--import-extension .js|.ts|none]',
    details: `Without --spec, generates every API of the config that has an \`x-errata\` section (or the ones named):\n${configExample}\n\nThe output folder is replaced as a whole, atomically; errata refuses a folder holding files it did not write.`,
    options: {
      config: configOption,
      spec: { type: 'string', value: '<file>', help: 'one contract (OpenAPI 3.1 root document) instead of the config' },
      out: { type: 'string', value: '<dir>', help: 'with --spec: the folder to write (default: generated)' },
      check: { type: 'boolean', help: 'write nothing; exit 1 when the folder differs from what the contract produces (for CI)' },
      'no-validate': { type: 'boolean', help: "skip validating the contract against the OpenAPI 3.1 JSON Schema (faster on very large contracts; errata's own checks still run; x-errata `validate: false`)" },
      'allow-ref-root': allowRefRoot,
      'import-extension': { type: 'string', value: '.js|.ts|none', help: "the extension of generated relative imports: .js (default) for `module: NodeNext` and bundlers, .ts for Node's type stripping, none for bundlers only (x-errata `importExtension`)" },
      'no-cache': { type: 'boolean', help: 'neither read nor write the cache of validation and openapi-typescript results (node_modules/.cache/errata, or $ERRATA_CACHE_DIR)' },
      watch: { type: 'boolean', help: 'keep running: regenerate whenever a file of the contract changes; a broken edit is reported and the last good output kept' },
    },
    async run(values, names) {
      if (values['no-cache'] === true) process.env.ERRATA_CACHE_DIR = 'off';
      const { generate } = await import('./index');
      const { apis, config } = targets(values, names, 'out');
      const flagExt = str(values['import-extension']);
      if (flagExt !== undefined && !Object.hasOwn(IMPORT_EXTENSIONS, flagExt)) throw new UsageError(`unknown --import-extension ${JSON.stringify(flagExt)}`, 'use .js, .ts or none');
      const configured = apis.map((a): ApiTarget => ({
        ...a,
        ...(flagExt !== undefined ? { importExtension: IMPORT_EXTENSIONS[flagExt] as ImportExtension } : {}),
        ...(values['no-validate'] === true ? { validate: false } : {}),
      }));
      if (values.watch === true) {
        if (values.check === true) throw new UsageError('--watch and --check exclude each other', 'use --check in CI, --watch while editing');
        return watchCommand(configured.map((api) => ({ api, command: regenerateCommand(values, config, api) })), allowedRootsOf(values));
      }
      let failed = false;
      for (const api of configured) {
        const command = regenerateCommand(values, config, api);
        const result = await generate({ spec: api.root, out: api.output, check: values.check === true, validate: api.validate, importExtension: api.importExtension, ...(api.openapiTypescript ? { openapiTypescript: api.openapiTypescript } : {}), command, ...allowedRootsOf(values) });
        const out = rel(result.out);
        if (values.check !== true) process.stdout.write(`errata: wrote ${result.files.length} files to ${out}/ from ${rel(api.root)}\n`);
        else if (result.drift.length === 0) process.stdout.write(`errata: ${out}/ matches ${rel(api.root)} (${result.files.length} files)\n`);
        else {
          failed = true;
          process.stderr.write(`errata: ${out}/ is out of date with ${rel(api.root)}:\n${result.drift.map((d) => `  ${d}`).join('\n')}\n  fix:   run \`${command}\` and commit ${out}/\n`);
        }
      }
      return failed ? EXIT.contract : EXIT.ok;
    },
  },
  lint: {
    summary: "lint contracts with Redocly CLI: Redocly's rules plus errata's error-contract rules",
    usage: 'errata lint [api-or-file...] [--config redocly.yaml] [--format codeframe|stylish|json|github-actions|…] [--max-problems N] [--generate-ignore-file]',
    details:
      "Runs the real `redocly lint` with your config; with no file or API named, lints every API under `apis:`.\n" +
      "The config must load errata's plugin and turn its rules on, or errata lint stops with exit 2:\n" +
      '  plugins: [errata/redocly-plugin]\n  extends: [recommended, errata/all]\n' +
      "Without a redocly.yaml, Redocly's recommended rules plus errata/all are used.\n" +
      "Exit code: Redocly's (1 when a problem is an error).",
    options: {
      config: { type: 'string', value: '<file>', help: `the Redocly config to lint with (default: ${CONFIG_FILES[0]} in the working directory)` },
      format: { type: 'string', value: '<format>', help: 'codeframe (default), stylish, json, checkstyle, codeclimate, summary, markdown, github-actions (annotations in a GitHub Actions job), junit' },
      'max-problems': { type: 'string', value: '<n>', help: 'show at most n problems (Redocly default: 100)' },
      'allow-ref-root': allowRefRoot,
      'generate-ignore-file': { type: 'boolean', help: "write today's problems to .redocly.lint-ignore.yaml next to the config, as a baseline: only new problems fail from then on" },
    },
    async run(values, positionals) {
      const { lint, FORMATS } = await import('./lint/command');
      const format = str(values.format);
      if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(format)}`, `use one of: ${FORMATS.join(', ')}`);
      const max = str(values['max-problems']);
      if (max !== undefined && !/^\d+$/.test(max)) throw new UsageError(`--max-problems ${JSON.stringify(max)} is not a number`, 'pass a whole number: `--max-problems 50`');
      const result = await lint({
        specs: positionals,
        ...(str(values.config) !== undefined ? { config: str(values.config)! } : {}),
        ...(format !== undefined ? { format: format as (typeof FORMATS)[number] } : {}),
        ...(max !== undefined ? { maxProblems: Number(max) } : {}),
        generateIgnoreFile: values['generate-ignore-file'] === true,
        ...allowedRootsOf(values),
      });
      return result.exitCode;
    },
  },
  docs: {
    summary: 'render the API reference with its error catalog as one self-contained HTML file',
    usage: 'errata docs [api...] [--config redocly.yaml] [--spec openapi.yaml --out site/index.html] [--watch [--port N] [--host 127.0.0.1]]',
    details:
      'Without --spec, renders every API of the config that has an `x-errata` section, each to its `x-errata.docs` (default: site/index.html, or site/<api>/index.html for several).\n' +
      'With --watch (one API), the page is also served on this machine only, at http://127.0.0.1:PORT/, rebuilt and written whenever a file of the contract changes, and open pages reload after each good rebuild; a broken edit is reported and the last good page kept. Only `/` and the page\'s event stream answer; --host accepts loopback addresses only.',
    options: {
      config: configOption,
      spec: { type: 'string', value: '<file>', help: 'one contract instead of the config' },
      out: { type: 'string', value: '<file>', help: 'the HTML file to write (default: the config\'s x-errata.docs, else site/index.html)' },
      watch: { type: 'boolean', help: 'keep running: serve the page on 127.0.0.1, rebuild it whenever a file of the contract changes and reload open pages; a broken edit is reported and the last good page kept' },
      port: { type: 'string', value: '<n>', help: 'with --watch: the port to serve on (default 0: a free port, printed)' },
      host: { type: 'string', value: '<address>', help: 'with --watch: a loopback address to serve on, 127.0.0.1 (default) or ::1; no other is accepted' },
    },
    async run(values, names) {
      const { docs } = await import('./index');
      const { apis } = targets(values, names, 'docs-out');
      const out = str(values.out);
      if (out !== undefined && apis.length > 1) throw new UsageError('--out names one file, and several APIs are rendered', 'name one API (`errata docs shop@v1 --out site/shop.html`) or set `x-errata.docs` per API');
      const pageOf = (api: ApiTarget) => out ?? api.docs ?? (apis.length === 1 ? 'site/index.html' : path.join('site', api.name, 'index.html'));
      if (values.watch === true) {
        if (apis.length > 1) throw new UsageError('--watch serves one API, and several are rendered', `name one: \`errata docs ${apis[0]!.name} --watch\``);
        return docsWatchCommand(apis[0]!, path.resolve(pageOf(apis[0]!)), values);
      }
      for (const flag of ['port', 'host']) if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --watch`, `\`errata docs --watch --${flag} …\` serves the page; without --watch errata docs only writes it`);
      for (const api of apis) {
        const result = await docs({ spec: api.root, out: pageOf(api) });
        process.stdout.write(`errata: wrote ${rel(result.out)} (${Math.round(result.bytes / 1024)} KiB) from ${rel(api.root)}; open it in a browser, no network needed\n`);
      }
      return EXIT.ok;
    },
  },
  init: {
    summary: 'adopt errata on an existing OpenAPI 3.0/3.1 description: infer envelope, catalog and codes, edit the files in place',
    usage: 'errata init [openapi/openapi.yaml] [--dry-run]',
    details: 'Reads the description (OpenAPI 3.0 or 3.1), infers the error envelope, a catalog and each response\'s codes, and edits your files in place (comments and layout kept), or with --dry-run only prints what it would infer. Then runs generate and lint and lists, with file:line, whatever still needs a human. See docs/init.md.',
    options: { 'dry-run': { type: 'boolean', help: 'print the report only; write nothing' } },
    async run(values, positionals) {
      const { init } = await import('./init/index');
      const result = await init({ spec: positionals[0] ?? 'openapi/openapi.yaml', dryRun: values['dry-run'] === true });
      process.stdout.write(result.report);
      return result.remaining && result.remaining.generate.length + result.remaining.lint.length > 0 ? EXIT.contract : EXIT.ok;
    },
  },
  diff: {
    summary: 'compare two error contracts: which changes break clients generated from the old one',
    usage: 'errata diff <old> <new> [--format text|json|markdown|github-actions] [--fail-on breaking|warning|safe|none] [--rule id=level]… [--config policy.json] [--validate] [--rules]\n             (each side a contract path or <git-rev>:<path>, e.g. origin/main:openapi/openapi.yaml)',
    details: 'Exit 1 when a change at or above --fail-on is found, 0 otherwise, 2 for input that cannot be read or compared. Each side is a contract path or <git-rev>:<path>, read with git (no checkout). See docs/diff.md for every rule and why it is breaking, a warning or safe.',
    options: {
      format: { type: 'string', value: '<format>', help: 'text (default), json, markdown (a pull-request comment) or github-actions (annotations)' },
      'fail-on': { type: 'string', value: '<level>', help: 'breaking (default), warning, safe or none: the lowest level that makes the exit code 1' },
      rule: { type: 'string', value: '<id=level>', multiple: true, help: 'promote or demote one rule (breaking, warning, safe or off); may be repeated' },
      config: { type: 'string', value: '<file>', help: 'a policy file (JSON or YAML) with `rules: { id: level }` and `failOn`' },
      validate: { type: 'boolean', help: 'also validate both sides as OpenAPI (slower; off by default)' },
      rules: { type: 'boolean', help: 'list every rule id with its default level and exit' },
    },
    async run(values, positionals) {
      const { diffCommand } = await import('./diff/command');
      const v = values as Record<string, string | string[] | boolean | undefined>;
      return diffCommand(positionals, { format: v.format as string | undefined, failOn: v['fail-on'] as string | undefined, rule: v.rule as string[] | undefined, config: v.config as string | undefined, validate: v.validate === true, rules: v.rules === true });
    },
  },
};

/** This package's version, from its package.json (one or two folders up: generator/ or dist/generator/). */
export function version(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'errata' && pkg.version) return pkg.version;
    }
  }
  return 'unknown';
}

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `errata ${version()} — OpenAPI error contracts\n\nUsage: errata <command> [options]\n\n${lines.join('\n')}\n\n  errata <command> --help   every option of a command\n  errata --version\n\nExit codes: 0 ok, 1 contract problems (or drift), 2 usage or unreadable input.\n`;
}

function commandHelp(name: string, c: Command): string {
  const opts = Object.entries(c.options).map(([flag, o]) => {
    const left = `--${flag}${o.value ? ` ${o.value}` : ''}`;
    return `  ${left.padEnd(32)} ${o.help}`;
  });
  opts.push(`  ${'-h, --help'.padEnd(32)} this help`);
  return `errata ${name}: ${c.summary}\n\nUsage: ${c.usage}\n\nOptions:\n${opts.join('\n')}\n\n${c.details}\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${version()}\n`);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(`errata: unknown command ${JSON.stringify(name)}\n  fix:   use one of: ${Object.keys(commands).join(', ')} (errata --help)\n`);
    return EXIT.usage;
  }
  try {
    let parsed;
    try {
      const options = Object.fromEntries(Object.entries(command.options).map(([k, o]) => [k, { type: o.type, ...(o.multiple ? { multiple: true } : {}) }]));
      parsed = parseArgs({ args: rest, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message, `usage: ${command.usage} (errata ${name} --help)`);
    }
    if (parsed.values.help) {
      process.stdout.write(commandHelp(name, command));
      return EXIT.ok;
    }
    return await command.run(parsed.values, parsed.positionals);
  } catch (e) {
    return report(e);
  }
}

export function report(e: unknown): number {
  // Messages quote the contract (codes, pointers, file names): control characters in them are
  // shown escaped, so a contract cannot rewrite the terminal (ESC sequences, CR, bidi controls).
  const write = (text: string) => process.stderr.write(terminal(text));
  if (e instanceof ContractError) {
    const n = e.problems.length;
    write(`errata: the contract has ${n} problem${n === 1 ? '' : 's'}; nothing was written\n${e.message}\n`);
    return EXIT.contract;
  }
  if (e instanceof UsageError) {
    const where = e.location ? `${formatLocation(e.location)}\n  ` : '';
    write(`errata: ${where}error: ${e.message}\n  fix:   ${e.fix}\n`);
    return EXIT.usage;
  }
  write(`errata: internal error (please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return EXIT.usage;
}
