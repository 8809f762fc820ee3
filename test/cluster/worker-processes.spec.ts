import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { querySpend } from '@switchyard/client';
import { createSubjects } from '@switchyard/contracts';
import { closeNats, connectNats, discoverServices } from '@switchyard/messaging';
import { startMetering, type ApplyOutcome, type Metering } from '@switchyard/metering';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  directAnswer,
  questionMessages,
  startPipeline,
  startPipelineServers,
  type Installation,
  type PipelineProvider,
  type PipelineServers,
  type RunningPipeline,
  quietLogger,
  waitUntil,
} from '../pipeline/pipeline-harness.test-support';
import { jobIdCounts, readUsageEvents, waitForUsage } from './usage-events.test-support';
import { spawnWorkerProcess, type WorkerProcess } from './worker-process.test-support';

const jobsPerModel = 400;
const models: Record<string, PipelineProvider> = { chat: 'openai', haiku: 'anthropic' };

/** A metering replica with its own NATS connection and Redis client, and what it applied. */
interface MeteringReplica {
  metering: Metering;
  nc: NatsConnection;
  redis: Redis;
  outcomes: Record<ApplyOutcome | 'invalid', number>;
}

async function startMeteringReplica(
  servers: PipelineServers,
  install: Installation,
  name: string,
): Promise<MeteringReplica> {
  const nc = await connectNats({ servers: servers.nats.url, name, logger: quietLogger });
  const redis = new Redis(servers.redis.url);
  const outcomes = { applied: 0, duplicate: 0, invalid: 0 };
  const metering = await startMetering({
    config: install.config,
    nc,
    redis,
    logger: quietLogger,
    batchSize: 32,
    onSettled: (settled) => {
      for (const outcome of settled) outcomes[outcome] += 1;
    },
  });
  return { metering, nc, redis, outcomes };
}

describe('two worker processes per provider and two metering replicas under load', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline | undefined;
  let configDir: string;
  const processes: WorkerProcess[] = [];
  const replicas: MeteringReplica[] = [];

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'two-procs', {
      models,
      worker: '{ concurrency: 16, shutdown_grace_seconds: 1 }',
    });
    for (const model of Object.keys(models)) {
      servers.sim.setLatency({ ttftMs: 80, perTokenMs: 2 }, { deployment: install.simName(model) });
    }
    configDir = mkdtempSync(join(tmpdir(), 'sy-two-procs-'));
    const configPath = join(configDir, 'config.yaml');
    writeFileSync(configPath, install.yaml);
    const started = await Promise.all(
      Object.values(models).flatMap((provider) => [
        spawnWorkerProcess(provider, configPath),
        spawnWorkerProcess(provider, configPath),
      ]),
    );
    processes.push(...started);
    replicas.push(
      await startMeteringReplica(servers, install, 'metering-1'),
      await startMeteringReplica(servers, install, 'metering-2'),
    );
    pipeline = await startPipeline(servers, install, [], { timeoutMs: 60_000 });
  });

  afterAll(async () => {
    await Promise.all(processes.map((worker) => worker.stop()));
    for (const replica of replicas) {
      await replica.metering.stop(1_000);
      await closeNats(replica.nc);
      replica.redis.disconnect();
    }
    await pipeline?.stop();
    await servers?.stop();
    if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
  });

  it('serves every job once across the processes, and metering counts each usage event once', async () => {
    if (pipeline === undefined) throw new Error('no pipeline');
    const { client, nc } = pipeline;
    const expected = {
      chat: await directAnswer(servers, 'openai'),
      haiku: await directAnswer(servers, 'anthropic'),
    } as Record<string, string>;
    const busy = new Map<string, number>();
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        for (const found of await discoverServices(nc, {
          name: 'switchyard-worker',
          timeoutMs: 300,
        })) {
          const inFlight = Object.values(
            (found.status as { inFlight?: Record<string, number> } | undefined)?.inFlight ?? {},
          ).reduce((sum, n) => sum + n, 0);
          busy.set(found.info.id, Math.max(busy.get(found.info.id) ?? 0, inFlight));
        }
      }
    })();
    const calls = Object.keys(models).flatMap((model) =>
      Array.from({ length: jobsPerModel }, async () => {
        const result = await client.chat.completions.create({ model, messages: questionMessages });
        return { model, text: result.choices[0]?.message.content, jobId: result.switchyard.job_id };
      }),
    );
    const results = await Promise.all(calls);
    sampling = false;
    await sampler;

    for (const result of results) expect(result.text).toBe(expected[result.model]);
    const total = jobsPerModel * Object.keys(models).length;
    expect(new Set(results.map((r) => r.jobId)).size).toBe(total);
    for (const model of Object.keys(models)) {
      const stats = servers.sim.stats().deployments[install.simName(model)];
      expect(stats?.requests).toBe(jobsPerModel);
      expect(stats?.completed).toBe(jobsPerModel);
    }
    await waitForUsage(nc, install.prefix, total);
    const usage = await readUsageEvents(nc, install.prefix);
    expect(usage.events).toHaveLength(total);
    expect(new Set(usage.events.map((e) => e.id)).size).toBe(total);
    const ids = jobIdCounts(usage.events);
    expect(ids.distinct).toBe(total);
    expect(ids.repeated).toEqual([]);
    // Four worker processes registered, and each had jobs in flight during the run.
    expect(busy.size).toBe(4);
    for (const [id, most] of busy) expect(most, `worker ${id}`).toBeGreaterThan(0);

    // Both metering replicas applied events; together each event exactly once.
    const applied = () => replicas.reduce((sum, r) => sum + r.outcomes.applied, 0);
    await waitUntil(() => applied() >= total, 30_000);
    for (const replica of replicas) expect(replica.outcomes.applied).toBeGreaterThan(0);
    expect(applied()).toBe(total);
    expect(replicas.reduce((sum, r) => sum + r.outcomes.invalid, 0)).toBe(0);
    const spend = await querySpend(nc, createSubjects(install.prefix), {
      by: 'model',
      since: '1h',
    });
    for (const model of Object.keys(models)) {
      const ofModel = usage.events.filter((e) => e.model === model);
      const row = spend.rows.find((r) => r.key === model);
      expect(row?.requests).toBe(jobsPerModel);
      expect(row?.prompt_tokens).toBe(ofModel.reduce((sum, e) => sum + e.prompt_tokens, 0));
      expect(row?.completion_tokens).toBe(ofModel.reduce((sum, e) => sum + e.completion_tokens, 0));
    }
  }, 90_000);
});
