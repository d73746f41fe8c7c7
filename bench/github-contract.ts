/**
 * Turns GitHub's public REST description (OpenAPI 3.0.3, ~1,200 operations) into an errata
 * contract, so errata is measured on a real, large API next to the tools a user would run anyway.
 *
 * - 3.0 → 3.1: `nullable` becomes a type array. Nothing else GitHub uses needs changing for
 *   swagger-parser's 3.1 validation: `example` in schemas is deprecated in 3.1 but still valid.
 * - Envelope: GitHub's error bodies are `basic-error` (`{ message, documentation_url, url, status }`)
 *   and `validation-error` (`{ message, documentation_url, errors[] }`). The envelope is their union
 *   plus a required top-level `code` string: GitHub has no machine-readable code (`errors[].code` is
 *   per field, `status` repeats the HTTP status), and errata needs one. The request id travels in
 *   `x-github-request-id`.
 * - Catalog: one code per shared error response (`not_found` → NOT_FOUND, under every status it is
 *   used with) and one per status for the inline ones (`UNSPECIFIED_404`): about sixty codes.
 * - Each error response lists the codes derived from it in `x-errata-codes`.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

type Json = Record<string, any>;

export const GITHUB_SPEC = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function to31(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(to31);
  if (!node || typeof node !== 'object') return;
  const n = node as Json;
  if (n.nullable === true && typeof n.type === 'string') n.type = [n.type, 'null'];
  if ('nullable' in n && typeof n.nullable === 'boolean') delete n.nullable;
  for (const v of Object.values(n)) to31(v);
}

export function githubContract(): Json {
  const doc: Json = JSON.parse(readFileSync(GITHUB_SPEC, 'utf8'));
  to31(doc);
  doc.openapi = '3.1.0';
  const schemas = doc.components.schemas;
  schemas['errata-error'] = {
    title: 'Error',
    description: "GitHub's basic and validation errors, with a machine-readable code.",
    type: 'object',
    required: ['message', 'code'],
    properties: { ...schemas['basic-error'].properties, errors: schemas['validation-error'].properties.errors, code: { type: 'string' } },
  };
  const codes: Record<string, { status: Set<number>; description: string }> = {};
  const addCode = (code: string, status: number, description: string) => {
    (codes[code] ??= { status: new Set(), description }).status.add(status);
  };
  for (const item of Object.values<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(item)) {
      if (!METHODS.has(method) || !op.responses) continue;
      for (const [status, response] of Object.entries<Json>(op.responses)) {
        const s = Number(status);
        if (!(s >= 400)) continue;
        const shared = typeof response.$ref === 'string' ? response.$ref.split('/').pop()! : undefined;
        if (shared) {
          const code = shared.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
          const component = doc.components.responses[shared];
          addCode(code, s, component.description ?? shared);
          component['x-errata-codes'] = [code];
        } else {
          const code = `UNSPECIFIED_${s}`;
          addCode(code, s, response.description ?? `Status ${s}`);
          response['x-errata-codes'] = [code];
        }
      }
    }
  }
  doc['x-errata'] = {
    envelope: { schema: { $ref: '#/components/schemas/errata-error' }, code: '/code', message: '/message', requestId: { header: 'x-github-request-id' } },
    catalog: {
      codes: Object.fromEntries(
        Object.entries(codes)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([code, c]) => [code, { status: [...c.status].sort(), description: c.description, fix: 'See the documentation_url of the response.', retry: [429, 500, 502, 503].some((s) => c.status.has(s)) ? 'backoff' : 'none' }]),
      ),
    },
  };
  return doc;
}

export function writeGithubContract(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'github.openapi.json');
  writeFileSync(file, JSON.stringify(githubContract()));
  return file;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = writeGithubContract(process.argv[2] ?? 'bench/results/work.tmp');
  const doc = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`${file}: ${Object.keys(doc['x-errata'].catalog.codes).length} codes`);
}
