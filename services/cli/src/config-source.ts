import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '@switchyard/entrypoint';

/** The demo config: two logical models on the bundled provider simulator, no API keys. */
export const demoConfigPath = fileURLToPath(new URL('./demo/config.yaml', import.meta.url));

export interface ConfigSource {
  path: string;
  /** True when no config was named and ./config.yaml does not exist. */
  isDemo: boolean;
}

/**
 * Which config file to use: the one named, else ./config.yaml, else the demo config. With
 * `demo`, the demo config even when ./config.yaml exists.
 */
export function resolveConfigSource(
  named: string | undefined,
  options: { demo?: boolean } = {},
): ConfigSource {
  if (options.demo === true) {
    if (named !== undefined) throw new UserError('--demo and --config cannot be used together');
    return { path: demoConfigPath, isDemo: true };
  }
  if (named !== undefined) {
    if (!existsSync(named)) throw new UserError(`config file ${named} does not exist`);
    return { path: named, isDemo: false };
  }
  if (existsSync('config.yaml')) return { path: 'config.yaml', isDemo: false };
  return { path: demoConfigPath, isDemo: true };
}
