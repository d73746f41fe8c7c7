import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRuntime } from '../../generator/emit/runtime-compile';
import { readCompiledRuntime, runtimeSources } from '../../generator/emit/runtime-files';
import { ROOT } from '../helpers/cli';

describe('templates/runtime/ (the runtime compiled ahead of time, as generated/runtime/ gets it)', () => {
  it('is compiled from runtime/ as it is now: else run `node scripts/runtime-templates.mjs`', { timeout: 120_000 }, () => {
    const copy = readCompiledRuntime(runtimeSources());
    expect(copy, 'templates/runtime/ is stale: run `node scripts/runtime-templates.mjs` and commit it').toBeDefined();
    // The fingerprint vouches for the files only if they are what compiling gives.
    expect(copy).toEqual(compileRuntime(path.join(ROOT, 'runtime')));
  });
});
