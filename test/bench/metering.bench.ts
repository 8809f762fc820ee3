/**
 * Metering throughput: usage events applied per second by one metering process draining a
 * backlog in LLM_USAGE (each batch one Lua script: per event its id marker and 22 aggregate
 * hashes for a one-tag call, summed across the batch), against nats-server and redis-server on
 * this machine, for a few batch sizes (events per Redis round trip).
 *
 *   npx tsx test/bench/metering.bench.ts [events]
 *
 * The events are stored first, then metering starts (in this process, which does nothing
 * else meanwhile) and the clock runs until every event is applied and acked. It prints the CPU
 * of the metering process, redis-server and nats-server over that time.
 */
import { jetstream } from '@nats-io/jetstream';
import { parseConfig } from '@switchyard/config';
import { CONTRACT_VERSION, createSubjects, newCallId, usageEventId } from '@switchyard/contracts';
import { closeNats, connectNats, publishUsageEvent } from '@switchyard/messaging';
import { startMetering } from '@switchyard/metering';
import { createLogger } from '@switchyard/telemetry';
import { Redis } from 'ioredis';
import { startPipelineServers } from '../pipeline/pipeline-harness.test-support';
import { childPids, startCpuReading, type WatchedProcess } from './process-cpu';

const events = Number(process.argv[2] ?? 20_000);
const logger = createLogger({ name: 'metering-bench', level: 'silent' });

async function main(): Promise<void> {
  const servers = await startPipelineServers();
  const { nats, redis: redisServer } = servers;
  const nc = await connectNats({ servers: nats.url, name: 'metering-bench', logger });
  const redis = new Redis(redisServer.url);
  const js = jetstream(nc);
  process.stdout.write(`metering: ${events} usage events per run, one metering process\n`);
  try {
    for (const batchSize of [1, 64, 256]) {
      const prefix = `bench_${batchSize}`;
      const config = parseConfig(
        [
          'model_list:',
          '  - model_name: m',
          '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
          'switchyard:',
          `  nats: { servers: "${nats.url}", subject_root: ${prefix}, stream_prefix: ${prefix} }`,
          `  redis: { url: "${redisServer.url}", key_prefix: "${prefix}:" }`,
        ].join('\n'),
        { env: {} },
      ).config;
      const subjects = createSubjects(prefix);
      // Creates the stream and the durable, then stops so the backlog builds up.
      await (await startMetering({ config, nc, redis, logger })).stop();
      const at = Date.now();
      for (let i = 0; i < events; i += 500) {
        await Promise.all(
          Array.from({ length: Math.min(500, events - i) }, (_, j) => {
            const n = i + j;
            const job = `bench-job-${n}`;
            return publishUsageEvent(
              js,
              {
                v: CONTRACT_VERSION,
                id: usageEventId({
                  tenant: 'default',
                  job_id: job,
                  fallback_depth: 0,
                  attempt: 1,
                  call_id: newCallId(),
                }),
                job_id: job,
                tenant: `tenant-${n % 10}`,
                key_id: `key-${n % 50}`,
                tags: [`tag-${n % 5}`],
                model: `model-${n % 8}`,
                deployment: `m/${n % 3}`,
                provider: ['openai', 'anthropic', 'gemini'][n % 3] as string,
                provider_model: 'gpt-4o-mini',
                status: n % 20 === 0 ? 'error' : 'success',
                ...(n % 20 === 0 ? { error_type: 'rate_limit' as const } : {}),
                prompt_tokens: 100 + (n % 50),
                completion_tokens: 20 + (n % 30),
                cached_tokens: 0,
                reasoning_tokens: 0,
                cost_usd: ((100 + (n % 50)) * 150_000 + (20 + (n % 30)) * 600_000) / 1e12,
                cost_saved_usd: 0,
                queue_ms: 1,
                provider_ms: 100,
                total_ms: 101,
                attempt: 1,
                fallback_depth: 0,
                at: at + n,
              },
              { subjects },
            );
          }),
        );
      }
      let applied = 0;
      let done: () => void = () => undefined;
      const finished = new Promise<void>((resolve) => (done = resolve));
      const started = process.hrtime.bigint();
      const watched: WatchedProcess[] = [
        { name: 'metering process', pid: 'self' },
        ...childPids('redis-server').map((pid) => ({ name: 'redis-server', pid })),
        ...childPids('nats-server').map((pid) => ({ name: 'nats-server', pid })),
      ];
      const cpuSince = startCpuReading(watched);
      const metering = await startMetering({
        config,
        nc,
        redis,
        logger,
        batchSize,
        onSettled: (outcomes) => {
          applied += outcomes.length;
          if (applied >= events) done();
        },
      });
      await finished;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = cpuSince()
        .map((p) => `${p.name} ${((p.percent / 100) * seconds).toFixed(2)} s`)
        .join(', ');
      await metering.stop();
      process.stdout.write(
        `  batch ${String(batchSize).padStart(3)}: ${Math.round(events / seconds)
          .toLocaleString('en-US')
          .padStart(6)} events/s (${seconds.toFixed(2)} s; CPU ${cpu})\n`,
      );
      await redis.flushdb();
    }
  } finally {
    redis.disconnect();
    await closeNats(nc);
    await servers.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
