import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure, fast, `*.spec.ts`) and `integration` (`*.int.spec.ts` and the
 * cross-service tests under test/, against real nats-server and redis-server). The services are
 * compiled first (tools/build.mjs), so the processes the tests start run what production runs.
 */
export default defineConfig({
  test: {
    globalSetup: ['./tools/build.mjs'],
    // One test file more than cores at a time (vitest's default is one fewer): the integration
    // suites spend most of their time waiting on servers and timers, not computing. On a 2-core
    // machine, 3 files at a time ran the whole suite in 395 s where one at a time took 970 s.
    maxWorkers: availableParallelism() + 1,
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'tools/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
          // Pure tests share the cores with the integration suites: fast-check's first string of
          // full Unicode builds its tables (≈ 1.5 s on a quiet machine), which took over vitest's
          // default 5 s with the machine busy.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: [
            'libs/*/src/**/*.int.spec.ts',
            'services/*/src/**/*.int.spec.ts',
            'test/**/*.spec.ts',
          ],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
