import type { Writable } from 'node:stream';
import { ConfigError, loadConfig } from '@switchyard/config';
import { resolveConfigSource } from '../config-source';
import { formatModelMap } from '../model-map';

export interface ConfigCheckOptions {
  configPath: string | undefined;
  env: Record<string, string | undefined>;
  out: Writable;
}

/**
 * `switchyard config check [file]`: validates the file and prints its model map and warnings.
 * Returns the exit code: 0 when the config loads, 1 when it has errors (all of them printed).
 */
export async function configCheck(options: ConfigCheckOptions): Promise<number> {
  const source = resolveConfigSource(options.configPath);
  const write = (line: string) => options.out.write(`${line}\n`);
  try {
    const { config, warnings } = await loadConfig(source.path, { env: options.env });
    write(`${source.path}: valid${source.isDemo ? ' (the demo config)' : ''}`);
    write('');
    for (const line of formatModelMap(config)) write(`  ${line}`);
    for (const warning of warnings) write(`\nwarning: ${warning}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    write(error.message);
    return 1;
  }
}
