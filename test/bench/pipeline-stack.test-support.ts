/**
 * The processes of the queue-hop benchmark: nats-server and redis-server (libs/testing), the
 * provider simulator and the openai worker pool as child processes, and one config that points
 * a single logical model at one simulator deployment with zero simulated latency.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig, type SwitchyardConfig } from '@switchyard/config';
import { serviceNodeFlags } from '@switchyard/entrypoint';
import {
  builtServiceMain,
  startTestNats,
  startTestRedis,
  uniquePrefix,
  type BuiltService,
  type TestServer,
} from '@switchyard/testing';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The compiled entry point of a service (`dist/services/<name>/main.mjs`), for benchmarks. */
export const builtMain: (service: BuiltService) => string = builtServiceMain;

/** The logical model every benchmark job asks for. */
export const benchModel = 'bench-model';
/** The simulator deployment behind it (`/d/<name>` routing). */
export const benchSimDeployment = 'bench-openai';

/**
 * Sets the latency of the benchmark's simulator deployment (`/_sim/latency`, no jitter): the
 * wait before the first content (or a whole body) and after it per streamed token.
 */
export async function setSimLatency(
  simUrl: string,
  latency: { ttftMs: number; perTokenMs: number },
): Promise<void> {
  const response = await fetch(`${simUrl}/_sim/latency`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ deployment: benchSimDeployment, ...latency, jitterMs: 0 }),
  });
  if (!response.ok) throw new Error(`/_sim/latency: ${response.status} ${await response.text()}`);
}

/** A child process started by the benchmark, stopped with SIGTERM (SIGKILL after 5 s). */
export interface BenchChild {
  readonly name: string;
  readonly pid: number | undefined;
  /** Everything it wrote so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL at once, synchronously: for the watchdog. */
  killNow(): void;
}

/**
 * Spawns `node <serviceNodeFlags> dist/services/<service>/main.mjs ...args` (`npm run build`
 * first) from the repository root, as `switchyard up` and the image start it (`nodeArgs`
 * go to node after those flags). With `ready`, resolves
 * once the output matches it (rejecting if the child exits first or after 30 s). With
 * BENCH_PROFILE_DIR set, the child writes a V8 CPU profile there when it exits.
 */
export async function spawnBuilt(
  name: BuiltService,
  args: readonly string[],
  options: { ready?: RegExp; env?: NodeJS.ProcessEnv; nodeArgs?: readonly string[] } = {},
): Promise<{ child: BenchChild; match: RegExpExecArray | undefined }> {
  const profileDir = process.env['BENCH_PROFILE_DIR'];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const nodeArgs = [
    ...serviceNodeFlags,
    ...profile,
    ...(options.nodeArgs ?? []),
    builtServiceMain(name),
    ...args,
  ];
  const proc: ChildProcess = spawn(process.execPath, nodeArgs, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const exited = once(proc, 'exit');
  const child: BenchChild = {
    name,
    pid: proc.pid,
    output: () => text,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      // Beyond the worker's 5 s shutdown grace, so that a CPU profile is written on exit.
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      proc.kill('SIGTERM');
      await exited;
      clearTimeout(timer);
    },
    killNow() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    },
  };
  const ready = options.ready;
  const match = await new Promise<RegExpExecArray | undefined>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.killNow();
      reject(new Error(`${name} did not start within 30 s: ${text}`));
    }, 30_000);
    const check = (): void => {
      const found = ready?.exec(text);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    proc.stdout?.on('data', (data: Buffer) => {
      text += data.toString();
      check();
    });
    proc.stderr?.on('data', (data: Buffer) => {
      text += data.toString();
      check();
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready: ${text}`));
    });
    if (ready === undefined) {
      clearTimeout(timer);
      resolve(undefined);
    }
  });
  return { child, match };
}

/** Everything the benchmark runs against. */
export interface PipelineStack {
  readonly nats: TestServer;
  readonly redis: TestServer;
  readonly simUrl: string;
  /** The provider simulator's process id. */
  readonly simPid: number | undefined;
  readonly config: SwitchyardConfig;
  /** The config file a worker child process reads. */
  readonly configPath: string;
  /** Starts the compiled worker with `--provider openai` on the config (`nodeArgs` to node). */
  startWorkerProcess(nodeArgs?: readonly string[]): Promise<BenchChild>;
  /** The last lines each child process wrote, to show when the benchmark fails. */
  childOutput(): string;
  /** Kills every child and server at once (watchdog path). */
  killNow(): void;
  stop(): Promise<void>;
}

/** The worker's settings in the benchmark's config. */
export interface BenchWorkerSettings {
  /** Jobs a worker runs at once. @defaultValue 64 */
  concurrency?: number;
  /** Jobs of the model in flight (its consumer's max_ack_pending). @defaultValue the config's */
  maxInFlight?: number;
}

/** Starts NATS, Redis and the simulator, and writes the config (worker concurrency 64). */
export async function startPipelineStack(worker: BenchWorkerSettings = {}): Promise<PipelineStack> {
  const prefix = uniquePrefix('bench');
  const children: BenchChild[] = [];
  const servers: TestServer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  const killNow = (): void => {
    for (const child of children) child.killNow();
    for (const server of servers) void server.kill?.();
  };
  try {
    const [nats, redis, sim] = await Promise.all([
      startTestNats().then((server) => (servers.push(server), server)),
      startTestRedis().then((server) => (servers.push(server), server)),
      spawnBuilt('provider-sim', ['--port', '0'], {
        ready: /listening on (http:\/\/\S+)/,
      }).then((started) => (children.push(started.child), started)),
    ]);
    const simUrl = sim.match?.[1];
    if (simUrl === undefined) throw new Error('provider-sim printed no URL');
    const yaml = [
      'model_list:',
      `  - model_name: ${benchModel}`,
      `    litellm_params: { model: openai/gpt-4o-mini, api_base: "${simUrl}/d/${benchSimDeployment}/v1", api_key: bench-key }`,
      'router_settings: { num_retries: 0, allowed_fails: 1000, cooldown_time: 1 }',
      'switchyard:',
      `  nats: { servers: "${nats.url}", subject_root: ${prefix}, stream_prefix: ${prefix}, storage: memory }`,
      `  redis: { url: "${redis.url}", key_prefix: "${prefix}:" }`,
      `  worker: { concurrency: ${worker.concurrency ?? 64}, shutdown_grace_seconds: 5${worker.maxInFlight === undefined ? '' : `, max_in_flight: ${worker.maxInFlight}`} }`,
    ].join('\n');
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, yaml);
    const { config } = parseConfig(yaml, { env: {} });
    return {
      nats,
      redis,
      simUrl,
      simPid: sim.child.pid,
      config,
      configPath,
      async startWorkerProcess(nodeArgs = []) {
        const { child } = await spawnBuilt(
          'worker',
          ['--provider', 'openai', '--config', configPath],
          { ready: /worker pulling/, env: { LOG_LEVEL: 'info' }, nodeArgs },
        );
        children.push(child);
        return child;
      },
      childOutput: () =>
        children
          .map((child) => `--- ${child.name} (last output) ---\n${child.output().slice(-3_000)}`)
          .join('\n'),
      killNow,
      async stop() {
        await Promise.all(children.map((child) => child.stop()));
        await Promise.all(servers.map((server) => server.stop()));
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    killNow();
    await Promise.allSettled(servers.map((server) => server.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
