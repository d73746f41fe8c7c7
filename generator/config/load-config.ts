import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isMap, parseDocument, type Document } from 'yaml';
import type { ImportExtension } from '../emit/output-options';
import { UsageError, type SourceLocation } from '../errors';
import { readOpenapiTsOptions, type OpenapiTsOptions } from './openapi-ts-options';

/**
 * errata reads its settings from the project's Redocly configuration, as openapi-typescript does
 * (`x-openapi-ts` in each `apis:` entry): one file names every contract, its lint rules and what
 * errata generates from it, and `redocly lint` with no arguments already lints the same list.
 *
 * ```yaml
 * apis:
 *   shop@v1:
 *     root: ./openapi/openapi.yaml
 *     x-errata:
 *       output: ./src/generated     # required: the folder `errata generate` owns
 *       docs: ./site/index.html     # optional: where `errata docs` writes the reference
 *       importExtension: .js        # .js (default: NodeNext and Bundler), .ts (Node type stripping) or none
 *       validate: true              # false skips the OpenAPI 3.1 schema validation
 *       openapiTypescript:          # optional: openapi-typescript options for openapi.ts
 *         defaultNonNullable: false
 * ```
 */
export const CONFIG_FILES = ['redocly.yaml', 'redocly.yml', '.redocly.yaml', '.redocly.yml'] as const;

export type { ImportExtension };
export const IMPORT_EXTENSIONS: Record<string, ImportExtension> = { '.js': '.js', '.ts': '.ts', none: '' };

/** One contract errata generates from, with every path absolute. */
export interface ApiTarget {
  /** The key under `apis:` (`shop@v1`). */
  name: string;
  root: string;
  output: string;
  docs: string | undefined;
  validate: boolean;
  importExtension: ImportExtension;
  /** openapi-typescript's options for `openapi.ts` (`x-errata.openapiTypescript`). */
  openapiTypescript?: OpenapiTsOptions;
}

export interface ErrataConfig {
  /** Absolute path of the config file. */
  file: string;
  /** The `apis:` entries that have an `x-errata` section, in file order. */
  apis: ApiTarget[];
  /** The parsed file, for checks that read Redocly's own keys (`plugins`, `extends`, `rules`). */
  document: Record<string, unknown>;
}

/** The config `--config` names, else the first of CONFIG_FILES in `cwd` (as Redocly looks it up). */
export function findConfig(cwd: string, explicit?: string): string | undefined {
  if (explicit !== undefined) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new UsageError(`cannot read the config ${explicit}`, 'pass the path of your redocly.yaml: `--config path/to/redocly.yaml`');
    return file;
  }
  return CONFIG_FILES.map((name) => path.join(cwd, name)).find((file) => existsSync(file));
}

export function loadConfig(file: string, cwd = process.cwd()): ErrataConfig {
  const shown = path.relative(cwd, file) || file;
  const lines = new LineCounter();
  const doc: Document = parseDocument(readFileSync(file, 'utf8'), { lineCounter: lines, prettyErrors: false });
  const at = (pointer: string, node?: { range?: [number, number, number] | null }): SourceLocation => {
    const pos = node?.range ? lines.linePos(node.range[0]) : undefined;
    return { file: shown, pointer, ...(pos ? { line: pos.line, column: pos.col } : {}) };
  };
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = lines.linePos(e.pos[0]);
    throw new UsageError(`the config is not valid YAML: ${e.message.split('\n')[0]}`, 'fix the YAML syntax', { file: shown, pointer: '', line: pos.line, column: pos.col });
  }
  const data: unknown = doc.toJS();
  const document = isObject(data) ? data : {};
  const apis: ApiTarget[] = [];
  const dir = path.dirname(file);
  const apisNode = doc.get('apis', true);
  const entries = isObject(document['apis']) ? document['apis'] : {};
  for (const [name, entry] of Object.entries(entries)) {
    if (!isObject(entry) || entry['x-errata'] === undefined) continue;
    const base = `/apis/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const node = isMap(apisNode) ? (apisNode.get(name, true) as { range?: [number, number, number] } | undefined) : undefined;
    const section = entry['x-errata'];
    const where = (key: string) => at(`${base}/x-errata${key ? `/${key}` : ''}`, isMap(node) ? ((node.getIn(['x-errata', ...(key ? key.split('/') : [])], true) as { range?: [number, number, number] }) ?? node) : node);
    const example = `apis: { ${name}: { root: ./openapi.yaml, x-errata: { output: ./generated } } }`;
    if (typeof entry['root'] !== 'string') throw new UsageError(`the API ${JSON.stringify(name)} has no \`root\``, `name its OpenAPI root document: ${example}`, at(base, node));
    if (!isObject(section)) throw new UsageError('`x-errata` must be a mapping', `write it as \`x-errata: { output: ./generated }\``, where(''));
    const known = ['output', 'docs', 'validate', 'importExtension', 'openapiTypescript'];
    for (const key of Object.keys(section)) {
      if (!known.includes(key)) throw new UsageError(`unknown option \`x-errata.${key}\``, `use only ${known.join(', ')}`, where(key));
    }
    if (typeof section['output'] !== 'string' || section['output'] === '') {
      throw new UsageError(`the API ${JSON.stringify(name)} has no \`x-errata.output\``, `name the folder errata generate owns: ${example}`, where(''));
    }
    if (section['docs'] !== undefined && typeof section['docs'] !== 'string') throw new UsageError('`x-errata.docs` must be a path', 'write e.g. `docs: ./site/index.html`', where('docs'));
    if (section['validate'] !== undefined && typeof section['validate'] !== 'boolean') throw new UsageError('`x-errata.validate` must be true or false', 'write `validate: false` to skip the OpenAPI schema validation', where('validate'));
    const ext = section['importExtension'] ?? '.js';
    if (typeof ext !== 'string' || !Object.hasOwn(IMPORT_EXTENSIONS, ext)) {
      throw new UsageError('`x-errata.importExtension` must be .js, .ts or none', '.js suits `module: NodeNext` and bundlers; .ts suits Node type stripping (with `allowImportingTsExtensions`); none suits bundlers only', where('importExtension'));
    }
    apis.push({
      name,
      root: path.resolve(dir, entry['root']),
      output: path.resolve(dir, section['output']),
      docs: typeof section['docs'] === 'string' ? path.resolve(dir, section['docs']) : undefined,
      validate: section['validate'] !== false,
      importExtension: IMPORT_EXTENSIONS[ext]!,
      ...(section['openapiTypescript'] !== undefined
        ? { openapiTypescript: readOpenapiTsOptions(section['openapiTypescript'], (key) => where(key ? `openapiTypescript/${key}` : 'openapiTypescript')) }
        : {}),
    });
  }
  return { file, apis, document };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
