import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of Switchyard's root package.json (the repository, or /app in the image), found
 * upwards from this module, which runs from its source or bundled into dist/services/cli.
 */
export const installRoot = findInstallRoot(dirname(fileURLToPath(import.meta.url)));

/** A service compiled by tools/build.mjs: what `switchyard up` starts. */
export function builtServiceMain(service: string): string {
  return join(installRoot, 'dist', 'services', service, 'main.mjs');
}

/** Loaded (`--import`) into every process `up` starts (see exit-with-parent.ts). */
export const builtExitWithParent = join(
  installRoot,
  'dist',
  'services',
  'cli',
  'exit-with-parent.mjs',
);

function findInstallRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isSwitchyardRoot(manifest)) return dir;
    if (dirname(dir) === dir) throw new Error(`no Switchyard package.json above ${from}`);
  }
}

function isSwitchyardRoot(manifest: string): boolean {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'switchyard';
  } catch {
    return false;
  }
}
