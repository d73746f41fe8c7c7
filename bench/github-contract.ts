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
 */
import { copyFileSync, mkdirSync } from 'node:fs';
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
  return file;
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
