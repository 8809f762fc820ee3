import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { querySpend, ServerError, Switchyard, SwitchyardError } from '@switchyard/client';
import { parseConfig } from '@switchyard/config';
import { createSubjects, streamNames, type UsageEvent } from '@switchyard/contracts';
import { startNatsCluster, type NatsClusterNode } from '@switchyard/local-servers';
import { closeNats, connectNats } from '@switchyard/messaging';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { startTestRedis, uniquePrefix } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { readUsageEvents } from '../cluster/usage-events.test-support';
import { quietLogger, waitUntil } from '../pipeline/pipeline-harness.test-support';
import {
  spawnService,
  type ServiceName,
  type ServiceProcess,
} from '../processes/service-process.test-support';
import { tallyChaos, type CallerOutcome, type ChaosTally, type Kill } from './chaos-ledger';
import { chaosSchedule, type ChaosFault, type ChaosServiceName } from './chaos-schedule';

/** Options of {@link runChaos}. */
export interface ChaosOptions {
  jobs: number;
  /** New jobs per second, sent whatever the answers do (an open loop). */
  ratePerSecond: number;
  progress?: (line: string) => void;
}

/** What {@link runChaos} measured. */
export interface ChaosReport extends ChaosTally {
  /** The faults, in seconds from the first job. */
  faults: string[];
  /** Whether metering's aggregates equal the usage stream's events (requests and tokens). */
  meteringAgrees: boolean;
  metered: { requests: number; tokens: number };
  durationMs: number;
}

/**
 * How long a caller waits for its answer: a job redelivered after a kill is answered within
 * AckWait (30 s) and a restart, so a caller still waiting after this has lost its job, and the run
 * says so instead of outliving its test.
 */
export const callerTimeoutMs = 90_000;
const promptOf = (i: number) => `chaos-${i}: where is the blue train going?`;
const tagOf = (i: number) => `chaos-${i}`;
const readyLine: Record<ServiceName, string> = {
  gateway: 'gateway listening on',
  worker: 'worker pulling',
  fallback: 'fallback router started',
  metering: 'metering started',
  batch: 'batch runner started',
};

/**
 * The chaos run: a 3-node NATS cluster with every stream at R3, Redis, and Switchyard's
 * services as processes of their own (two worker pools, the fallback router, metering, the
 * gateway). Jobs arrive at a steady rate, over NATS (a quarter of them streams) and a tenth over
 * HTTP, their calls to the `chat` model failing now and then into a fallback to `backup`.
 * Meanwhile each service is killed with SIGKILL and started again, one NATS node is killed and
 * restarted (the node the NATS callers are connected to), and Redis is killed and comes back
 * empty. Then every job is checked against the simulator's call ledger and the usage stream
 * ({@link tallyChaos}), and metering's aggregates against the usage stream.
 */
export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const progress = options.progress ?? (() => undefined);
  const [cluster, redis, sim] = await Promise.all([
    startNatsCluster({ size: 3 }),
    startTestRedis(),
    startProviderSim({ port: 0 }),
  ]);
  const cleanup: (() => Promise<unknown>)[] = [
    () => cluster.stop(),
    () => redis.stop(),
    () => sim.stop(),
  ];
  try {
    const prefix = uniquePrefix('chaos');
    const configPath = writeConfig(prefix, cluster.urls, redis.url, sim);
    const services = new RunningServices(configPath);
    cleanup.unshift(() => services.stopAll());
    await services.startAll();
    progress('services started');

    const callerNode = cluster.nodes[2] as NatsClusterNode;
    const callerNc = await connectNats({
      servers: [callerNode.url],
      name: 'chaos-callers',
      logger: quietLogger,
    });
    cleanup.unshift(() => closeNats(callerNc, { timeoutMs: 2_000 }));
    const admin = await connectNats({ servers: cluster.urls, name: 'chaos-admin' });
    cleanup.unshift(() => closeNats(admin, { timeoutMs: 2_000 }));
    const client = new Switchyard({
      nc: callerNc,
      subjectRoot: prefix,
      streamPrefix: prefix,
      timeoutMs: callerTimeoutMs,
    });

    const kills: Kill[] = [];
    const faultLog: string[] = [];
    const started = Date.now();
    const at = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
    const inject = async (fault: ChaosFault): Promise<void> => {
      const killedAt = Date.now();
      if (fault.kind === 'service') {
        await services.kill(fault.name);
        kills.push({ what: fault.name, at: killedAt });
        await services.start(fault.name);
      } else if (fault.kind === 'nats-node') {
        await callerNode.kill();
        kills.push({ what: 'nats', at: killedAt });
        await sleep(fault.downMs);
        await callerNode.restart();
      } else {
        await redis.kill?.();
        kills.push({ what: 'redis', at: killedAt });
        await sleep(fault.downMs);
        await redis.restart?.();
        // The machine's Redis keeps nothing on disk: it comes back empty.
        const fresh = new Redis(redis.url);
        await fresh.flushall();
        fresh.disconnect();
      }
      faultLog.push(`${at()}: ${fault.label} (${Date.now() - killedAt} ms)`);
      progress(faultLog.at(-1) as string);
    };

    const outcomes: Promise<CallerOutcome>[] = [];
    const periodMs = (options.jobs / options.ratePerSecond) * 1_000;
    const faults = (async () => {
      for (const fault of chaosSchedule) {
        await sleep(Math.max(0, started + fault.at * periodMs - Date.now()));
        await inject(fault);
      }
    })();
    for (let i = 0; i < options.jobs; i++) {
      await sleep(Math.max(0, started + (i * 1_000) / options.ratePerSecond - Date.now()));
      outcomes.push(i % 10 === 9 ? askOverHttp(services, i) : askOverNats(client, i));
      if (i % 500 === 499) progress(`${at()}: ${i + 1} jobs sent`);
    }
    await faults;
    const settled = await Promise.all(outcomes);
    const durationMs = Date.now() - started;
    progress(`${at()}: every caller settled`);

    await waitUntil(() => sim.calls().every((call) => call.outcome !== 'in_flight'), 60_000);
    await waitUntil(async () => (await queuedJobs(admin, prefix)) === 0, 60_000);
    const usage = await readUsageEvents(admin, prefix);
    const byTag = eventsByTag(usage.events);
    const tally = tallyChaos(
      settled.map((outcome, index) => ({
        index,
        outcome,
        calls: sim.calls({ key: promptOf(index) }),
        events: byTag.get(tagOf(index)) ?? [],
      })),
      kills,
    );
    if (usage.invalid > 0) tally.problems.push(`${usage.invalid} invalid usage events`);
    const billed = totalsOf(usage.events);
    const metered = await meteredTotals(admin, prefix, started, billed);
    const meteringAgrees = metered.requests === billed.requests && metered.tokens === billed.tokens;
    if (!meteringAgrees)
      tally.problems.push(
        `metering counts ${metered.requests} requests / ${metered.tokens} tokens, the usage stream ${billed.requests} / ${billed.tokens}`,
      );
    return { ...tally, faults: faultLog, meteringAgrees, metered, durationMs };
  } finally {
    for (const step of cleanup) await step().catch(() => undefined);
  }
}

/** The config: `chat` (a deployment failing a fifth of its calls, with an rpm limit kept in Redis) falling back to `backup`. */
function writeConfig(
  prefix: string,
  natsUrls: readonly string[],
  redisUrl: string,
  sim: ProviderSimHandle,
): string {
  const deployment = (name: string, params: string) =>
    `    litellm_params: { model: openai/gpt-4o-mini, api_base: "${sim.url}/d/${prefix}-${name}/v1", api_key: sim-key, timeout: 20${params} }`;
  const yaml = [
    'model_list:',
    '  - model_name: chat',
    deployment('chat', ', rpm: 1000000'),
    '  - model_name: backup',
    deployment('backup', ''),
    'router_settings: { num_retries: 1, allowed_fails: 1000000, cooldown_time: 1, fallbacks: [{ chat: [backup] }] }',
    'switchyard:',
    `  nats: { servers: "${natsUrls.join(',')}", subject_root: ${prefix}, stream_prefix: ${prefix}, storage: memory, replicas: 3 }`,
    `  redis: { url: "${redisUrl}", key_prefix: "${prefix}:" }`,
    '  worker: { concurrency: 64, shutdown_grace_seconds: 1 }',
  ].join('\n');
  parseConfig(yaml, { env: {} });
  for (const name of ['chat', 'backup']) {
    const simDeployment = `${prefix}-${name}`;
    sim.configure({ replyTokens: 16, randomReplies: true }, { deployment: simDeployment });
    sim.setLatency({ ttftMs: 200, perTokenMs: 10 }, { deployment: simDeployment });
  }
  sim.setFaults([{ deployment: `${prefix}-chat`, fault: 'server_error', probability: 0.2 }]);
  const path = join(mkdtempSync(join(tmpdir(), 'sy-chaos-')), 'config.yaml');
  writeFileSync(path, yaml);
  return path;
}

/** The service processes of the run, one of each but two workers, by name. */
class RunningServices {
  private readonly running = new Map<string, ServiceProcess>();
  /** Where the gateway listens now (its port changes when it is started again). */
  gatewayUrl = '';

  constructor(private readonly configPath: string) {}

  async startAll(): Promise<void> {
    await Promise.all(
      (['worker-a', 'worker-b', 'fallback', 'metering', 'gateway'] as const).map((name) =>
        this.start(name),
      ),
    );
  }

  async start(name: ChaosServiceName): Promise<void> {
    const service = serviceOf(name);
    const args = ['--config', this.configPath];
    if (service === 'worker') args.push('--provider', 'openai');
    if (service === 'gateway') args.push('--port', '0', '--insecure');
    const child = await spawnService(service, args, readyLine[service]);
    this.running.set(name, child);
    if (service === 'gateway') {
      const url = /gateway listening on (http:\/\/\S+)/.exec(child.output())?.[1];
      if (url === undefined) throw new Error(`the gateway printed no address: ${child.output()}`);
      this.gatewayUrl = url;
    }
  }

  async kill(name: ChaosServiceName): Promise<void> {
    await this.running.get(name)?.kill9();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running.values()].map((child) => child.stop(5_000)));
  }
}

function serviceOf(name: ChaosServiceName): ServiceName {
  return name === 'worker-a' || name === 'worker-b' ? 'worker' : name;
}

async function askOverNats(client: Switchyard, i: number): Promise<CallerOutcome> {
  const params = {
    model: 'chat',
    messages: [{ role: 'user' as const, content: promptOf(i) }],
    switchyard: { tags: [tagOf(i)] },
  };
  try {
    if (i % 4 !== 1) {
      const result = await client.chat.completions.create(params);
      return { kind: 'result', text: result.choices[0]?.message.content ?? '' };
    }
    const stream = await client.chat.completions.create({ ...params, stream: true });
    let text = '';
    let finals = 0;
    const generations = new Set<string>();
    for await (const chunk of stream) {
      generations.add(chunk.switchyard.generation);
      text += chunk.choices.map((choice) => choice.delta.content ?? '').join('');
      if (chunk.switchyard.final) finals += 1;
    }
    return { kind: 'stream', text, finals, generations: generations.size };
  } catch (error) {
    if (error instanceof ServerError && error.code === 'stream_cut') return { kind: 'stream_cut' };
    if (error instanceof SwitchyardError && error.code !== 'client_timeout')
      return { kind: 'error', code: error.code };
    return { kind: 'lost', reason: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * One request to the gateway. A refused connection (the gateway is down, or moved to its new
 * port) is sent again, as a load balancer would; a connection that breaks once the request was
 * sent is the gateway's kill cutting it.
 */
async function askOverHttp(services: RunningServices, i: number): Promise<CallerOutcome> {
  const body = JSON.stringify({
    model: 'chat',
    messages: [{ role: 'user', content: promptOf(i) }],
  });
  for (;;) {
    let response: Response;
    try {
      response = await fetch(`${services.gatewayUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-switchyard-tags': tagOf(i) },
        body,
        signal: AbortSignal.timeout(callerTimeoutMs),
      });
    } catch (error) {
      if (isTimeout(error)) return lostOverHttp;
      if (causeCode(error) === 'ECONNREFUSED') {
        await sleep(100);
        continue;
      }
      return { kind: 'http_cut', at: Date.now() };
    }
    try {
      const answer = (await response.json()) as {
        choices?: { message?: { content?: string } }[];
        error?: { code?: string };
      };
      if (response.ok) return { kind: 'result', text: answer.choices?.[0]?.message?.content ?? '' };
      return { kind: 'error', code: `${response.status} ${answer.error?.code ?? ''}` };
    } catch (error) {
      if (isTimeout(error)) return lostOverHttp;
      return { kind: 'http_cut', at: Date.now() };
    }
  }
}

const lostOverHttp: CallerOutcome = {
  kind: 'lost',
  reason: `no HTTP answer in ${callerTimeoutMs} ms`,
};

function isTimeout(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'TimeoutError';
}

function causeCode(error: unknown): string | undefined {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code;
}

function eventsByTag(events: readonly UsageEvent[]): Map<string, UsageEvent[]> {
  const byTag = new Map<string, UsageEvent[]>();
  for (const event of events) {
    for (const tag of event.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), event]);
  }
  return byTag;
}

function totalsOf(events: readonly UsageEvent[]): { requests: number; tokens: number } {
  return {
    requests: events.length,
    tokens: events.reduce((sum, e) => sum + e.prompt_tokens + e.completion_tokens, 0),
  };
}

/** Metering's totals, once they equal `expected` or after 90 s (metering may be rebuilding). */
async function meteredTotals(
  nc: NatsConnection,
  prefix: string,
  since: number,
  expected: { requests: number; tokens: number },
): Promise<{ requests: number; tokens: number }> {
  let totals = { requests: -1, tokens: -1 };
  await waitUntil(async () => {
    const answer = await querySpend(nc, createSubjects(prefix), {
      by: 'deployment',
      since: since - 3_600_000,
      until: Date.now() + 3_600_000,
    }).catch(() => undefined);
    if (answer === undefined) return false;
    totals = answer.rows.reduce(
      (sum, row) => ({
        requests: sum.requests + row.requests,
        tokens: sum.tokens + row.prompt_tokens + row.completion_tokens,
      }),
      { requests: 0, tokens: 0 },
    );
    return totals.requests === expected.requests && totals.tokens === expected.tokens;
  }, 90_000).catch(() => undefined);
  return totals;
}

async function queuedJobs(nc: NatsConnection, prefix: string): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(streamNames(prefix).jobs)).state.messages;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
