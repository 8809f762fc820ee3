import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { serviceNodeFlags } from '@switchyard/entrypoint';
import { builtExitWithParent } from './built-services';
import type { LogRelay } from './log-relay';

/** One process of the stack: a service compiled by tools/build.mjs. */
export interface ServiceSpec {
  /** Its name in logs and messages: `gateway`, `worker-anthropic`. */
  name: string;
  /** What it is, which decides when it stops (see `stopOrder`). */
  role: ServiceRole;
  /** Absolute path of its compiled main.mjs. */
  script: string;
  args: string[];
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  stopTimeoutMs: number;
}

export type ServiceRole = 'simulator' | 'fallback' | 'metering' | 'batch' | 'worker' | 'gateway';

/** How a process ended. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running service process. */
export interface ServiceProcess {
  readonly spec: ServiceSpec;
  readonly pid: number;
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<ExitStatus>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL if it has not exited within the spec's stop timeout. */
  stop(): Promise<ExitStatus>;
  /** SIGKILL now, without waiting. */
  killNow(): void;
}

export interface SpawnServiceOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  relay: LogRelay;
}

/**
 * Starts `node <serviceNodeFlags> <script> <args>` in a process group of its own (Ctrl-C in the
 * terminal reaches only `up`, which stops the stack in order), with standard input a pipe whose
 * end makes the service stop (see exit-with-parent.ts). Its output lines go to `relay`.
 */
export function spawnService(spec: ServiceSpec, options: SpawnServiceOptions): ServiceProcess {
  const child = spawn(
    process.execPath,
    [
      ...serviceNodeFlags,
      '--import',
      pathToFileURL(builtExitWithParent).href,
      spec.script,
      ...spec.args,
    ],
    {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      options.relay.line(spec.name, `could not be started: ${error.message}`, 'stderr');
      status = { code: 127, signal: null };
      resolve(status);
    });
    child.once('exit', (code, signal) => {
      status = { code, signal };
      resolve(status);
    });
  });
  for (const [stream, source] of [
    ['stdout', child.stdout],
    ['stderr', child.stderr],
  ] as const) {
    createInterface({ input: source, crlfDelay: Infinity }).on('line', (line) =>
      options.relay.line(spec.name, line, stream),
    );
  }
  child.stdin.on('error', () => undefined);

  let stopping: Promise<ExitStatus> | undefined;
  return {
    spec,
    pid: child.pid ?? -1,
    exited,
    hasExited: () => status !== undefined,
    killNow: () => {
      if (status === undefined) child.kill('SIGKILL');
    },
    stop: () =>
      (stopping ??= (async () => {
        if (status !== undefined) return status;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), spec.stopTimeoutMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      })()),
  };
}

/** `exited with code 1`, `was killed by SIGKILL`. */
export function describeExit(status: ExitStatus): string {
  return status.signal === null
    ? `exited with code ${status.code}`
    : `was killed by ${status.signal}`;
}
