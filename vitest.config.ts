import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * How many times slower than on a quiet machine a test may run now: the load average per core when
 * the run starts (at least 1). Timeouts below are hang guards scaled by it, so a machine shared with
 * other work makes the suite slower, never red.
 */
const slowdown = Math.max(1, loadavg()[0]! / availableParallelism());

/** The checkout: the only modules worth keeping transformed between runs (fsModuleCache below). */
const ROOT = path.dirname(fileURLToPath(import.meta.url)) + path.sep;

export default defineConfig({
  plugins: [
    {
      name: 'errata:cache-the-checkout-only',
      // A module outside the checkout is generated output a test imports from a fresh temporary
      // folder: never the same path twice, so a cached copy would never be read, only pile up.
      configureVitest({ experimental_defineCacheKeyGenerator }) {
        experimental_defineCacheKeyGenerator(({ id }) => (id.startsWith(ROOT) ? '' : false));
      },
    },
  ],
  test: {
    include: ['test/**/*.test.ts', 'generator/**/*.test.ts', 'examples/**/*.test.ts'],
    // Vitest runs the type tests with `tsc -p <tsconfig>` after every other test file has finished, on
    // one core: with the project's tsconfig.json that is a type check of the whole repository (what
    // `npm run typecheck` does, and .ci/run runs it); this config holds only the type tests and
    // what they import, half the compiler's work.
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './test/setup/tsconfig.type-tests.json' },
    // The per-run folder where fixture contracts are generated and the lint plugin built, once each.
    globalSetup: ['test/setup/global.ts'],
    // Guards against a hang, not budgets: tests wait for conditions; the heaviest work (each
    // fixture generated once, the plugin built once) is done by whichever test needs it first, and
    // tests that spawn the real CLIs take seconds each on a quiet two-core machine.
    testTimeout: Math.round(30_000 * slowdown),
    hookTimeout: Math.round(60_000 * slowdown),
    // Forks, not threads: test/helpers/cli.ts's errataInProcess changes the working directory.
    pool: 'forks',
    // Test files share their worker's modules: the generator, TypeScript and Redocly's library are
    // loaded once per worker instead of once per file (43% less CPU on the lint and bad-input
    // files, measured). Tests keep no state in modules; the one that freezes the clock restores it.
    isolate: false,
    // A worker per core (Vitest's default keeps one core back): much of a test's time is spent
    // waiting for a child process (a CLI, Chromium, a server), so two files at once keep both
    // cores of a small machine busy.
    maxWorkers: Math.max(2, availableParallelism()),
    experimental: {
      // Vitest keeps each module of the checkout it transformed (TypeScript to JavaScript: the
      // generator, the runtime, the tests) on disk, keyed by the file's content, and the
      // next run reuses it instead of transforming it again: CPU-seconds of every run after the first.
      fsModuleCache: true,
    },
  },
});
