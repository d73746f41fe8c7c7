import { contractOf, format, onKey, type LintContract } from '../contract';
import type { ErrataRule, UserContext } from '../redocly';

/**
 * Every catalog code says what went wrong and how to fix it: the reference and the generated
 * helpers show both. Checked where the catalog is authored, not in consumers of a catalog.json.
 */
export const errorCodeDocumented: ErrataRule = {
  id: 'error-code-documented',
  severity: 'error',
  create(options, env) {
    return {
      Root: {
        enter(root: unknown, ctx: UserContext) {
          const contract: LintContract = contractOf(root, ctx, options, env.contentDir);
          const locate = contract.locateInCatalog;
          if (!locate || !contract.codes) return;
          for (const code of contract.codes.values()) {
            const missing = (['description', 'fix'] as const).filter((k) => code[k].trim() === '');
            if (missing.length === 0) continue;
            // A blank text is reported where it is written; a missing one, at the entry.
            const blank = missing.length === 1 ? locate(['codes', code.code, missing[0]!], false) : undefined;
            const what = missing.map((k) => (k === 'fix' ? 'how-to-fix text (`fix`)' : 'description')).join(' and no ');
            ctx.report({
              message: format(`${code.code} has no ${what}`, `write ${missing.map((k) => (k === 'fix' ? '`fix:` (what the client should do)' : '`description:` (when the API returns it)')).join(' and ')} under ${code.code} in the catalog`),
              location: blank && blank.node !== undefined ? blank.location : onKey(locate(['codes', code.code]).location),
            });
          }
        },
      },
    };
  },
};
