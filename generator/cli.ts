import { parseArgs, type ParseArgsConfig } from 'node:util';
import path from 'node:path';
import { ContractError, UsageError, formatLocation } from './errors';
import { terminal } from './model/escape';

/** Exit codes: 0 success, 1 problems in the contract (or drift), 2 usage or unreadable input. */
export const EXIT = { ok: 0, contract: 1, usage: 2 } as const;

interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number>;
}

const commands: Record<string, Command> = {
  generate: {
    summary: 'bundle the contract and write generated/ (catalog, types, helpers)',
    usage: 'errata generate [--spec openapi/openapi.yaml] [--out generated] [--check] [--no-validate] [--allow-ref-root <folder>]…',
    options: {
      spec: { type: 'string', default: 'openapi/openapi.yaml' },
      out: { type: 'string', default: 'generated' },
      check: { type: 'boolean', default: false },
      'no-validate': { type: 'boolean', default: false },
      // References resolve only inside the root file's folder; each of these widens that.
      'allow-ref-root': { type: 'string', multiple: true },
    },
    async run(values) {
      const spec = String(values.spec);
      const out = String(values.out);
      // Loaded on demand: openapi-typescript alone takes most of a second to import.
      const [{ generate }, { diffOutput, writeOutput }] = await Promise.all([import('./generate'), import('./emit/write')]);
      const allowedRoots = values['allow-ref-root'] as unknown as string[] | undefined;
      const { files } = await generate(spec, { validate: values['no-validate'] !== true, ...(allowedRoots ? { allowedRoots } : {}) });
      if (values.check) {
        const drift = diffOutput(out, files);
        if (drift.length > 0) {
          process.stderr.write(`errata: ${out}/ is out of date with ${spec}:\n${drift.map((d) => `  ${d}`).join('\n')}\n  fix:   run \`npm run generate\` and commit ${out}/\n`);
          return EXIT.contract;
        }
        process.stdout.write(`errata: ${out}/ matches ${spec} (${files.length} files)\n`);
        return EXIT.ok;
      }
      await writeOutput(out, files);
      process.stdout.write(`errata: wrote ${files.length} files to ${path.relative(process.cwd(), path.resolve(out)) || '.'}/\n`);
      return EXIT.ok;
    },
  },
  lint: {
    summary: "lint the contract: Redocly's recommended rules plus errata's error-contract rules",
    usage: 'errata lint [openapi/openapi.yaml] [--format codeframe|stylish|json|checkstyle|github-actions|…] [--config redocly.yaml] [--max-problems N] [--generate-ignore-file] [--allow-ref-root <folder>]…',
    options: {
      format: { type: 'string' },
      config: { type: 'string' },
      'max-problems': { type: 'string' },
      'generate-ignore-file': { type: 'boolean', default: false },
      'allow-ref-root': { type: 'string', multiple: true },
    },
    async run(values, positionals) {
      const { lint } = await import('./lint/command');
      return lint({
        spec: positionals[0] ?? 'openapi/openapi.yaml',
        ...(typeof values.format === 'string' ? { format: values.format } : {}),
        ...(typeof values.config === 'string' ? { config: values.config } : {}),
        ...(typeof values['max-problems'] === 'string' ? { maxProblems: values['max-problems'] } : {}),
        generateIgnoreFile: values['generate-ignore-file'] === true,
        ...(values['allow-ref-root'] ? { allowedRoots: values['allow-ref-root'] as string[] } : {}),
      });
    },
  },
  docs: {
    summary: 'render the API reference with its error catalog as one self-contained HTML file',
    usage: 'errata docs [--spec openapi/openapi.yaml] [--out site/index.html]',
    options: {
      spec: { type: 'string', default: 'openapi/openapi.yaml' },
      out: { type: 'string', default: 'site/index.html' },
    },
    async run(values) {
      const { buildDocs } = await import('./docs/build-docs');
      const { out, bytes } = await buildDocs(String(values.spec), String(values.out));
      process.stdout.write(`errata: wrote ${path.relative(process.cwd(), out)} (${Math.round(bytes / 1024)} KiB); open it in a browser, no network needed\n`);
      return EXIT.ok;
    },
  },
  diff: {
    summary: 'compare two error contracts: which changes break clients generated from the old one',
    usage: 'errata diff <old> <new> [--format text|json|markdown|github-actions] [--fail-on breaking|warning|safe|none] [--rule id=level]… [--config policy.json] [--validate] [--rules]\n             (each side a contract path or <git-rev>:<path>, e.g. origin/main:openapi/openapi.yaml)',
    options: {
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      rule: { type: 'string', multiple: true },
      config: { type: 'string' },
      validate: { type: 'boolean', default: false },
      rules: { type: 'boolean', default: false },
    },
    async run(values, positionals) {
      const { diffCommand } = await import('./diff/command');
      const v = values as Record<string, string | string[] | boolean | undefined>;
      return diffCommand(positionals, { format: v.format as string | undefined, failOn: v['fail-on'] as string | undefined, rule: v.rule as string[] | undefined, config: v.config as string | undefined, validate: v.validate === true, rules: v.rules === true });
    },
  },
};

function help(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}\n             ${c.usage}`);
  return `errata — OpenAPI error contracts\n\nUsage: errata <command> [options]\n\n${lines.join('\n')}\n\nExit codes: 0 ok, 1 contract problems, 2 usage or unreadable input.\n`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`errata: unknown command ${JSON.stringify(name)}\n  fix:   use one of: ${Object.keys(commands).join(', ')} (errata --help)\n`);
    return EXIT.usage;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message, `usage: ${command.usage}`);
    }
    if (parsed.values.help) {
      process.stdout.write(`${command.usage}\n`);
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
