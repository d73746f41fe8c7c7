import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'generator/**/*.test.ts', 'examples/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // Builds the lint plugin once and holds the per-run cache of generated fixture contracts.
    globalSetup: ['test/setup/global.ts'],
    // Guards against a hang, not budgets: tests wait for conditions, and the heaviest work (each
    // fixture generated once, the plugin built once) happens outside test bodies. Spawning the
    // real CLIs on a loaded two-core machine still takes seconds, hence more than the default 5 s.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Forks, not threads: test/helpers/cli.ts's errataInProcess changes the working directory.
    pool: 'forks',
    // Test files share their worker's modules: the generator, TypeScript and Redocly's library are
    // loaded once per worker instead of once per file (about 40% of the suite's CPU time). Tests
    // keep no state in modules; the one that freezes the clock restores it.
    isolate: false,
    // A worker per core (Vitest's default keeps one core back): much of a test's time is spent
    // waiting for a child process (a CLI, Chromium, a server), so two files at once keep both
    // cores of a small machine busy.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});
