import { ContractError, type Problem } from '../errors';
import type { LoadedContract } from '../load/load-contract';
import { readCatalog } from './catalog';
import { bodyTemplate } from './body';
import { readEnvelope } from './envelope';
import { internalProblems, internalStatus, readInternal } from './internal';
import { unknownKeys } from './strict';
import { readOperations } from './operations';
import { internalResolver, isRecord } from './resolve';
import type { ErrorContract } from './types';

export type * from './types';

/**
 * Reads the error contract out of a loaded document in one pass over `paths`.
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
  const env = readEnvelope(errata.envelope, '/x-errata/envelope', resolve);
  problems.push(...env.problems);
  const cat = readCatalog(errata.catalog, '/x-errata/catalog', resolve, env.metaRequired);
  problems.push(...cat.problems);
  const byCode = new Map(cat.catalog.codes.map((c) => [c.code, c]));
  const ops = readOperations(document, byCode, resolve, env.envelope?.meta !== undefined, cat.written, env.envelope, errata.unrouted);
  problems.push(...ops.problems);
  const internal = readInternal(errata.internal, cat.catalog.codes, cat.written);
  problems.push(...internal.problems);
  if (internal.internal) {
    // Listed under `x-errata.unrouted` with its internal status, any request may get it: no operation needs to list it.
    const status = internalStatus(internal.internal);
    const anyRequest = new Set(Object.entries(ops.unrouted.rules).filter(([, rule]) => rule.statuses.includes(status)).map(([code]) => code));
    problems.push(...internalProblems(internal.internal, ops.operations, anyRequest));
  }
  for (const c of cat.catalog.codes) {
    if (document.components && isRecord(document.components) && isRecord(document.components.schemas) && c.schemaName in document.components.schemas) {
      problems.push({ pointer: `/components/schemas/${c.schemaName}`, message: `the schema name ${c.schemaName} is taken, but errata generates it for the code ${c.code}`, fix: `rename your schema ${c.schemaName}` });
    }
  }
  if (env.envelope) problems.push(...bodyTemplate(env.envelope, resolve).problems);
  if (problems.length > 0 || !env.envelope) throw located(contract, problems);
  const info = isRecord(document.info) ? document.info : {};
  // RFC 9457 problem types: a code without its own `type` gets its anchor in the published reference.
  const docsUrl = typeof errata.docsUrl === 'string' ? errata.docsUrl : undefined;
  if (docsUrl !== undefined) for (const c of cat.catalog.codes) c.type ??= `${docsUrl}#error-${c.code}`;
  return {
    title: typeof info.title === 'string' ? info.title : 'API',
    version: typeof info.version === 'string' ? info.version : '',
    envelope: env.envelope,
    ...cat.catalog,
    operations: ops.operations,
    ...(internal.internal ? { internal: internal.internal.code } : {}),
    ...(docsUrl !== undefined ? { docsUrl } : {}),
    unrouted: ops.unrouted.errors,
    unroutedRules: ops.unrouted.rules,
  };
}

function located(contract: LoadedContract, problems: Problem[]): ContractError {
  return new ContractError(problems.map((p) => ({ ...p, location: p.location ?? contract.locator.locate(p.pointer) })));
}
