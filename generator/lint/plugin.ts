import type { ErrataRule, Plugin, RuleOptions, TypeTree } from './redocly';
import { allowHeader } from './rules/allow-header';
import { errorCodeDefined } from './rules/error-code-defined';
import { errorCodeDocumented } from './rules/error-code-documented';
import { errorCodeReachable } from './rules/error-code-reachable';
import { errorCodeStatus } from './rules/error-code-status';
import { errorCodeUnused } from './rules/error-code-unused';
import { errorResponseEnvelope } from './rules/error-response-envelope';
import { internalErrorCode } from './rules/internal-error-code';
import { operationErrorCodes } from './rules/operation-error-codes';
import { requestIdHeader } from './rules/request-id-header';
import { retryAfterHeader } from './rules/retry-after-header';
import { unroutedErrors } from './rules/unrouted-errors';
import { wwwAuthenticateHeader } from './rules/www-authenticate-header';

export const rules: readonly ErrataRule[] = [
  operationErrorCodes,
  errorCodeDefined,
  errorCodeStatus,
  errorCodeReachable,
  errorResponseEnvelope,
  retryAfterHeader,
  wwwAuthenticateHeader,
  allowHeader,
  unroutedErrors,
  internalErrorCode,
  requestIdHeader,
  errorCodeDocumented,
  errorCodeUnused,
];

/**
 * `x-errata.unrouted` is a responses map like an operation's: typed so, every rule that judges an
 * operation's error responses (codes defined, statuses, envelope, Retry-After) judges it too,
 * after `paths` (the Root type's own properties are walked in order, then `x-errata`). The rest of
 * `x-errata` stays untyped: the model's readers judge it.
 */
function typeExtension(types: TypeTree): TypeTree {
  const root = types.Root!;
  return {
    ...types,
    Root: { ...root, properties: { ...root.properties, 'x-errata': 'ErrataExtension' } },
    ErrataExtension: { properties: { unrouted: 'Responses' }, additionalProperties: () => 'SpecExtension' },
  };
}

/**
 * errata's Redocly CLI plugin (https://redocly.com/docs/cli/custom-plugins). Redocly calls the
 * default export with the directory of redocly.yaml, which relative `catalog` options start from.
 *
 *   plugins: [errata/redocly-plugin]
 *   extends: [recommended, errata/all]
 */
export default function errataPlugin(context: { contentDir?: string } = {}): Plugin {
  const env = { contentDir: context.contentDir ?? process.cwd() };
  const all = Object.fromEntries(rules.map((r) => [`errata/${r.id}`, r.severity]));
  return {
    id: 'errata',
    typeExtension: { oas3: typeExtension },
    rules: { oas3: Object.fromEntries(rules.map((r) => [r.id, (options: RuleOptions) => r.create(options ?? {}, env)])) },
    configs: {
      all: { rules: all },
      // For adopting errata on an existing API: everything reports, nothing fails the build yet.
      recommended: { rules: Object.fromEntries(rules.map((r) => [`errata/${r.id}`, 'warn'])) },
    },
  };
}
