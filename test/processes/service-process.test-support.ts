import { spawn, type ChildProcess } from 'node:child_process';
import { builtServiceMain } from '@switchyard/testing';
import { waitUntil } from '../pipeline/pipeline-harness.test-support';

/** The services a test can run as processes of their own. */
export type ServiceName = 'gateway' | 'worker' | 'fallback' | 'metering' | 'batch';

/** A service run as its own process (`node dist/services/<name>/main.mjs`). */
export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  /** kill -9: no handler runs, nothing is flushed or acked. */
  kill9(): Promise<void>;
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/** Starts a service's compiled main and waits until its output contains `ready`. */
export async function spawnService(
  name: ServiceName,
  args: string[],
  ready: string,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [builtServiceMain(name), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'info' },
  });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  await waitUntil(() => output.includes(ready) || child.exitCode !== null, 30_000);
  if (child.exitCode !== null) throw new Error(`${name} exited at start: ${output}`);
  const exited = () =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited();
    },
    async stop(graceMs = 10_000) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited();
      clearTimeout(timer);
    },
  };
}
