// What `openapiTS(text, options)` (openapi-typescript 7.13.0, dist/index.mjs) does, without the lint
// it runs first. Plain JavaScript: openapi-typescript's thread loads it without a TypeScript loader,
// and the watch splicer (openapi-types-splice.ts) keeps the context and statements it returns.
import { createRequire } from 'node:module';
import path from 'node:path';

/** `require` as openapi-typescript's own: its Redocly and TypeScript may not be the copies errata would get. */
export function requireFromOpenapiTypescript() {
  return createRequire(createRequire(import.meta.url).resolve('openapi-typescript/package.json'));
}

/**
 * openapi-typescript, and the Redocly and TypeScript it uses (not necessarily errata's), from its
 * CommonJS build: imported as ES modules, Node would first scan TypeScript's 9 MB typescript.js for
 * its export names (cjs-module-lexer), 0.25 CPU-s that `require` does not spend.
 */
export async function loadOpenapiTypescript() {
  const fromOts = requireFromOpenapiTypescript();
  try {
    return { ots: createRequire(import.meta.url)('openapi-typescript'), core: fromOts('@redocly/openapi-core'), ts: fromOts('typescript') };
  } catch (e) {
    if (e?.code !== 'ERR_REQUIRE_ESM') throw e;
    throw new Error(
      `openapi-typescript's CommonJS build requires packages that are ES modules, and this Node refuses require() of ES modules: ${e.message}\n` +
        '  fix: run errata on Node 20.19 or later 20.x, or 22.12 or later, without --no-experimental-require-module (in NODE_OPTIONS, say)',
    );
  }
}

/** The configuration openapiTS makes when given none (bundling reads its resolve options; its one rule is the lint's). */
const redoclyConfig = (core) => core.createConfig({ rules: { 'operation-operationId-unique': { severity: 'error' } } }, { extends: ['minimal'] });

/**
 * openapiTS's validateAndBundle (lib/redoc.mjs) lints before it bundles, with one rule: two
 * operations may not share an operationId (its `extends: ['minimal']` goes to createConfig's second
 * argument, which has no such option). errata's model refuses that already, in paths, webhooks and
 * callbacks (model/operations.ts), and the lint's walk resolves every reference of the document
 * once more than bundling does: on GitHub's description 1.2 of openapi-typescript's 5 CPU-s. What
 * the bundler itself reports (a reference to nothing) still fails the run, with openapiTS's message.
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

/** An identifier openapi-typescript made of a string (a string literal type): JSON.stringify's quoting. */
const QUOTED = /^"(?:[^"\\\r\n\u2028\u2029]|\\(?:["\\bfnrt]|u[0-9a-fA-F]{4}))*"$/;
/** A number as String(number) writes it (openapi-typescript's numeric literals come from JSON numbers). */
const NUMBER = /^(?:0|[1-9]\d*)(?:\.\d+)?(?:e[+-]?\d+)?$/i;
/** Words that are not reserved but, as a bare type reference, parse as the start of an operator. */
const TYPE_OPERATORS = new Set(['keyof', 'unique', 'readonly', 'infer']);

/**
 * Whether the text openapi-typescript's `astToString` makes of these nodes parses, told without
 * parsing it. TypeScript's printer writes the trees openapi-typescript builds (synthesised nodes,
 * printed into an empty source file) as valid syntax, except the leaves it copies as they are:
 * identifier and number text, comments added to nodes, literals given raw or source text.
 * openapi-typescript puts contract text in some of them (a string literal type is an identifier
 * `"…"`, a description a comment on a property), so each such leaf must be well formed where it
 * stands: an identifier (a reserved word, or a quoted string, only as a property's or enum
 * member's name), a quoted string as JSON.stringify writes it, a plain number, a leading comment on
 * a property, enum member or statement that cannot end early. Anything else it has not seen
 * openapi-typescript make (trailing comments, raw text, nodes with a source position, JSDoc nodes)
 * it does not vouch for. On GitHub's description this walk costs a sixth of parsing the 6.6 MB
 * output; when it cannot vouch, the parser decides.
 */
export function leavesWellFormed(ts, statements) {
  const K = ts.SyntaxKind;
  const commentFine = (c) => (c.kind === K.SingleLineCommentTrivia ? !/[\r\n\u2028\u2029]/.test(c.text) : !c.text.includes('*/'));
  const fine = (node, parent) => {
    if (node.pos >= 0 || (node.kind >= K.FirstJSDocNode && node.kind <= K.LastJSDocNode)) return false;
    const emit = node.emitNode;
    if (emit && (emit.trailingComments?.length || emit.identifierTypeArguments || emit.snippetElement || emit.autoGenerate)) return false;
    const leading = ts.getSyntheticLeadingComments(node);
    if (leading?.length && !((parent === undefined || ts.isPropertySignature(node) || ts.isEnumMember(node)) && leading.every(commentFine))) return false;
    switch (node.kind) {
      case K.Identifier: {
        const text = ts.idText(node);
        const memberName = parent !== undefined && (ts.isPropertySignature(parent) || ts.isEnumMember(parent)) && parent.name === node;
        if (QUOTED.test(text)) {
          if (!memberName && parent !== undefined && parent.name === node) return false;
          break;
        }
        if (!ts.isIdentifierText(text, ts.ScriptTarget.Latest)) return false;
        const word = ts.stringToToken(text);
        if (word !== undefined && word >= K.FirstReservedWord && word <= K.LastReservedWord && !memberName) return false;
        if (TYPE_OPERATORS.has(text) && parent !== undefined && ts.isTypeReferenceNode(parent) && parent.typeName === node) return false;
        break;
      }
      case K.NumericLiteral:
        if (!NUMBER.test(node.text)) return false;
        break;
      case K.StringLiteral:
        // Escaped by the printer, unless it copies another node's text.
        if (node.textSourceNode !== undefined) return false;
        break;
      case K.NoSubstitutionTemplateLiteral:
      case K.TemplateHead:
      case K.TemplateMiddle:
      case K.TemplateTail:
        // Escaped by the printer, unless given as raw text.
        if (node.rawText !== undefined) return false;
        break;
      case K.BigIntLiteral:
      case K.RegularExpressionLiteral:
      case K.PrivateIdentifier:
      case K.JsxText:
        return false;
    }
    return ts.forEachChild(node, (child) => (fine(child, node) ? undefined : true)) !== true;
  };
  return statements.every((s) => fine(s, undefined));
}

/**
 * Generation never succeeds with an openapi.ts that does not parse: none when every leaf the printer
 * copies is well formed, otherwise the parser's own diagnostics for the printed text.
 */
export function printedProblems(ts, statements, printed) {
  return leavesWellFormed(ts, statements) ? [] : parseProblems(ts, printed);
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
