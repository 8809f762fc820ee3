#!/usr/bin/env node
// Compiles each service's main.ts into one JavaScript file under dist/services/<name>/main.mjs,
// what `npm start`, the image and Kubernetes run. The workspace's own packages (@switchyard/*)
// are bundled in; every other package stays an import resolved from node_modules at run time.
// Runs on `npm ci` (prepare) and before the tests (vitest global setup); takes about a second.
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const services = ['cli', 'gateway', 'worker', 'fallback', 'metering', 'batch', 'provider-sim'];

/** Packages imported for what loading them does (`import 'reflect-metadata'`), not for a binding. */
const importedForSideEffects = new Set(['reflect-metadata']);

/**
 * Bare imports of packages outside the workspace are left to Node's resolution at run time.
 * Such a package, unless listed above, is taken to do nothing when loaded, so that a bundle
 * leaves out the packages it imports but never uses (the CLI does not load the metrics
 * exporter that the services' telemetry imports).
 */
const externalPackages = {
  name: 'external-packages',
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@switchyard/')
        ? undefined
        : { path: args.path, external: true, sideEffects: importedForSideEffects.has(args.path) },
    );
  },
};

export async function buildServices() {
  rmSync(`${root}dist/services`, { recursive: true, force: true });
  const entryPoints = Object.fromEntries(
    services.map((name) => [`${name}/main`, `${root}services/${name}/src/main.ts`]),
  );
  // Loaded with --import into every process `switchyard up` starts.
  entryPoints['cli/exit-with-parent'] = `${root}services/cli/src/stack/exit-with-parent.ts`;
  await build({
    entryPoints,
    outdir: `${root}dist/services`,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    tsconfig: `${root}tsconfig.json`,
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [externalPackages],
  });
  // The demo config sits beside the CLI as it does beside its sources (config-source.ts).
  cpSync(`${root}services/cli/src/demo`, `${root}dist/services/cli/demo`, { recursive: true });
}

/** Vitest's global setup (vitest.config.ts): tests that start services run what is built now. */
export const setup = buildServices;

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServices();
