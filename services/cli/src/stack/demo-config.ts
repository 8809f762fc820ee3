import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { demoConfigPath } from '../config-source';

/** The simulator port the demo config names (`api_base: http://127.0.0.1:4010/…`). */
export const demoSimulatorPort = 4010;

/**
 * The demo config for a simulator on `port`: the bundled file for 4010, else a copy under
 * `stateDir` whose `api_base`s name `port` (for a second stack, or tests, beside a running one).
 */
export async function demoConfigFor(port: number, stateDir: string): Promise<string> {
  if (port === demoSimulatorPort) return demoConfigPath;
  const text = await readFile(demoConfigPath, 'utf8');
  const path = resolve(join(stateDir, `demo-config.sim-${port}.yaml`));
  await mkdir(stateDir, { recursive: true });
  await writeFile(
    path,
    `# Written by switchyard up --sim-port ${port} from the demo config.\n` +
      text.replaceAll(`127.0.0.1:${demoSimulatorPort}`, `127.0.0.1:${port}`),
  );
  return path;
}
