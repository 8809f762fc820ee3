/**
 * The gateway hop: what the HTTP gateway adds to a completion call. Against one openai
 * deployment of the provider simulator with zero simulated latency, for BENCH_SECONDS (default
 * 10) each after a 1 s warm-up, at concurrency 1 and 64 and streaming at 1 (timing a stream's
 * first chunk with text, the time to first token), each path first run uncounted at concurrency
 * 64 for up to 5 s (warmPath) so that V8 has optimised it, it measures
 *
 * - direct: `completeChat` / `streamChat` of libs/providers straight to the simulator;
 * - Switchyard client: `client.chat.completions.create` in this process → NATS → worker → sim;
 * - gateway (HTTP): undici → `dist/services/gateway/main.mjs` (child process) → NATS → worker → sim;
 * - gateway (plain NATS request): what a service in any language does, a NATS request of the
 *   OpenAI body to `<root>.chat.default.<model>` from a connection with tenant default's inbox
 *   prefix → the gateway's `switchyard` service → NATS → worker → sim (no streaming row);
 *
 * with the worker pool as a child process; then HTTP through the gateway at concurrency 50 with
 * the stack (gateway, worker, metering, nats-server, redis-server) confined to one core and this
 * driver and the simulator on another (`taskset`; skipped with fewer than 2 cores or no
 * taskset; metering starts for that row, once it has applied the earlier rows' usage). It prints
 * a markdown table. Every process it starts is stopped before it exits; a failed call ends it
 * with exit code 1 and the children's last output; a watchdog bounds the run.
 *
 *   npm run build && npx tsx test/bench/gateway.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Switchyard } from '@switchyard/client';
import {
  createSubjects,
  streamNames,
  tenantInboxPrefix,
  type ChatCompletionRequest,
} from '@switchyard/contracts';
import { closeNats, connectNats } from '@switchyard/messaging';
import { adapterFor, closeAll, completeChat, streamChat } from '@switchyard/providers';
import { createLogger } from '@switchyard/telemetry';
import { Agent, request as httpRequest } from 'undici';
import {
  carriesText,
  pathWarmSeconds,
  runFixedTime,
  warmPath,
  type CallSample,
} from './fixed-time-run';
import {
  formatGatewayReport,
  GatewayPaths,
  type GatewayPath,
  type GatewayRow,
} from './gateway-report';
import { childPids, startCpuReading, type WatchedProcess } from './process-cpu';
import {
  benchModel,
  spawnBuilt,
  type BenchChild,
  startPipelineStack,
  type PipelineStack,
} from './pipeline-stack.test-support';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const warmMs = 1_000;
const callTimeoutMs = 30_000;
const question = 'Summarise the timetable changes for the northern line this weekend, please.';
const request: ChatCompletionRequest = { messages: [{ role: 'user', content: question }] };
const logger = createLogger({ name: 'gateway-bench', level: 'warn' });

type Call = () => Promise<CallSample>;

function directCalls(stack: PipelineStack): { call: Call; stream: Call } {
  const deployment = stack.config.models[benchModel]?.deployments[0];
  if (deployment === undefined) throw new Error(`no deployment for ${benchModel}`);
  const adapter = adapterFor(deployment.provider);
  const context = { deployment, dropParams: false };
  return {
    call: async () => {
      const started = performance.now();
      const completion = await completeChat(adapter, request, context);
      if (completion.choices.length === 0) throw new Error('direct call: no choices');
      return { totalMs: performance.now() - started };
    },
    stream: async () => {
      const started = performance.now();
      let firstChunkMs: number | undefined;
      for await (const chunk of streamChat(adapter, { ...request, stream: true }, context)) {
        if (firstChunkMs === undefined && carriesText(chunk)) {
          firstChunkMs = performance.now() - started;
        }
      }
      return {
        totalMs: performance.now() - started,
        ...(firstChunkMs === undefined ? {} : { firstChunkMs }),
      };
    },
  };
}

function clientCalls(client: Switchyard): { call: Call; stream: Call } {
  return {
    call: async () => {
      const started = performance.now();
      await client.chat.completions.create(
        { model: benchModel, ...request },
        { timeout: callTimeoutMs },
      );
      return { totalMs: performance.now() - started };
    },
    stream: async () => {
      const started = performance.now();
      const stream = await client.chat.completions.create(
        { model: benchModel, ...request, stream: true },
        { timeout: callTimeoutMs },
      );
      let firstChunkMs: number | undefined;
      for await (const chunk of stream) {
        if (firstChunkMs === undefined && carriesText(chunk)) {
          firstChunkMs = performance.now() - started;
        }
      }
      return {
        totalMs: performance.now() - started,
        ...(firstChunkMs === undefined ? {} : { firstChunkMs }),
      };
    },
  };
}

function gatewayCalls(url: string, agent: Agent): { call: Call; stream: Call } {
  const post = (stream: boolean) =>
    httpRequest(`${url}/v1/chat/completions`, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: benchModel, ...request, stream }),
      headersTimeout: callTimeoutMs,
      bodyTimeout: callTimeoutMs,
    });
  return {
    call: async () => {
      const started = performance.now();
      const res = await post(false);
      const body = (await res.body.json()) as { choices?: unknown[] };
      if (res.statusCode !== 200 || !Array.isArray(body.choices)) {
        throw new Error(`gateway answered ${res.statusCode}: ${JSON.stringify(body)}`);
      }
      return { totalMs: performance.now() - started };
    },
    stream: async () => {
      const started = performance.now();
      const res = await post(true);
      let firstChunkMs: number | undefined;
      let text = '';
      for await (const data of res.body) {
        text += (data as Buffer).toString();
        // The first SSE event whose delta has text (the role chunk's content is "").
        if (firstChunkMs === undefined && /"content":"[^"]/.test(text)) {
          firstChunkMs = performance.now() - started;
        }
      }
      if (res.statusCode !== 200 || !text.endsWith('data: [DONE]\n\n')) {
        throw new Error(
          `gateway stream ${res.statusCode} ended without [DONE]: ${text.slice(-300)}`,
        );
      }
      return {
        totalMs: performance.now() - started,
        ...(firstChunkMs === undefined ? {} : { firstChunkMs }),
      };
    },
  };
}

/**
 * A plain NATS request, as a client in any language sends one: the OpenAI body to the chat
 * subject of tenant `default`, over a connection whose inbox prefix is that tenant's (the gateway
 * answers no other reply subject). An error answer (`Nats-Service-Error-Code`) fails the run.
 */
function natsRequestCalls(nc: NatsConnection, subject: string): { call: Call } {
  const body = JSON.stringify({ model: benchModel, ...request });
  return {
    call: async () => {
      const started = performance.now();
      const answer = await nc.request(subject, body, { timeout: callTimeoutMs });
      const status = answer.headers?.get('Nats-Service-Error-Code');
      const completion = answer.json<{ choices?: unknown[] }>();
      if (status || !Array.isArray(completion.choices)) {
        throw new Error(`NATS request answered ${status ?? ''}: ${answer.string()}`);
      }
      return { totalMs: performance.now() - started };
    },
  };
}

async function measureAll(
  rows: GatewayRow[],
  watched: WatchedProcess[],
  path: GatewayPath,
  calls: { call: Call; stream?: Call },
): Promise<void> {
  await warmPath(calls.call, seconds);
  if (calls.stream !== undefined) await warmPath(calls.stream, seconds);
  for (const [concurrency, stream] of [
    [1, false],
    [64, false],
    [1, true],
  ] as const) {
    const call = stream ? calls.stream : calls.call;
    if (call === undefined) continue;
    process.stderr.write(`  ${path}, concurrency ${concurrency}${stream ? ', stream' : ''} …\n`);
    const cpuSince = startCpuReading(watched);
    const result = await runFixedTime({ concurrency, seconds, warmMs, call });
    rows.push({ path, concurrency, stream, result, cpu: cpuSince() });
  }
}

/** Confines every thread of each process to `cpus` (taskset's list: `1`, `0,1`). */
function pin(cpus: string, pids: readonly number[]): void {
  for (const pid of pids) {
    const result = spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], {
      encoding: 'utf8',
    });
    if (result.status !== 0) {
      throw new Error(
        `taskset -c ${cpus} ${pid} failed: ${result.error?.message ?? result.stderr}`,
      );
    }
  }
}

/** The CPUs this process may run on (`taskset -cp`), or null without taskset. */
function allowedCpus(): number[] | null {
  const result = spawnSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' });
  const list = result.status === 0 ? /affinity list:\s*(\S+)/.exec(result.stdout)?.[1] : undefined;
  if (list === undefined) return null;
  return list.split(',').flatMap((part) => {
    const [from = NaN, to = from] = part.split('-').map(Number);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/**
 * Starts metering (`switchyard up` runs one) and waits until it has applied every usage event
 * in LLM_USAGE, so that the row after it measures metering keeping up rather than a backlog.
 */
async function startMeteringCaughtUp(stack: PipelineStack, nc: NatsConnection) {
  const { child } = await spawnBuilt('metering', ['--config', stack.configPath], {
    ready: /metering started/,
    env: { LOG_LEVEL: 'info' },
  });
  const jsm = await jetstreamManager(nc);
  const stream = streamNames(stack.config.switchyard.nats.streamPrefix).usage;
  for (const giveUpAt = Date.now() + 180_000; ; await delay(250)) {
    const consumers = await jsm.consumers.list(stream).next();
    const caughtUp = consumers.every((c) => c.num_pending === 0 && c.num_ack_pending === 0);
    if (consumers.length > 0 && caughtUp) return child;
    if (Date.now() > giveUpAt) {
      await child.stop();
      throw new Error(`metering did not apply the usage backlog within 180 s`);
    }
  }
}

/**
 * The one-core cell: the stack on the last CPU this process may use, this driver and the
 * simulator (the upstream, not part of the stack) on the first, HTTP at concurrency 50; every
 * process goes back to all of them afterwards.
 */
async function measureOneCore(
  rows: GatewayRow[],
  watched: WatchedProcess[],
  stackPids: readonly number[],
  otherPids: readonly number[],
  call: Call,
): Promise<void> {
  const cpus = allowedCpus();
  const [first, last] = [cpus?.[0], cpus?.at(-1)];
  if (cpus === null || first === undefined || last === undefined || first === last) {
    process.stderr.write('  (the one-core row needs 2 cores and taskset: skipped)\n');
    return;
  }
  process.stderr.write(`  ${GatewayPaths.gateway}, stack on CPU ${last}, concurrency 50 …\n`);
  pin(String(last), stackPids);
  pin(String(first), otherPids);
  try {
    const cpuSince = startCpuReading(watched);
    const result = await runFixedTime({ concurrency: 50, seconds, warmMs, call });
    rows.push({
      path: GatewayPaths.gateway,
      placement: 'stack on one core',
      concurrency: 50,
      stream: false,
      result,
      cpu: cpuSince(),
    });
  } finally {
    pin(cpus.join(','), [...stackPids, ...otherPids]);
  }
}

async function main(): Promise<void> {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('BENCH_SECONDS must be > 0');
  const stack = await startPipelineStack();
  process.once('exit', () => stack.killNow());
  // Twelve rows, seven warm-ups of a path (warmPath), metering's catching up (at most 180 s)
  // and start-up.
  const watchdogMs =
    (12 * (seconds + warmMs / 1000) + 7 * pathWarmSeconds(seconds) + 180 + 150) * 1000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`benchmark failed: still running after ${watchdogMs / 1000} s\n`);
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();
  const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 });
  const nc = await connectNats({ servers: stack.nats.url, name: 'bench-client', logger });
  const plainNc = await connectNats({
    servers: stack.nats.url,
    name: 'bench-plain-requester',
    inboxPrefix: tenantInboxPrefix('default'),
    logger,
  });
  const worker = await stack.startWorkerProcess();
  const { child: gateway, match } = await spawnBuilt(
    'gateway',
    ['--config', stack.configPath, '--port', '0', '--insecure'],
    { ready: /gateway listening on (http:\/\/\S+)/ },
  );
  let metering: BenchChild | undefined;
  try {
    const url = match?.[1];
    if (url === undefined) throw new Error('the gateway printed no URL');
    const nats = stack.config.switchyard.nats;
    const client = new Switchyard({
      nc,
      subjectRoot: nats.subjectRoot,
      streamPrefix: nats.streamPrefix,
    });
    const watched: WatchedProcess[] = [
      { name: 'driver', pid: 'self' },
      ...(gateway.pid === undefined ? [] : [{ name: 'gateway', pid: gateway.pid }]),
      ...(worker.pid === undefined ? [] : [{ name: 'worker', pid: worker.pid }]),
      ...(stack.simPid === undefined ? [] : [{ name: 'sim', pid: stack.simPid }]),
      ...childPids('nats-server').map((pid) => ({ name: 'nats', pid })),
    ];
    process.stdout.write(
      `gateway benchmark: ${seconds} s per row after a ${warmMs / 1000} s warm-up, each path first warmed at concurrency 64 for ${pathWarmSeconds(seconds)} s; one openai deployment on provider-sim, zero simulated latency; worker (child process) concurrency 64; gateway child process, no master key; ${availableParallelism()} cores, nothing pinned but in the last row\n\n`,
    );
    const rows: GatewayRow[] = [];
    await measureAll(rows, watched, GatewayPaths.direct, directCalls(stack));
    await measureAll(rows, watched, GatewayPaths.client, clientCalls(client));
    const viaGateway = gatewayCalls(url, agent);
    await measureAll(rows, watched, GatewayPaths.gateway, viaGateway);
    const chatSubject = createSubjects(nats.subjectRoot).chat('default', benchModel);
    await measureAll(
      rows,
      watched,
      GatewayPaths.natsRequest,
      natsRequestCalls(plainNc, chatSubject),
    );
    metering = await startMeteringCaughtUp(stack, nc);
    const withMetering = [
      ...watched,
      ...(metering.pid === undefined ? [] : [{ name: 'metering', pid: metering.pid }]),
      ...childPids('redis-server').map((pid) => ({ name: 'redis', pid })),
    ];
    const pidOf = (name: string): number[] =>
      withMetering.flatMap((entry) =>
        entry.name === name && entry.pid !== 'self' ? [entry.pid] : [],
      );
    await measureOneCore(
      rows,
      withMetering,
      [
        ...pidOf('gateway'),
        ...pidOf('worker'),
        ...pidOf('metering'),
        ...pidOf('nats'),
        ...pidOf('redis'),
      ],
      [process.pid, ...pidOf('sim')],
      viaGateway.call,
    );
    process.stdout.write(formatGatewayReport(rows));
  } catch (error) {
    process.stderr.write(
      `${stack.childOutput()}\n--- gateway ---\n${gateway.output().slice(-3_000)}\n`,
    );
    throw error;
  } finally {
    await metering?.stop();
    await gateway.stop();
    await agent.close();
    await closeNats(nc);
    await closeNats(plainNc);
    await closeAll();
    await stack.stop();
    clearTimeout(watchdog);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 2_000).unref();
});
