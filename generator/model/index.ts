import { ContractError, type Problem } from '../errors';
import type { LoadedContract } from '../load/load-contract';
import { readCatalog } from './catalog';
import { envelopeCodec } from './codec';
import { docUrlProblems, fixedCodeProblems, readEnvelopes } from './envelope';
import { internalProblems, internalStatus, readInternal } from './internal';
import { unknownKeys } from './strict';
import { readOperations } from './operations';
import { codeInTwoEnvelopes } from './response-words';
import { internalResolver, isRecord } from './resolve';
import { toPointer } from './pointer';
import type { CatalogCode, Envelope, ErrorContract, ErrorResponse } from './types';

export type * from './types';

/**
 * Reads the error contract out of a loaded document in one pass over `paths` (and over webhooks
 * and shared path items for their operationIds).
 * Throws ContractError with every problem found, each located in the authored files.
 */
export function buildModel(contract: LoadedContract): ErrorContract {
  const { document, locator } = contract;
  const resolve = internalResolver(document);
  const problems: Problem[] = [];
  const errata = resolve(document['x-errata']);
  if (!isRecord(errata)) {
    throw located(contract, [
      {
        pointer: '',
        message: 'the contract has no `x-errata` extension, so errata does not know its error envelope and catalog',
        fix: 'add `x-errata: { envelope: {...}, catalog: { $ref: ./errors/catalog.yaml } }` to the root document (see docs/conventions.md)',
      },
    ]);
  }
  problems.push(...unknownKeys(errata, resolve));
  const env = readEnvelopes(errata, resolve);
  problems.push(...env.problems);
  const defaultEnvelope = env.envelopes.find((e) => e.name === 'default');
  const cat = readCatalog(errata.catalog, '/x-errata/catalog', resolve, env.metaRequired);
  problems.push(...cat.problems);
  const byCode = new Map(cat.catalog.codes.map((c) => [c.code, c]));
  const ops = readOperations(document, byCode, resolve, defaultEnvelope?.meta !== undefined, cat.written, env.envelopes, errata.unrouted);
  problems.push(...ops.problems);
  const internal = readInternal(errata.internal, cat.catalog.codes, cat.written);
  problems.push(...internal.problems);
  if (internal.internal) {
    // Listed under `x-errata.unrouted` with its internal status, any request may get it: no operation needs to list it.
    const status = internalStatus(internal.internal);
    const anyRequest = new Set(Object.entries(ops.unrouted.rules).filter(([, rule]) => rule.statuses.includes(status)).map(([code]) => code));
    problems.push(...internalProblems(internal.internal, ops.operations, anyRequest));
  }
  const naming = readSchemaNames(errata.schemaNames);
  problems.push(...naming.problems);
  for (const c of cat.catalog.codes) {
    c.schemaName = `${naming.prefix}${c.schemaName.replace(/Error$/, '')}${naming.suffix}`;
    if (document.components && isRecord(document.components) && isRecord(document.components.schemas) && c.schemaName in document.components.schemas) {
      problems.push({
        pointer: `/components/schemas/${c.schemaName}`,
        message: `the schema name ${c.schemaName} is taken, but errata generates it for the code ${c.code}`,
        fix: `rename your schema ${c.schemaName}, or give errata's schema names a prefix or suffix: \`x-errata: { schemaNames: { prefix: Errata } }\` makes it Errata${c.schemaName}`,
      });
    }
  }
  // Each envelope's codec, computed once here: expand and emit read it from the model.
  const codecs = env.envelopes.map((e) => envelopeCodec(e, resolve));
  for (const c of codecs) problems.push(...c.problems);
  problems.push(...docUrlProblems(env.envelopes, cat.catalog.codes, errata.docsUrl));
  problems.push(...envelopeUses(env.envelopes, cat.catalog.codes, [...ops.operations.flatMap((op) => op.errors), ...ops.unrouted.errors], cat.written));
  if (problems.length > 0 || !defaultEnvelope) throw located(contract, problems);
  const info = isRecord(document.info) ? document.info : {};
  // RFC 9457 problem types: a code without its own `type` gets its anchor in the published reference.
  const docsUrl = typeof errata.docsUrl === 'string' ? errata.docsUrl : undefined;
  if (docsUrl !== undefined) for (const c of cat.catalog.codes) c.type ??= `${docsUrl}#error-${c.code}`;
  return {
    title: typeof info.title === 'string' ? info.title : 'API',
    version: typeof info.version === 'string' ? info.version : '',
    envelope: defaultEnvelope,
    envelopes: env.envelopes,
    codecs: codecs.map((c) => c.codec),
    ...cat.catalog,
    operations: ops.operations,
    ...(internal.internal ? { internal: internal.internal.code } : {}),
    ...(docsUrl !== undefined ? { docsUrl } : {}),
    unrouted: ops.unrouted.errors,
    unroutedRules: ops.unrouted.rules,
  };
}

/**
 * Each code's envelope: the one of the responses that list it (a code sent in two envelopes could
 * not be read back by its shape), or the envelope whose fixed code it is. Sets `CatalogCode.envelope`.
 */
function envelopeUses(envelopes: readonly Envelope[], codes: CatalogCode[], responses: readonly ErrorResponse[], written: ReadonlySet<string>): Problem[] {
  const problems: Problem[] = [];
  problems.push(...fixedCodeProblems(envelopes, (code) => codes.some((c) => c.code === code) || written.has(code)));
  const seen = new Map<string, { envelope: string; pointer: string }>();
  for (const res of responses) {
    const envelope = res.envelope ?? 'default';
    for (const code of res.codes) {
      const first = seen.get(code);
      if (!first) seen.set(code, { envelope, pointer: res.pointer });
      else if (first.envelope !== envelope && !problems.some((p) => p.pointer === `${res.pointer}/x-errata-codes`)) {
        problems.push({ pointer: `${res.pointer}/x-errata-codes`, ...codeInTwoEnvelopes(code, envelope, first.envelope, first.pointer) });
      }
    }
  }
  for (const c of codes) {
    const envelope = seen.get(c.code)?.envelope ?? envelopes.find((e) => e.fixedCode === c.code)?.name;
    if (envelope !== undefined && envelope !== 'default') c.envelope = envelope;
  }
  return problems;
}

const NAME_PART = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * `x-errata.schemaNames: { prefix, suffix }`: how the per-code schemas errata adds to
 * `components/schemas` are named (`${prefix}QuotaExceeded${suffix}`, suffix `Error` by default),
 * for contracts whose own names would collide (FastAPI always emits `ValidationError`).
 */
function readSchemaNames(raw: unknown): { prefix: string; suffix: string; problems: Problem[] } {
  const names = { prefix: '', suffix: 'Error', problems: [] as Problem[] };
  if (raw === undefined) return names;
  if (!isRecord(raw)) return { ...names, problems: [{ pointer: '/x-errata/schemaNames', message: '`x-errata.schemaNames` must be a mapping', fix: 'write `schemaNames: { prefix: Errata }` (and/or `suffix: Body`)' }] };
  for (const key of ['prefix', 'suffix'] as const) {
    const value = raw[key];
    if (value === undefined) continue;
    // The suffix follows a name, so it may start with a digit; both end up in TypeScript and JSON Pointers as is.
    if (typeof value !== 'string' || !(key === 'suffix' ? /^[A-Za-z0-9_$]*$/ : NAME_PART).test(value)) {
      names.problems.push({ pointer: `/x-errata/schemaNames/${key}`, message: `\`x-errata.schemaNames.${key}\` must be ${key === 'prefix' ? 'an identifier start' : 'letters, digits or _'}, got ${JSON.stringify(value)}`, fix: `write e.g. \`${key}: ${key === 'prefix' ? 'Errata' : 'Body'}\`` });
    } else names[key] = value;
  }
  return names;
}

function located(contract: LoadedContract, problems: Problem[]): ContractError {
  return new ContractError(problems.map((p) => ({ ...p, location: p.location ?? contract.locator.locate(p.pointer) })));
}
