import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The services tools/build.mjs compiles into dist/services/<name>/main.mjs. */
export type BuiltService =
  'gateway' | 'worker' | 'fallback' | 'metering' | 'batch' | 'provider-sim' | 'cli';

/**
 * The compiled main of a service, as production runs it. Vitest builds dist/ before the tests
 * (its global setup); a script run outside vitest builds it with `npm run build`.
 */
export function builtServiceMain(service: BuiltService): string {
  const main = fileURLToPath(
    new URL(`../../../dist/services/${service}/main.mjs`, import.meta.url),
  );
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\``);
  return main;
}
