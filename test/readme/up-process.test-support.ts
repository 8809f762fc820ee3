import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@switchyard/local-servers';
import { startTestNats, startTestRedis, type TestServer } from '@switchyard/testing';
import { expect } from 'vitest';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** One JSON log line `switchyard up` (or one of its services) wrote. */
export type LogLine = Record<string, unknown> & { name?: string; msg?: string };

/** `node bin/switchyard.mjs up …` run as a real process, its output collected. */
export interface UpProcess {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** Every line of stdout that is JSON, parsed. */
  lines(): LogLine[];
  /** Everything it wrote, stdout and stderr. */
  output(): string;
  /** The pids of the services it started, by service name (from its "started" lines). */
  servicePids(): Map<string, number>;
}

/** Starts `switchyard up` with `args` in `cwd`; stdout is a pipe, so it logs JSON lines. */
export function startUp(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): UpProcess {
  const child = spawn(process.execPath, [`${repoRoot}bin/switchyard.mjs`, 'up', ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let output = '';
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    output += `${line}\n`;
    try {
      lines.push(JSON.parse(line) as LogLine);
    } catch {
      // plain text lines stay in output()
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return {
    child,
    exited,
    lines: () => lines,
    output: () => output,
    servicePids: () => {
      const pids = new Map<string, number>();
      for (const line of lines) {
        if (
          line.name === 'switchyard' &&
          typeof line['childPid'] === 'number' &&
          line.msg?.startsWith('started ')
        ) {
          pids.set(String(line['service']), line['childPid']);
        }
      }
      return pids;
    },
  };
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `switchyard up` stacks against a suite's own NATS and Redis, each on free gateway and
 * simulator ports in its own temp folder, and kills whatever is left after each test.
 */
export class UpStacks {
  private servers: { nats: TestServer; redis: TestServer } | undefined;
  private readonly started: UpProcess[] = [];
  private readonly folders: string[] = [];

  /** A new temp folder, deleted by `cleanup()`. */
  tempDir(label: string): string {
    const folder = mkdtempSync(join(tmpdir(), `sy-${label}-`));
    this.folders.push(folder);
    return folder;
  }

  async startServers(): Promise<void> {
    const [nats, redis] = await Promise.all([startTestNats(), startTestRedis()]);
    this.servers = { nats, redis };
  }

  async stopServers(): Promise<void> {
    await Promise.all([this.servers?.nats.stop(), this.servers?.redis.stop()]);
  }

  /** NATS_URL and REDIS_URL of the suite's servers. */
  serverEnv(): { NATS_URL: string; REDIS_URL: string } {
    if (this.servers === undefined) throw new Error('startServers() first');
    return { NATS_URL: this.servers.nats.url, REDIS_URL: this.servers.redis.url };
  }

  /** `switchyard up --port <free> --sim-port <free> …args` in a new temp folder. */
  async up(args: string[] = [], env: NodeJS.ProcessEnv = {}) {
    const cwd = this.tempDir('up-stack');
    const ports = { gateway: await findFreePort(), simulator: await findFreePort() };
    const up = this.track(
      startUp(['--port', String(ports.gateway), '--sim-port', String(ports.simulator), ...args], {
        cwd,
        env: { ...process.env, ...this.serverEnv(), LOG_LEVEL: 'info', ...env },
      }),
    );
    return { up, ports, cwd };
  }

  /** Kills it (and its services) after the test if it is still running. */
  track(up: UpProcess): UpProcess {
    this.started.push(up);
    return up;
  }

  async cleanup(): Promise<void> {
    for (const up of this.started.splice(0)) {
      for (const pid of up.servicePids().values()) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      if (up.child.exitCode === null) up.child.kill('SIGKILL');
      await up.exited;
    }
    for (const folder of this.folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  }
}

/** Waits for the ready banner; fails with the output if `up` exits first. */
export async function untilReady(up: UpProcess): Promise<void> {
  await expect
    .poll(
      () => up.lines().some((line) => line['event'] === 'ready') || up.child.exitCode !== null,
      {
        timeout: 60_000,
        interval: 100,
      },
    )
    .toBe(true);
  expect(up.child.exitCode, up.output()).toBeNull();
}
