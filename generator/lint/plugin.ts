import type { ErrataRule, Plugin, RuleOptions } from './redocly';
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
import { wwwAuthenticateHeader } from './rules/www-authenticate-header';

export const rules: readonly ErrataRule[] = [
  operationErrorCodes,
  errorCodeDefined,
  errorCodeStatus,
  errorCodeReachable,
  errorResponseEnvelope,
  retryAfterHeader,
  wwwAuthenticateHeader,
  internalErrorCode,
  requestIdHeader,
  errorCodeDocumented,
  errorCodeUnused,
];

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
    rules: { oas3: Object.fromEntries(rules.map((r) => [r.id, (options: RuleOptions) => r.create(options ?? {}, env)])) },
    configs: {
      all: { rules: all },
      // For adopting errata on an existing API: everything reports, nothing fails the build yet.
      recommended: { rules: Object.fromEntries(rules.map((r) => [`errata/${r.id}`, 'warn'])) },
    },
  };
}
