import { isPortOpen } from '@switchyard/local-servers';
import { UserError } from '@switchyard/entrypoint';

/**
 * Fails with a clear message when something already listens on host:port, so the stack does
 * not start half-way and then lose the port to another program (often an earlier `up`).
 */
export async function ensurePortFree(
  what: string,
  host: string,
  port: number,
  option: string,
): Promise<void> {
  if (!(await isPortOpen(host, port, 500))) return;
  const simulator = await isProviderSim(host, port);
  throw new UserError(
    `${what} cannot listen on ${host}:${port}: ` +
      (simulator
        ? 'a provider simulator already runs there (another `switchyard up`?)'
        : 'another program uses that port') +
      `; stop it, or choose another port with ${option}`,
  );
}

async function isProviderSim(host: string, port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}:${port}/_sim/health`, {
      signal: AbortSignal.timeout(1_000),
    });
    return response.ok;
  } catch {
    return false;
  }
}
