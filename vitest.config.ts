import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'generator/**/*.test.ts', 'examples/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    // Builds the lint plugin once and holds the per-run cache of generated fixture contracts.
    globalSetup: ['test/setup/global.ts'],
    pool: 'forks',
  },
});
