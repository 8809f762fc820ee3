import { spawn } from 'node:child_process';
import { forgetChild, killOnExit } from './exit-cleanup';
import { OutputExcerpt } from './output-excerpt';
import { isPortOpen, sleep } from './ports';

/** A server process started by this library. */
export interface LocalServer {
  /** Where clients connect: `nats://127.0.0.1:PORT` or `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  pid: number;
  /**
   * Asks the server to shut down (SIGTERM), waits for it to exit, and sends SIGKILL if it has
   * not exited within the stop timeout. Safe to call more than once, and after `kill()`.
   */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL) and waits for it to exit, as a crash would. */
  kill(): Promise<void>;
}

/** How to run one server binary and how to tell that it is ready. */
export interface LocalServerSpec {
  /** Name used in error messages, e.g. `nats-server`. */
  name: string;
  binary: string;
  args: readonly string[];
  /** Host and port clients use; named in error messages. */
  host: string;
  port: number;
  url: string;
  /** Resolves true once the server answers its protocol; must resolve within `timeoutMs`. */
  isReady(timeoutMs: number): Promise<boolean>;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  /**
   * Run the server in a process group of its own, so that Ctrl-C in a terminal reaches only
   * this process, which then stops the server when it chooses. @defaultValue false
   */
  ownProcessGroup?: boolean;
}

/**
 * Spawns the server and resolves once `isReady` says it answers. Rejects at once if the port
 * already accepts connections (another server would answer the readiness check); rejects,
 * with the first and last lines of the server's output in the message, if it exits first or
 * is not ready within `startTimeoutMs` (then it is killed). The child is killed if this
 * process exits.
 */
export async function startLocalServer(spec: LocalServerSpec): Promise<LocalServer> {
  const where = `${spec.host}:${spec.port}`;
  if (await isPortOpen(spec.host, spec.port, 500)) {
    throw new Error(
      `${spec.name} cannot start on ${where}: the port is already in use by another process`,
    );
  }
  const output = new OutputExcerpt();
  const child = spawn(spec.binary, [...spec.args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: spec.ownProcessGroup ?? false,
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));

  let exitedFlag = false;
  let exitDescription = '';
  let spawnError: Error | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      if (child.pid !== undefined) return;
      spawnError = error;
      exitedFlag = true;
      resolve();
    });
    child.once('close', (code, signal) => {
      exitedFlag = true;
      exitDescription = signal === null ? `with code ${code}` : `on signal ${signal}`;
      forgetChild(child);
      resolve();
    });
  });
  killOnExit(child);

  const lastOutput = () => {
    const text = output.text();
    return text === '' ? ' (no output)' : `; its output:\n${text}`;
  };

  const deadline = Date.now() + spec.startTimeoutMs;
  for (;;) {
    if (spawnError !== undefined) {
      throw new Error(
        `${spec.name} could not be started from "${spec.binary}": ${spawnError.message}` +
          ' (is it installed and on PATH?)',
        { cause: spawnError },
      );
    }
    if (exitedFlag) {
      throw new Error(
        `${spec.name} exited ${exitDescription} before it was ready on ${where}${lastOutput()}`,
      );
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(
        `${spec.name} was not ready on ${where} within ${spec.startTimeoutMs} ms${lastOutput()}`,
      );
    }
    const ready = await Promise.race([
      spec.isReady(Math.min(remaining, 1_000)),
      exited.then(() => false),
    ]);
    if (ready && !exitedFlag) break;
    await Promise.race([sleep(50), exited]);
  }

  const pid = child.pid;
  if (pid === undefined) throw new Error(`${spec.name} has no pid after starting`);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (exitedFlag) return;
      child.kill('SIGTERM');
      if (await finishesWithin(exited, spec.stopTimeoutMs)) return;
      child.kill('SIGKILL');
      await exited;
    })());
  const kill = async (): Promise<void> => {
    if (!exitedFlag) child.kill('SIGKILL');
    await exited;
  };

  return { url: spec.url, port: spec.port, pid, stop, kill };
}

async function finishesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
