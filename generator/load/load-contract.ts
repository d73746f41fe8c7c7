import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ContractError, UsageError, type Problem } from '../errors';
import { toPointer } from '../model/pointer';
import { Locator, displayPath } from './locate';

/** A parsed OpenAPI document: plain JSON data, `$ref`s internal to it. */
export type Document = Record<string, unknown>;

export interface LoadedContract {
  /** The root file as given on the command line. */
  file: string;
  /** The authored files bundled into one document; shared parts stay `$ref`s, so they keep names. */
  document: Document;
  locator: Locator;
}

interface ParserErrorLike {
  name?: string;
  message: string;
  source?: string;
  path?: (string | number)[] | null;
  errors?: ParserErrorLike[];
  details?: { instancePath?: string; message?: string; params?: unknown }[];
}

/**
 * Reads and validates a (possibly multi-file) OpenAPI 3.1 contract.
 * https://spec.openapis.org/oas/v3.1.0#relative-references-in-uris
 *
 * swagger-parser's bundle keeps every shared node at its first and shortest location, so a file
 * registered under the root `components` keeps its component name, which the generated types need.
 * Circular schemas stay circular `$ref`s; nothing here dereferences them.
 */
export async function loadContract(file: string, options: { validate?: boolean } = {}): Promise<LoadedContract> {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(`cannot read the contract ${file}: no such file`, 'pass --spec with the path of your root OpenAPI file (default openapi/openapi.yaml)');
  }
  const locator = new Locator(file);
  let document: Document;
  try {
    document = (await new SwaggerParser().bundle(file, { continueOnError: true })) as unknown as Document;
  } catch (e) {
    throw fromParserError(e as ParserErrorLike, file, locator);
  }
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1')) {
    throw new ContractError([
      {
        pointer: '/openapi',
        location: locator.locate('/openapi'),
        message: `errata reads OpenAPI 3.1 contracts; this one says openapi: ${JSON.stringify(document.openapi ?? null)}`,
        fix: 'set `openapi: 3.1.0` (3.0 documents convert by replacing `nullable` with type arrays and `example` in schemas with `examples`)',
      },
    ]);
  }
  if (options.validate !== false) await validate(document, locator);
  return { file, document, locator };
}

async function validate(document: Document, locator: Locator): Promise<void> {
  try {
    // validate() dereferences in place; the bundle must keep its $refs.
    await SwaggerParser.validate(structuredClone(document) as never);
  } catch (e) {
    const err = e as ParserErrorLike;
    const details = err.details ?? [];
    if (details.length === 0) {
      throw new ContractError([{ pointer: '', message: `not a valid OpenAPI 3.1 document: ${err.message}`, fix: 'correct the document against https://spec.openapis.org/oas/v3.1.0' }]);
    }
    const seen = new Set<string>();
    const problems: Problem[] = [];
    for (const d of details) {
      const pointer = d.instancePath ?? '';
      if (seen.has(pointer)) continue;
      seen.add(pointer);
      problems.push({
        pointer,
        location: locator.locate(pointer),
        message: `not valid OpenAPI 3.1: ${d.message ?? 'schema violation'}${d.params ? ` ${JSON.stringify(d.params)}` : ''}`,
        fix: 'correct this node against https://spec.openapis.org/oas/v3.1.0',
      });
      if (problems.length >= 10) break;
    }
    throw new ContractError(problems);
  }
}

function fromParserError(err: ParserErrorLike, rootFile: string, locator: Locator): Error {
  const errors = err.errors?.length ? err.errors : [err];
  const syntax = errors.find((e) => e.name === 'ParserError' || e.name === 'SyntaxError');
  if (syntax) {
    // js-yaml reports "(line:column)" in its message, and names the file it could not parse.
    const fileMatch = /Error parsing (.+?): /.exec(syntax.message);
    const at = /\((\d+):(\d+)\)/.exec(syntax.message);
    const badFile = fileMatch?.[1] ?? syntax.source ?? rootFile;
    const line = at ? Number(at[1]) : undefined;
    let reason = syntax.message.replace(/^Error parsing [^:]+: /, '').split('\n')[0] ?? '';
    let fix = 'fix the YAML/JSON syntax at that line';
    if (reason.includes('duplicated mapping key') && line !== undefined) {
      // A catalog code written twice surfaces here: name it.
      const key = /^\s*["']?([^"':]+)["']?\s*:/.exec(readFileSync(badFile, 'utf8').split('\n')[line - 1] ?? '')?.[1];
      if (key) reason = `${JSON.stringify(key)} is defined twice in the same mapping (${reason})`;
      fix = 'keep one definition: each name (and each error code) may appear once';
    }
    return new UsageError(`cannot parse ${displayPath(badFile)}: ${reason}`, fix, {
      file: displayPath(badFile),
      pointer: '',
      ...(line !== undefined ? { line, column: Number(at![2]) } : {}),
    });
  }
  const problems: Problem[] = errors.map((e) => {
    const pointer = e.path ? toPointer(e.path) : '';
    const missingFile = e.name === 'ResolverError';
    return {
      pointer,
      location: e.path ? locator.locate(pointer) : undefined,
      message: missingFile ? `$ref cannot be resolved: ${e.message.split('\n')[0]}` : `dangling $ref: ${e.message}`,
      fix: missingFile ? 'correct the file path of the $ref (relative to the file that contains it)' : 'point the $ref at a node that exists, or add the missing node',
    };
  });
  return new ContractError(problems);
}
