import type { MetaSchema } from '../../runtime/schema-check';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readApiError, type ClientContract } from '../../runtime/client';
import type { CodeRule, HttpResult } from '../../runtime/server';

type Rules = Readonly<Record<string, Readonly<Record<string, CodeRule>>>>;
type Catalog = Readonly<Record<string, { readonly status: readonly number[] }>>;

/**
 * Builder inputs are types derived by `ErrorInputs`, and the guard's rules are computed at run time
 * by `operationRules`: two implementations of one rule set. This writes a file next to `generated/`
 * that calls every builder with every declared code in each way its run-time rule allows, and, under
 * `@ts-expect-error`, each way it forbids (an undeclared status, a missing status, meta or
 * Retry-After). With `catalog`, also every catalog status of a declared code that its rule leaves
 * out (`4XX` beside an exact `404`), and every catalog code the rules do not declare at all. It
 * compiles cleanly exactly when the two agree. Returns the file (`name` in `dir`), for the caller to
 * type-check (several at once with test/helpers/typecheck-batch.ts), and how many calls it makes.
 */
export function writeRuleParity(dir: string, rules: Rules, catalog?: Catalog, name = 'rule-parity.ts'): { file: string; calls: number } {
  const lines = [`import { errors } from './generated/server';`, `const meta = null as never;`];
  let calls = 0;
  for (const [op, codes] of Object.entries(rules)) {
    const call = (code: string, fields: string[], allowed: boolean, why: string) => {
      if (!allowed) lines.push(`// @ts-expect-error ${why}`);
      lines.push(`errors[${JSON.stringify(op)}]({ code: ${JSON.stringify(code)}${fields.map((f) => `, ${f}`).join('')} });`);
      calls++;
    };
    for (const [code, rule] of Object.entries(codes)) {
      for (const status of rule.statuses) call(code, [`status: ${status}`, 'meta', 'retryAfter: 1'], true, '');
      call(code, ['status: 999', 'meta', 'retryAfter: 1'], false, 'undeclared status');
      for (const status of catalog?.[code]?.status ?? []) {
        if (!rule.statuses.includes(status)) call(code, [`status: ${status}`, 'meta', 'retryAfter: 1'], false, `a catalog status the operation does not declare ${code} under`);
      }
      call(code, ['meta', 'retryAfter: 1'], rule.statuses.length === 1, 'several statuses: status required');
      const first = rule.statuses[0];
      if (first === undefined) continue;
      call(code, [`status: ${first}`, 'retryAfter: 1'], !rule.meta, 'meta required');
      call(code, [`status: ${first}`, 'meta'], !rule.retryAfter, 'Retry-After required');
    }
    for (const [code, entry] of Object.entries(catalog ?? {})) {
      if (!Object.hasOwn(codes, code)) call(code, [`status: ${entry.status[0]}`, 'meta', 'retryAfter: 1'], false, 'a code the operation does not declare');
    }
  }
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return { file, calls };
}

/** The parts of a generated `server.ts` that `checkClientParity` drives. */
export interface GeneratedServer {
  serverOperations: Rules;
  serverContract: { readonly envelope: { readonly meta: readonly string[] | undefined } };
  createServerErrors(options: { guard: boolean }): {
    errors: Record<string, (input: Record<string, unknown>) => HttpResult>;
    forRequest(request?: { headers: Record<string, string> }): { errors: Record<string, (input: Record<string, unknown>) => HttpResult> };
  };
  toResponse(result: HttpResult): Response;
}

/**
 * The server's guard and the client's reading of responses are two more implementations of the
 * status-key rules (exact key over range over `default`). For every operation, every catalog code
 * and every catalog status of it, this builds the error (through a request scope when the guard
 * allows it, unguarded otherwise), sends it through `toResponse` and reads it back with the
 * client's `readApiError`: what `operationRules` allows must come back as `kind: 'contract'` with
 * its code and status, what it does not as `kind: 'unknown'`. Returns every disagreement.
 */
export async function checkClientParity(server: GeneratedServer, client: ClientContract): Promise<{ mismatches: string[]; allowed: number; refused: number }> {
  const guarded = server.createServerErrors({ guard: true });
  const lax = server.createServerErrors({ guard: false });
  const mismatches: string[] = [];
  let allowed = 0;
  let refused = 0;
  for (const operation of Object.keys(client.operations)) {
    const rules = server.serverOperations[operation] ?? {};
    const scope = guarded.forRequest({ headers: {} });
    for (const [code, entry] of Object.entries(client.catalog)) {
      const rule = Object.hasOwn(rules, code) ? rules[code] : undefined;
      for (const status of entry.status) {
        const ok = rule?.statuses.includes(status) ?? false;
        const input: Record<string, unknown> = { code, status, retryAfter: 1 };
        if (server.serverContract.envelope.meta) input.meta = validMeta(client.metaSchemas?.[code]);
        const result = ok ? scope.errors[operation]!(input) : lax.errors[operation]!(input);
        const error = await readApiError(client, server.toResponse(result), { operation });
        const read = `${error.kind} ${error.code} ${error.status}`;
        const want = ok ? `contract ${code} ${status}` : `unknown ${'errata:unknown_code'} ${status}`;
        if (read !== want) mismatches.push(`${operation} ${code} ${status}: the server ${ok ? 'allows' : 'refuses'} it, the client reads ${read}`);
        if (ok) allowed++;
        else refused++;
      }
    }
  }
  return { mismatches, allowed, refused };
}

/**
 * The smallest meta a code's meta schema accepts (its required members, each the first value its
 * schema allows): the guard and the client check meta against the schema, and these checks are
 * about statuses.
 */
function validMeta(schema: MetaSchema | undefined): unknown {
  if (schema === undefined || typeof schema === 'boolean') return {};
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  const type = typeof schema.type === 'string' ? schema.type : (schema.type?.[0] ?? (schema.properties ? 'object' : undefined));
  if (type === 'string') return 'x'.repeat(schema.minLength ?? 1);
  if (type === 'integer' || type === 'number') return schema.minimum ?? 0;
  if (type === 'boolean') return false;
  if (type === 'array') return Array.from({ length: schema.minItems ?? 0 }, () => validMeta(schema.items));
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((part) => validMeta(part)));
  const out: Record<string, unknown> = {};
  for (const name of schema.required ?? []) out[name] = validMeta(schema.properties?.[name]);
  return out;
}
