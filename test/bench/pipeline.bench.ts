/**
 * The queue hop: what Switchyard adds to a completion call. Against one openai deployment of
 * the provider simulator with zero simulated latency, for BENCH_SECONDS (default 10) each after
 * a 1 s warm-up, each path first run uncounted at concurrency 64 for up to 5 s (warmPath) so
 * that V8 has optimised it, it measures
 *
 * - direct: `completeChat` / `streamChat` of libs/providers straight to the simulator;
 * - through Switchyard: `client.chat.completions.create` → NATS JetStream → worker pool →
 *   simulator → reply, with the worker as a child process (`dist/services/worker/main.mjs`) and
 *   again in this process (`startWorker`);
 *
 * and again, for a stream at concurrency 1, from a simulator that spaces its tokens 5 ms apart
 * (direct and through the worker child). It prints jobs/s, p50/p99 latency, a stream's first
 * chunk with text (the time to first token) and the latency added over direct as markdown tables.
 * Every process it starts (nats-server, redis-server, provider-sim, worker) is stopped before
 * it exits; a failed call ends it with exit code 1 and the children's last output; a watchdog
 * bounds the whole run. BENCH_PROFILE_DIR=<dir> makes the child processes write CPU profiles.
 *
 *   npm run build && npx tsx test/bench/pipeline.bench.ts
 */
import { availableParallelism } from 'node:os';
import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Switchyard } from '@switchyard/client';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import { closeNats, connectNats } from '@switchyard/messaging';
import { adapterFor, closeAll, completeChat, streamChat } from '@switchyard/providers';
import { createLogger } from '@switchyard/telemetry';
import { startWorker } from '@switchyard/worker';
import { Redis } from 'ioredis';
import {
  carriesText,
  pathWarmSeconds,
  runFixedTime,
  warmPath,
  type CallSample,
  type RunResult,
} from './fixed-time-run';
import { formatReport, type Row } from './pipeline-report';
import { childPids, rssLine, startCpuReading, type WatchedProcess } from './process-cpu';
import { startRawJetStream } from './raw-jetstream';
import {
  benchModel,
  setSimLatency,
  startPipelineStack,
  type PipelineStack,
} from './pipeline-stack.test-support';

const seconds = Number(process.env['BENCH_SECONDS'] ?? 10);
const warmMs = 1_000;
const callTimeoutMs = 30_000;
/** The simulator's delay per token in the paced stream rows (16 tokens: 75 ms a stream). */
const pacedTokenMs = 5;
const question = 'Summarise the timetable changes for the northern line this weekend, please.';
const request: ChatCompletionRequest = { messages: [{ role: 'user', content: question }] };
const logger = createLogger({ name: 'pipeline-bench', level: 'warn' });

/** The rows so far, the processes whose CPU each row reads, and their RSS after each part. */
interface Bench {
  rows: Row[];
  watched: WatchedProcess[];
  rss: string[];
}

/** The adapter and context of a direct call to the benchmark's one deployment. */
function directTarget(stack: PipelineStack) {
  const deployment = stack.config.models[benchModel]?.deployments[0];
  if (deployment === undefined) throw new Error(`no deployment for ${benchModel}`);
  return { adapter: adapterFor(deployment.provider), context: { deployment, dropParams: false } };
}

function directCall(stack: PipelineStack): () => Promise<CallSample> {
  const { adapter, context } = directTarget(stack);
  return async () => {
    const started = performance.now();
    const completion = await completeChat(adapter, request, context);
    if (completion.choices.length === 0) throw new Error('direct call: no choices');
    return { totalMs: performance.now() - started };
  };
}

function directStream(stack: PipelineStack): () => Promise<CallSample> {
  const { adapter, context } = directTarget(stack);
  return async () => {
    const started = performance.now();
    let firstChunkMs: number | undefined;
    let usage = false;
    for await (const chunk of streamChat(adapter, { ...request, stream: true }, context)) {
      if (firstChunkMs === undefined && carriesText(chunk)) {
        firstChunkMs = performance.now() - started;
      }
      usage ||= chunk.usage != null;
    }
    if (!usage || firstChunkMs === undefined) throw new Error('direct stream: no final usage');
    return { totalMs: performance.now() - started, firstChunkMs };
  };
}

function switchyardCall(client: Switchyard): () => Promise<CallSample> {
  return async () => {
    const started = performance.now();
    const result = await client.chat.completions.create(
      { model: benchModel, messages: request.messages },
      { timeout: callTimeoutMs },
    );
    const totalMs = performance.now() - started;
    if (result.switchyard.cache_hit) throw new Error('a cache hit: the benchmark needs no cache');
    const meta = result.switchyard;
    return {
      totalMs,
      timings: { queueMs: meta.queue_ms, providerMs: meta.provider_ms, totalMs: meta.total_ms },
    };
  };
}

function switchyardStream(client: Switchyard): () => Promise<CallSample> {
  return async () => {
    const started = performance.now();
    const stream = await client.chat.completions.create(
      { model: benchModel, messages: request.messages, stream: true },
      { timeout: callTimeoutMs },
    );
    let firstChunkMs: number | undefined;
    let final = false;
    for await (const chunk of stream) {
      if (firstChunkMs === undefined && carriesText(chunk)) {
        firstChunkMs = performance.now() - started;
      }
      final ||= chunk.switchyard.final === true;
    }
    if (!final || firstChunkMs === undefined) throw new Error('stream ended without final chunk');
    return { totalMs: performance.now() - started, firstChunkMs };
  };
}

/** p50/p99 of JetStream publish → PubAck alone (memory stream, with a message id), c=1. */
async function publishAck(nc: NatsConnection, prefix: string): Promise<RunResult> {
  const jsm = await jetstreamManager(nc);
  const name = `${prefix}_PUBACK`;
  await jsm.streams.add({ name, subjects: [`${prefix}.puback`], storage: StorageType.Memory });
  const js = jetstream(nc);
  const body = JSON.stringify({ model: benchModel, request });
  let n = 0;
  try {
    return await runFixedTime({
      concurrency: 1,
      seconds: Math.min(seconds, 3),
      warmMs: 200,
      call: async () => {
        const started = performance.now();
        await js.publish(`${prefix}.puback`, body, { msgID: `ack-${(n += 1)}` });
        return { totalMs: performance.now() - started };
      },
    });
  } finally {
    await jsm.streams.delete(name);
  }
}

async function measure(
  bench: Bench,
  path: string,
  concurrency: number,
  stream: boolean,
  call: () => Promise<CallSample>,
  tokenMs = 0,
): Promise<void> {
  process.stderr.write(`  ${path}, concurrency ${concurrency}${stream ? ', stream' : ''} …\n`);
  const cpuSince = startCpuReading(bench.watched);
  const result = await runFixedTime({ concurrency, seconds, warmMs, call });
  bench.rows.push({ path, concurrency, stream, tokenMs, result, cpu: cpuSince() });
}

/**
 * A stream at concurrency 1 from a provider that spaces its tokens `pacedTokenMs` apart, direct
 * and through the worker child: a chunk that waited for the next would show here.
 */
async function measurePacedStreams(
  bench: Bench,
  stack: PipelineStack,
  label: string,
  client: Switchyard,
): Promise<void> {
  await setSimLatency(stack.simUrl, { ttftMs: 0, perTokenMs: pacedTokenMs });
  await measure(bench, 'direct', 1, true, directStream(stack), pacedTokenMs);
  await measure(bench, label, 1, true, switchyardStream(client), pacedTokenMs);
  await setSimLatency(stack.simUrl, { ttftMs: 0, perTokenMs: 0 });
}

/** The Switchyard rows for one worker shape. */
async function measureSwitchyard(bench: Bench, label: string, client: Switchyard): Promise<void> {
  await warmPath(switchyardCall(client), seconds);
  await warmPath(switchyardStream(client), seconds);
  for (const concurrency of [1, 64, 256]) {
    await measure(bench, label, concurrency, false, switchyardCall(client));
  }
  await measure(bench, label, 1, true, switchyardStream(client));
  bench.rss.push(`after "${label}": ${rssLine(bench.watched)}`);
}

async function withInProcessWorker(stack: PipelineStack, run: () => Promise<void>): Promise<void> {
  const nc = await connectNats({ servers: stack.nats.url, name: 'bench-worker', logger });
  const redis = new Redis(stack.redis.url);
  try {
    const worker = await startWorker({
      config: stack.config,
      provider: 'openai',
      nc,
      redis,
      logger,
    });
    try {
      await run();
    } finally {
      await worker.stop(5_000);
    }
  } finally {
    await closeNats(nc);
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('BENCH_SECONDS must be > 0');
  const stack = await startPipelineStack();
  // However this process ends, no child outlives it.
  process.once('exit', () => stack.killNow());
  // Sixteen rows, seven warm-ups of a path (warmPath) and start-up.
  const watchdogMs = (16 * (seconds + warmMs / 1000) + 7 * pathWarmSeconds(seconds) + 150) * 1000;
  const watchdog = setTimeout(() => {
    process.stderr.write(`benchmark failed: still running after ${watchdogMs / 1000} s\n`);
    process.exit(1);
  }, watchdogMs);
  watchdog.unref();
  try {
    const nc = await connectNats({ servers: stack.nats.url, name: 'bench-client', logger });
    try {
      await runBench(stack, nc);
    } catch (error) {
      process.stderr.write(`${stack.childOutput()}\n`);
      throw error;
    } finally {
      await closeNats(nc);
      await closeAll();
    }
  } finally {
    await stack.stop();
    clearTimeout(watchdog);
  }
}

/** Every row, in order, then the report on stdout. */
async function runBench(stack: PipelineStack, nc: NatsConnection): Promise<void> {
  const nats = stack.config.switchyard.nats;
  const client = new Switchyard({
    nc,
    subjectRoot: nats.subjectRoot,
    streamPrefix: nats.streamPrefix,
    timeoutMs: callTimeoutMs,
  });
  const servers = (comm: string, name: string): WatchedProcess[] =>
    childPids(comm).map((pid) => ({ name, pid }));
  const baseWatched: WatchedProcess[] = [
    { name: 'driver', pid: 'self' },
    ...(stack.simPid === undefined ? [] : [{ name: 'sim', pid: stack.simPid }]),
    ...servers('nats-server', 'nats'),
    ...servers('redis-server', 'redis'),
  ];
  const bench: Bench = { rows: [], watched: baseWatched, rss: [] };
  process.stdout.write(
    `queue-hop benchmark: ${seconds} s per row after a ${warmMs / 1000} s warm-up, each path first warmed at concurrency 64 for ${pathWarmSeconds(seconds)} s; one openai deployment on provider-sim, zero simulated latency (but ${pacedTokenMs} ms per token in the paced stream rows); worker concurrency 64\n` +
      `${availableParallelism()} cores, nothing pinned: this process (driver: client and direct calls; also the worker in the "in-process worker" rows), the worker child process, provider-sim (child process), nats-server and redis-server all share them\n\n`,
  );
  const direct = directCall(stack);
  await warmPath(direct, seconds);
  await warmPath(directStream(stack), seconds);
  await measure(bench, 'direct', 1, false, direct);
  await measure(bench, 'direct', 64, false, direct);
  await measure(bench, 'direct', 1, true, directStream(stack));

  const raw = await startRawJetStream(nc, nats.streamPrefix || 'BENCH', JSON.stringify(request));
  await warmPath(() => raw.call(), seconds);
  for (const concurrency of [1, 64, 256]) {
    await measure(bench, 'raw JetStream', concurrency, false, () => raw.call());
  }
  await raw.stop();

  const worker = await stack.startWorkerProcess();
  bench.watched = [
    ...baseWatched,
    ...(worker.pid === undefined ? [] : [{ name: 'worker', pid: worker.pid }]),
  ];
  await switchyardCall(client)();
  await measureSwitchyard(bench, 'Switchyard, worker child process', client);
  await measurePacedStreams(bench, stack, 'Switchyard, worker child process', client);
  await worker.stop();

  bench.watched = baseWatched;
  await withInProcessWorker(stack, () =>
    measureSwitchyard(bench, 'Switchyard, in-process worker', client),
  );
  const ack = await publishAck(nc, nats.streamPrefix);
  process.stdout.write(formatReport(bench.rows, ack));
  process.stdout.write(`\nRSS, MiB:\n${bench.rss.map((line) => `- ${line}`).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 2_000).unref();
});
