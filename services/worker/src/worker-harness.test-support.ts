import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { parseConfig, type SwitchyardConfig } from '@switchyard/config';
import {
  createSubjects,
  streamNames,
  type ChatJobInput,
  type CompletionJobInput,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { closeNats, connectNats, publishJob } from '@switchyard/messaging';
import { createLogger, type Metrics } from '@switchyard/telemetry';
import {
  builtServiceMain,
  startTestNats,
  startTestRedis,
  uniquePrefix,
  type TestServer,
} from '@switchyard/testing';
import { Redis } from 'ioredis';
import { startWorker, type RunningWorker } from './start-worker';

export const silentLogger = createLogger({
  name: 'worker-spec',
  level: (process.env.SPEC_LOG as 'silent') ?? 'silent',
});

const simMain = builtServiceMain('provider-sim');

/** The provider simulator in a child process (a service may not import another service). */
export interface SimProcess {
  url: string;
  addFault(rule: { deployment: string; fault: string; count?: number }): Promise<void>;
  setLatency(deployment: string, latency: { ttftMs?: number; perTokenMs?: number }): Promise<void>;
  /** Changes a deployment's settings (`replyTokens`, `chunkTokens`, …; see the sim's README). */
  configure(deployment: string, settings: Record<string, unknown>): Promise<void>;
  /** Requests that reached the simulated provider for `deployment`. */
  requests(deployment: string): Promise<number>;
  stop(): Promise<void>;
}

/** Starts `node dist/services/provider-sim/main.mjs --port 0` and waits until it listens. */
export async function startSimProcess(): Promise<SimProcess> {
  const child: ChildProcess = spawn(process.execPath, [simMain, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`provider-sim did not start: ${output}`)),
      20_000,
    );
    child.stdout?.on('data', (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
    child.once('exit', (code) => reject(new Error(`provider-sim exited (${code}): ${output}`)));
  });
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${url}/_sim/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok)
      throw new Error(`sim ${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    url,
    addFault: async (rule) => void (await control('POST', 'faults', rule)),
    setLatency: async (deployment, latency) =>
      void (await control('POST', 'latency', { deployment, ...latency })),
    configure: async (deployment, settings) =>
      void (await control('POST', 'settings', { deployment, ...settings })),
    async requests(deployment) {
      const stats = (await control('GET', 'stats')) as {
        deployments: Record<string, { requests: number } | undefined>;
      };
      return stats.deployments[deployment]?.requests ?? 0;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The servers of one suite. */
export interface Servers {
  nats: TestServer;
  redis: TestServer;
  sim: SimProcess;
  stop(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const [nats, redis, sim] = await Promise.all([
    startTestNats(),
    startTestRedis(),
    startSimProcess(),
  ]);
  return {
    nats,
    redis,
    sim,
    async stop() {
      await Promise.all([nats.stop(), redis.stop(), sim.stop()]);
    },
  };
}

/** Where each test model's deployment lives on the simulator. */
const apiBases = {
  openai: (sim: string, name: string) => `openai/gpt-4o-mini, api_base: ${sim}/d/${name}/v1`,
  anthropic: (sim: string, name: string) =>
    `anthropic/claude-3-5-haiku-20241022, api_base: ${sim}/d/${name}`,
  gemini: (sim: string, name: string) => `gemini/gemini-2.0-flash, api_base: ${sim}/d/${name}`,
} as const;

export type SimProvider = keyof typeof apiBases;

/** One deployment of a test model: its provider and extra `litellm_params` (`order: 1`). */
export interface TestDeployment {
  provider: SimProvider;
  params?: string;
}

/** One installation on the suite's servers: its own subject root, stream prefix and keys. */
export interface Installation {
  prefix: string;
  /** The config file's text. */
  yaml: string;
  config: SwitchyardConfig;
  subjects: SwitchyardSubjects;
  nc: NatsConnection;
  js: JetStreamClient;
  redis: Redis;
  /** The simulator name of a model's deployment (`<prefix>-<model>`, then `…-<index>`). */
  simName(model: string, index?: number): string;
  /** Publishes a job and collects what arrives on its reply inbox. */
  submit(job: CompletionJobInput): Promise<Inbox>;
  /** Usage events seen on `<root>.usage.>` so far. */
  usageEvents(): {
    id: string;
    job_id: string;
    status: string;
    error_type?: string;
    estimated?: true;
    prompt_tokens: number;
    completion_tokens: number;
    cost_usd: number | null;
  }[];
  /** Messages stored in the DLQ stream. */
  deadLetters(): Promise<{ data: unknown; headers: Record<string, string> }[]>;
  jobsWaiting(): Promise<number>;
  close(): Promise<void>;
}

/** Replies received on one inbox. */
export interface Inbox {
  subject: string;
  messages: Record<string, unknown>[];
  /** Resolves once a final message (a result, an error or a final chunk) arrived. */
  final(timeoutMs?: number): Promise<Record<string, unknown>>;
}

/**
 * Builds a config (through the real loader) with one model per entry of `models`, each
 * deployment on its own simulator deployment, under a fresh prefix; `router` is the
 * `router_settings` mapping and `extraYaml` more top-level lines (`litellm_settings: …`).
 */
export async function createInstallation(
  servers: Servers,
  label: string,
  models: Readonly<Record<string, SimProvider | readonly TestDeployment[]>>,
  router = '{ num_retries: 1, allowed_fails: 100, cooldown_time: 1 }',
  extraYaml: readonly string[] = [],
): Promise<Installation> {
  const prefix = uniquePrefix(label);
  const simName = (model: string, index = 0) =>
    index === 0 ? `${prefix}-${model}` : `${prefix}-${model}-${index}`;
  const yaml = [
    'model_list:',
    ...Object.entries(models).flatMap(([model, spec]) =>
      (typeof spec === 'string' ? [{ provider: spec }] : spec).flatMap(
        ({ provider, params }: TestDeployment, i) => [
          `  - model_name: ${model}`,
          `    litellm_params: { model: ${apiBases[provider](servers.sim.url, simName(model, i))}, api_key: sim-key${params === undefined ? '' : `, ${params}`} }`,
        ],
      ),
    ),
    `router_settings: ${router}`,
    ...extraYaml,
    'switchyard:',
    `  nats: { servers: "${servers.nats.url}", subject_root: ${prefix}, stream_prefix: ${prefix}, storage: memory }`,
    `  redis: { url: "${servers.redis.url}", key_prefix: "${prefix}:" }`,
    '  worker: { concurrency: 4, shutdown_grace_seconds: 5 }',
  ].join('\n');
  const { config } = parseConfig(yaml, { env: {} });
  const subjects = createSubjects(prefix);
  const nc = await connectNats({
    servers: servers.nats.url,
    name: `spec-${prefix}`,
    logger: silentLogger,
  });
  const js = jetstream(nc);
  const redis = new Redis(servers.redis.url);
  const usage: ReturnType<Installation['usageEvents']> = [];
  const usageSub = nc.subscribe(`${prefix}.usage.>`, {
    callback: (_error, msg) => {
      usage.push(msg.json());
    },
  });
  const subscriptions: Subscription[] = [usageSub];
  let inboxes = 0;
  return {
    prefix,
    yaml,
    config,
    subjects,
    nc,
    js,
    redis,
    simName,
    async submit(job) {
      inboxes += 1;
      const subject = `_INBOX.${job.tenant ?? 'default'}.${prefix}-${inboxes}`;
      const messages: Record<string, unknown>[] = [];
      let onFinal: ((message: Record<string, unknown>) => void) | undefined;
      const sub = nc.subscribe(subject, {
        callback: (_error, msg) => {
          const message = msg.json<Record<string, unknown>>();
          messages.push(message);
          if (isFinal(message)) onFinal?.(message);
        },
      });
      subscriptions.push(sub);
      await nc.flush();
      await publishJob(js, job, { replyTo: subject, subjects });
      return {
        subject,
        messages,
        final(timeoutMs = 10_000) {
          const done = messages.find(isFinal);
          if (done) return Promise.resolve(done);
          return new Promise((resolve, reject) => {
            const timer = setTimeout(
              () => reject(new Error(`no final reply on ${subject}: ${JSON.stringify(messages)}`)),
              timeoutMs,
            );
            onFinal = (message) => {
              clearTimeout(timer);
              resolve(message);
            };
          });
        },
      };
    },
    usageEvents: () => usage,
    async deadLetters() {
      const jsm = await jetstreamManager(nc);
      const stream = streamNames(prefix).dlq;
      const count = (await jsm.streams.info(stream)).state.messages;
      const out: { data: unknown; headers: Record<string, string> }[] = [];
      for (let seq = 1; seq <= count; seq += 1) {
        const msg = await jsm.streams.getMessage(stream, { seq });
        if (msg === null) continue;
        const headers: Record<string, string> = {};
        for (const key of msg.header?.keys() ?? []) headers[key] = msg.header.get(key);
        out.push({ data: msg.json(), headers });
      }
      return out;
    },
    async jobsWaiting() {
      const jsm = await jetstreamManager(nc);
      return (await jsm.streams.info(streamNames(prefix).jobs)).state.messages;
    },
    async close() {
      for (const sub of subscriptions) sub.unsubscribe();
      redis.disconnect();
      await closeNats(nc);
    },
  };
}

function isFinal(message: Record<string, unknown>): boolean {
  if (message['object'] !== 'chat.completion.chunk') return true;
  const meta = message['switchyard'] as { final?: boolean } | undefined;
  return meta?.final === true;
}

let jobCounter = 0;

/** A valid job for `model`; override any field. */
export function makeJob(model: string, overrides: Partial<ChatJobInput> = {}): ChatJobInput {
  jobCounter += 1;
  return {
    v: 1,
    id: `job-${Date.now().toString(36)}-${jobCounter}`,
    tenant: 'default',
    model,
    request: { messages: [{ role: 'user', content: 'Where is the blue train going?' }] },
    submitted_at: Date.now(),
    ...overrides,
  };
}

/** Polls `check` every 25 ms until it is true; throws after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The worker pool of `provider` on the installation, pulling with 1 s pulls. */
export function startSpecWorker(
  install: Installation,
  provider: string,
  metrics?: Metrics,
): Promise<RunningWorker> {
  return startWorker({
    config: install.config,
    provider,
    nc: install.nc,
    redis: install.redis,
    logger: silentLogger,
    pullExpiresMs: 1_000,
    ...(metrics === undefined ? {} : { metrics }),
  });
}
