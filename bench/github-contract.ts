/**
 * GitHub's public REST description (OpenAPI 3.0.3, ~1,200 operations) as an errata contract, so
 * errata is measured on a real, large API next to the tools a user would run anyway. The contract
 * is what `errata init` makes of it, exactly as a user adopting errata would get it:
 *
 * - 3.0 stays 3.0 in the file; errata converts it to 3.1 when it loads it.
 * - Envelope: GitHub's error body `basic-error` (`{ message, documentation_url, url, status }`)
 *   names no machine-readable code, so init proposes a `code` member; the request id header
 *   `x-github-request-id` is not declared on every response, so init leaves it to a person.
 * - Catalog: one code per shared error response (`not_found` → NOT_FOUND), one `UNSPECIFIED_<status>`
 *   per status for inline ones (41 codes); each error response lists its codes in `x-errata-codes`.
 *
 * Then what init leaves to a person (its report lists them), done the simplest way, so that
 * `errata generate` succeeds and is measured doing its whole job rather than reporting problems:
 * every error body becomes the envelope (`application/json`, `$ref: basic-error`), INTERNAL_ERROR is
 * named the code unexpected exceptions become, and every operation declares it: its 500 response is
 * the shared `internal_error` one.
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GITHUB_SPEC = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');

/** Writes `github.openapi.json` into `dir` and runs `errata init` on it (in a child process: init is async). */
export function writeGithubContract(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'github.openapi.json');
  copyFileSync(GITHUB_SPEC, file);
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--init', file], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(file, `${JSON.stringify(complete(JSON.parse(readFileSync(file, 'utf8')) as Doc))}\n`);
  return file;
}

type Doc = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const isError = (status: string) => /^[45]/.test(status) || status === 'default';

/** Finishes init's work as described above (one pass; the contract is otherwise untouched). */
function complete(doc: Doc): Doc {
  const envelope = { $ref: '#/components/schemas/basic-error' };
  const fixBody = (response: Doc) => {
    if (!response || response.$ref !== undefined || !response.content) return;
    response.content = { 'application/json': { ...(response.content['application/json'] ?? {}), schema: envelope } };
  };
  for (const response of Object.values<Doc>(doc.components?.responses ?? {})) if (response['x-errata-codes']) fixBody(response);
  for (const item of Object.values<Doc>(doc.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.responses ??= {};
      const errors = Object.keys(operation.responses).filter(isError);
      for (const status of errors) fixBody(operation.responses[status]);
      operation.responses['500'] = { $ref: '#/components/responses/internal_error' };
    }
  }
  doc['x-errata'].internal = 'INTERNAL_ERROR';
  return doc;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv[2] === '--init') {
    const { init } = await import('../generator/init/index');
    await init({ spec: process.argv[3]!, verify: false });
  } else {
    const file = writeGithubContract(process.argv[2] ?? 'bench/results/work.tmp');
    console.log(`${file}: written by errata init`);
  }
}
