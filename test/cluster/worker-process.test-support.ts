import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { builtServiceMain } from '@switchyard/testing';
import { waitUntil } from '../pipeline/pipeline-harness.test-support';

/** A worker pool running as its own process (`dist/services/worker/main.mjs`). */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM (graceful stop), then SIGKILL after `graceMs`; resolves once it exited. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `node dist/services/worker/main.mjs` and resolves once it pulls. */
export async function spawnWorkerProcess(
  provider: string,
  configPath: string,
): Promise<WorkerProcess> {
  const child = spawn(
    process.execPath,
    [builtServiceMain('worker'), '--provider', provider, '--config', configPath],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } },
  );
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const exited = once(child, 'exit');
  await waitUntil(() => output.includes('worker pulling') || child.exitCode !== null, 30_000);
  if (child.exitCode !== null) throw new Error(`worker ${provider} exited at start: ${output}`);
  return {
    child,
    output: () => output,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
