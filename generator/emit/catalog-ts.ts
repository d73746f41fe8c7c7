import { identifier } from '../model/names';
import { metaCheck } from '../model/codec';
import { internalResolver } from '../model/resolve';
import { isExactKey } from '../model/rules';
import { runtimeFile } from './runtime-files';
import { tsCode, tsComment, tsJson, tsString, tsStringList, tsStringUnion, tsTemplate, type TsCode, type TsComment, type TsLiteral } from '../model/escape';
import { METHODS } from '../model/operations';
import type { Path } from '../../runtime/codec';
import type { CatalogCode, CodeRule, ErrorContract, Operation } from '../model/types';
import { render } from './render';
import type { Emitter } from './types';

/**
 * `components["schemas"]["QuotaExceededError"]["meta"]`: the code's meta type, from openapi.ts. An
 * array step is `[number]`; a `[member=value]` step, the element type whose member is that value.
 */
export function metaType(meta: Path | undefined, c: CatalogCode): TsCode {
  if (!meta) return tsCode('undefined');
  let type = `components["schemas"][${tsString(c.schemaName)}]`;
  for (const step of meta) {
    if (typeof step === 'string') type += `[${tsString(step)}]`;
    else if (typeof step === 'number') type += '[number]';
    else type = `Extract<${type}[number], { ${tsString(step.where)}: ${tsString(step.is)} }>`;
  }
  return tsCode(type);
}

/** The TypeScript name an operation gets in every generated file. */
export function operationName(op: Operation): TsCode {
  return tsCode(identifier(op.id));
}

export function operationDoc(op: Operation): TsComment {
  return tsComment(`${op.method.toUpperCase()} ${op.path}${op.summary ? ` — ${op.summary}` : ''}`, '  ');
}

interface CodeView {
  literal: TsLiteral;
  doc: TsComment;
  statuses: TsCode;
  category: TsLiteral;
  description: TsLiteral;
  message: TsCode;
  type: TsCode;
  fix: TsLiteral;
  retry: TsLiteral;
  since: TsCode;
  notes: TsCode;
  deprecated: TsCode;
  schemaName: TsLiteral;
  metaType: TsCode;
  metaRequired: TsCode;
  envelope: TsLiteral | undefined;
}

function codeView(c: CatalogCode, metaPaths: ReadonlyMap<string, Path | undefined>): CodeView {
  return {
    literal: tsString(c.code),
    doc: tsComment(`${c.statuses.join(' / ')} — ${c.description}${c.fix ? `\n\nFix: ${c.fix}` : ''}`, '  '),
    statuses: tsCode(`[${c.statuses.join(', ')}]`),
    category: tsString(c.category),
    description: tsString(c.description),
    message: c.message === undefined ? tsCode('undefined') : tsString(c.message),
    type: c.type === undefined ? tsCode('undefined') : tsString(c.type),
    fix: tsString(c.fix),
    retry: tsString(c.retry),
    since: c.since === undefined ? tsCode('undefined') : tsString(c.since),
    notes: c.notes === undefined ? tsCode('undefined') : tsString(c.notes),
    deprecated: tsCode(String(c.deprecated)),
    schemaName: tsString(c.schemaName),
    metaType: metaType(metaPaths.get(c.envelope ?? 'default'), c),
    metaRequired: tsCode(String(c.metaRequired)),
    envelope: c.envelope === undefined ? undefined : tsString(c.envelope),
  };
}

function operationView(op: Operation) {
  return {
    name: operationName(op),
    key: tsString(operationName(op)),
    doc: operationDoc(op),
    errors: op.errors.map((e) => ({ status: tsString(e.status), codeUnion: tsStringUnion(e.codes) })),
    rulesFromErrors: rulesFollowErrors(op),
    rules: Object.entries(op.rules).map(([code, rule]) => ({ code: tsString(code), args: ruleArgs(rule) })),
  };
}

/**
 * Whether the operation's rules are what `ExactRules` (operation-types.ts) derives from its
 * `OperationErrors` entry: every status key exact, every code sent with exactly the keys it is
 * listed under, none requiring meta or Retry-After. Most operations of a large contract are; their
 * rules are then not spelled out a second time, which halves what every build parses and binds.
 */
function rulesFollowErrors(op: Operation): boolean {
  if (!op.errors.every((e) => isExactKey(e.status))) return false;
  const listed = new Map<string, number[]>();
  for (const e of op.errors) for (const code of e.codes) listed.set(code, [...(listed.get(code) ?? []), Number(e.status)]);
  const rules = Object.entries(op.rules);
  return (
    rules.length === listed.size &&
    rules.every(([code, rule]) => {
      const statuses = listed.get(code);
      return !rule.meta && !rule.retryAfter && statuses !== undefined && [...rule.statuses].sort().join() === [...statuses].sort().join();
    })
  );
}

/**
 * `OperationRule`'s type arguments, the trailing `false`s left to its defaults: most rules need
 * neither meta nor Retry-After, and on a large contract the table is thousands of them.
 */
function ruleArgs(rule: CodeRule): TsCode {
  const args = [rule.statuses.join(' | '), String(rule.meta), String(rule.retryAfter)];
  while (args.length > 1 && args[args.length - 1] === 'false') args.pop();
  return tsCode(args.join(', '));
}

/**
 * Which operation each method and path is (`"get /v1/images/{id}"`), the client's `OperationIndex`:
 * openapi-typescript types `paths[P][M]` as the operation object, not its name, and the client
 * needs the name to pick the operation's codes. One flat level: nesting by path doubled its
 * type-checking cost. In operation-types.ts: checked in client.ts, its 1,200 members on GitHub's
 * contract were each checked in every build.
 */
function routeIndex(model: ErrorContract) {
  return model.operations.map((op) => ({ route: tsString(`${op.method} ${op.path}`), operation: tsString(operationName(op)) }));
}

/** The run-time operation table: a JSON object, one line per operation, keyed by its TypeScript name. */
function operationsJson(model: ErrorContract): TsLiteral {
  const lines = model.operations.map((op) => {
    const info = { id: op.id, method: op.method, path: op.path, authenticated: op.authenticated, errors: Object.fromEntries(op.errors.map((e) => [e.status, e.codes])), rules: op.rules };
    return `  ${JSON.stringify(operationName(op))}: ${JSON.stringify(info)}`;
  });
  return tsTemplate(`{\n${lines.join(',\n')}\n}`);
}

/** `x-errata.unrouted` as the catalog carries it: per status its codes, per code its rule (types and one JSON table). */
function unroutedView(model: ErrorContract) {
  return {
    errors: model.unrouted.map((e) => ({ status: tsString(e.status), codeUnion: tsStringUnion(e.codes) })),
    rules: Object.entries(model.unroutedRules).map(([code, rule]) => ({
      code: tsString(code),
      statuses: tsCode(rule.statuses.join(' | ')),
      meta: tsCode(String(rule.meta)),
      retryAfter: tsCode(String(rule.retryAfter)),
      headers: tsStringUnion(rule.headers),
    })),
    json: tsTemplate(JSON.stringify({ errors: Object.fromEntries(model.unrouted.map((e) => [e.status, e.codes])), rules: model.unroutedRules })),
  };
}

/** Codes, categories and per-operation code unions as `as const` TypeScript. */
export const catalogTs: Emitter = ({ model, bundled }) => {
  const env = model.envelope;
  const resolve = internalResolver(bundled);
  const codecs = model.codecs;
  const metaPaths = new Map(codecs.map((c) => [c.name, c.meta]));
  const view = {
    title: tsComment(`${model.title} ${model.version}`.trim()),
    codes: model.codes.map((c) => codeView(c, metaPaths)),
    categories: model.categories.map((c) => ({ id: tsString(c.id), title: tsString(c.title), codes: tsStringUnion(model.codes.filter((k) => k.category === c.id).map((k) => k.code)) })),
    operations: model.operations.map(operationView),
    operationsJson: operationsJson(model),
    unrouted: unroutedView(model),
    methodUnion: tsStringUnion(METHODS),
    codecs: tsJson(codecs),
    metaSchemas: tsJson(Object.fromEntries(model.codes.filter((c) => c.meta !== undefined).map((c) => [c.code, metaCheck(c.meta, resolve)]))),
    // Meta types are read from openapi.ts; without meta the import would be unused (`noUnusedLocals`).
    importsComponents: codecs.some((c) => c.meta !== undefined),
    envelope: {
      mediaType: tsString(env.mediaType),
      schemaName: tsString(env.schemaName),
      code: tsStringList(env.code),
      message: tsStringList(env.message),
      meta: tsStringList(env.meta),
      requestIdHeader: env.requestId.header ? tsString(env.requestId.header) : tsCode('undefined'),
      requestIdBody: tsStringList(env.requestId.body),
    },
  };
  return [
    { path: 'catalog.ts', contents: render('catalog.ts', view) },
    { path: 'operation-types.ts', contents: render('operation-types.ts', { title: view.title, operations: view.operations, routes: routeIndex(model) }) },
    runtimeFile('codec.ts'),
    runtimeFile('schema-check.ts'),
  ];
};
