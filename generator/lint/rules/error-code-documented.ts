import { contractOf, format, type LintContract } from '../contract';
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
          const at = contract.catalogAt;
          if (!at || !contract.codes) return;
          for (const code of contract.codes.values()) {
            const missing = (['description', 'fix'] as const).filter((k) => code[k].trim() === '');
            if (missing.length === 0) continue;
            const codeAt = at.location.child(['codes', code.code]);
            const what = missing.map((k) => (k === 'fix' ? 'how-to-fix text (`fix`)' : 'description')).join(' and no ');
            ctx.report({
              message: format(`${code.code} has no ${what}`, `write ${missing.map((k) => (k === 'fix' ? '`fix:` (what the client should do)' : '`description:` (when the API returns it)')).join(' and ')} under ${code.code} in the catalog`),
              location: missing.length === 1 && hasKey(at.node, code.code, missing[0]!) ? codeAt.child(missing[0]!) : codeAt.key(),
            });
          }
        },
      },
    };
  },
};

function hasKey(catalog: unknown, code: string, key: string): boolean {
  const codes = (catalog as { codes?: Record<string, Record<string, unknown>> } | undefined)?.codes;
  return typeof codes?.[code] === 'object' && codes[code] !== null && key in codes[code];
}
