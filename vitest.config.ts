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
    pool: 'forks',
  },
});
