// Validates an OpenAPI contract against the OAS schema, on the caller's thread (loadContract) or on
// a thread of its own that a watch loop keeps loaded between runs. It reads no file: it gets the texts loadContract read
// under the read policy (contract folder only, regular files, size limit), and resolves every
// `$ref` among them. Plain JavaScript: worker threads do not inherit the TypeScript loader the CLI
// registers.
//
// It does what swagger-parser's `validate` does for OpenAPI 3 (dereference, circular refs left in
// place, then the OAS JSON Schema with Ajv), with the schema compiled ahead of time
// (scripts/oas-validators.mjs) instead of on every run. The thread stays up: `texts` messages
// after the first validate again without reloading anything (the watch loop sends them).
import { createRequire } from 'node:module';
import path from 'node:path';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import SwaggerParser from '@apidevtools/swagger-parser';
import { ResolverError, dereferenceInternal, jsonSchemaParserNormalizeArgs } from '@apidevtools/json-schema-ref-parser';
import { isFileSystemPath, toFileSystemPath } from '@apidevtools/json-schema-ref-parser/dist/lib/util/url.js';
import resolveExternal from '@apidevtools/json-schema-ref-parser/dist/lib/resolve-external.js';
import { dereferenceSimple } from './dereference.mjs';

const require = createRequire(import.meta.url);
let v30;
let v31;

async function validate(file, texts) {
  const loaded = {
    order: 1,
    canRead: () => true,
    read(f) {
      const text = isFileSystemPath(f.url) ? texts.get(path.resolve(toFileSystemPath(f.url))) : undefined;
      if (text === undefined) throw new ResolverError(new Error(`${f.url} was not loaded by errata`), f.url);
      return text;
    },
  };
  const options = { resolve: { file: loaded, http: false, external: true } };
  const api = await dereferenced(file, { ...options, dereference: { circular: 'ignore' } });
  // Swagger 2.0 never gets here (errata refuses it first); swagger-parser validates anything else.
  if (api.swagger !== undefined || typeof api.openapi !== 'string') return void (await SwaggerParser.validate(file, options));
  const check = api.openapi.startsWith('3.1') ? (v31 ??= require('./oas31-validator.cjs')) : (v30 ??= require('./oas30-validator.cjs'));
  if (!check(api)) {
    const error = new SyntaxError(`Swagger schema validation failed.\n${check.errors.map((e) => `  #${e.instancePath.length ? e.instancePath : '/'} ${e.message}\n`).join('')}`);
    error.details = check.errors;
    throw error;
  }
}

/**
 * What swagger-parser's `dereference(file, options)` returns: its parse (with its own checks of the
 * version, paths or webhooks), then ref-parser's resolution of other files and its dereference; or,
 * when the contract is one document of plain internal refs (nothing to resolve), the same tree
 * built faster (`dereferenceSimple`).
 */
async function dereferenced(file, options) {
  const parser = new SwaggerParser();
  await parser.parse(file, options);
  const simple = dereferenceSimple(parser.schema);
  if (simple === true) return parser.schema;
  // Deep enough for ref-parser's depth limit, and changed already: ref-parser's from the start.
  if (simple === undefined) return new SwaggerParser().dereference(file, options);
  const normalized = jsonSchemaParserNormalizeArgs([file, options]).options;
  await resolveExternal(parser, normalized);
  dereferenceInternal(parser, normalized);
  return parser.schema;
}

/** The verdict on the contract `file` made of `texts` (a Map by absolute path): plain data only. */
export async function verdict(file, texts) {
  try {
    await validate(file, texts);
    return { ok: true };
  } catch (e) {
    // Only plain data crosses threads: the parts of the error loadContract reports.
    const details = Array.isArray(e?.details)
      ? e.details.map((d) => JSON.parse(JSON.stringify({ instancePath: d.instancePath, message: d.message, params: d.params })))
      : undefined;
    return { ok: false, message: String(e?.message ?? e), details };
  }
}

if (!isMainThread && parentPort) {
  parentPort.on('message', async ({ file, texts }) => parentPort.postMessage(await verdict(file, new Map(Object.entries(texts)))));
  if (workerData?.file) parentPort.postMessage(await verdict(workerData.file, new Map(Object.entries(workerData.texts))));
}
