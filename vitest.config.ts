import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure, fast, `*.spec.ts`) and `integration` (`*.int.spec.ts` and the
 * cross-service tests under test/, against real nats-server and redis-server). The services are
 * compiled first (tools/build.mjs), so the processes the tests start run what production runs.
 */
export default defineConfig({
  test: {
    globalSetup: ['./tools/build.mjs'],
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['libs/*/src/**/*.spec.ts', 'services/*/src/**/*.spec.ts', 'tools/**/*.spec.ts'],
          exclude: ['**/*.int.spec.ts', '**/node_modules/**'],
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
