// What `openapiTS(text, options)` (openapi-typescript 7.13.0, dist/index.mjs) does, without the lint
// it runs first. Plain JavaScript: openapi-typescript's thread loads it without a TypeScript loader,
// and the watch splicer (openapi-types-splice.ts) keeps the context and statements it returns.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** openapi-typescript, and the Redocly and TypeScript it imports (not necessarily errata's). */
export function loadOpenapiTypescript() {
  const manifest = createRequire(import.meta.url).resolve('openapi-typescript/package.json');
  const fromOts = createRequire(manifest);
  return Promise.all([
    import(pathToFileURL(path.join(path.dirname(manifest), 'dist/index.mjs')).href),
    import(pathToFileURL(fromOts.resolve('@redocly/openapi-core')).href),
    import(pathToFileURL(fromOts.resolve('typescript')).href).then((m) => m.default),
  ]).then(([ots, core, ts]) => ({ ots, core, ts }));
}

/** The configuration openapiTS makes when given none (bundling reads its resolve options). */
export const redoclyConfig = (core) => core.createConfig({ rules: { 'operation-operationId-unique': { severity: 'error' } } }, { extends: ['minimal'] });

/**
 * openapiTS's validateAndBundle (lib/redoc.mjs) lints before it bundles, with one rule: two
 * operations may not share an operationId (its `extends: ['minimal']` goes to createConfig's second
 * argument, which has no such option). errata's model refuses that already (both would get one name
 * in the generated code), and the lint's walk resolves every reference of the document once more
 * than bundling does: on GitHub's description 1.2 of openapi-typescript's 5 CPU-s. What the bundler
 * itself reports (a reference to nothing) still fails the run, with openapiTS's message.
 */
async function bundleText(text, core, config) {
  const source = new core.Source(`${process.cwd()}${path.sep}`, text, 'application/json');
  const { bundle, problems } = await core.bundle({ config, dereference: false, doc: { source, parsed: JSON.parse(text) } });
  const errors = problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    const last = errors[errors.length - 1];
    const at = last.location?.[0]?.pointer;
    throw new Error(at ? `${last.message} at ${at}` : last.message);
  }
  return bundle.parsed;
}

/** openapiTS's context for these options (index.mjs), over the bundled schema. */
function context(ots, schema, options, config) {
  const o = options;
  return {
    additionalProperties: o.additionalProperties ?? false,
    alphabetize: o.alphabetize ?? false,
    arrayLength: o.arrayLength ?? false,
    defaultNonNullable: o.defaultNonNullable ?? true,
    discriminators: ots.scanDiscriminators(schema, { ...options, silent: true }),
    emptyObjectsUnknown: o.emptyObjectsUnknown ?? false,
    enum: o.enum ?? false,
    enumValues: o.enumValues ?? false,
    conditionalEnums: o.conditionalEnums ?? false,
    dedupeEnums: o.dedupeEnums ?? false,
    excludeDeprecated: o.excludeDeprecated ?? false,
    exportType: o.exportType ?? false,
    immutable: o.immutable ?? false,
    rootTypes: o.rootTypes ?? false,
    rootTypesNoSchemaPrefix: o.rootTypesNoSchemaPrefix ?? false,
    rootTypesKeepCasing: o.rootTypesKeepCasing ?? false,
    injectFooter: [],
    pathParamsAsTypes: o.pathParamsAsTypes ?? false,
    postTransform: undefined,
    propertiesRequiredByDefault: o.propertiesRequiredByDefault ?? false,
    redoc: config,
    silent: true,
    inject: undefined,
    transform: undefined,
    transformProperty: undefined,
    makePathsEnum: o.makePathsEnum ?? false,
    generatePathParams: o.generatePathParams ?? false,
    readWriteMarkers: o.readWriteMarkers ?? false,
    resolve($ref) {
      return ots.resolveRef(schema, $ref, { silent: true });
    },
  };
}

export async function transformText(text, options, { ots, core }) {
  const config = await redoclyConfig(core);
  const schema = await bundleText(text, core, config);
  const ctx = context(ots, schema, options, config);
  const statements = ots.transformSchema(schema, ctx);
  return { schema, ctx, statements, printed: ots.astToString(statements) };
}

/**
 * The parser's diagnostics for generated TypeScript (no type check), lines offset by `offset`.
 * JSDoc comments are not parsed: in a .ts file they never give a parse diagnostic (a comment that
 * ends early still does, as code), and parsing them was most of this check's cost. (TypeScript
 * before 5.3 has no such mode and parses them: the same diagnostics, slower.)
 */
export function parseProblems(ts, text, offset = 0) {
  const setup = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode?.ParseNone };
  const source = ts.createSourceFile('openapi.ts', text, setup, false, ts.ScriptKind.TS);
  return (source.parseDiagnostics ?? []).map((d) => {
    const at = source.getLineAndCharacterOfPosition(d.start ?? 0);
    return { line: at.line + 1 + offset, column: at.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, ' ') };
  });
}
