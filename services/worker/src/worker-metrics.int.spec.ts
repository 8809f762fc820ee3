import { createMetrics, type Metrics } from '@switchyard/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from './start-worker';
import {
  createInstallation,
  makeJob,
  silentLogger,
  startServers,
  waitUntil,
  type Installation,
  type Servers,
} from './worker-harness.test-support';

describe('worker metrics on /metrics', () => {
  let servers: Servers;
  let install: Installation;
  let worker: RunningWorker;
  let metrics: Metrics;

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'metrics', { chat: 'openai', flaky: 'openai' });
    metrics = createMetrics('switchyard-worker');
    worker = await startWorker({
      config: install.config,
      provider: 'openai',
      nc: install.nc,
      redis: install.redis,
      logger: silentLogger,
      pullExpiresMs: 1_000,
      metrics,
    });
  });

  afterAll(async () => {
    await worker?.stop(0);
    await metrics?.shutdown();
    await install?.close();
    await servers?.stop();
  });

  it('counts jobs by outcome, provider calls, tokens and latencies, and shows deployment state', async () => {
    const answer = await install.submit(makeJob('chat')).then((inbox) => inbox.final());
    const usage = (answer as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    await servers.sim.addFault({
      deployment: install.simName('flaky'),
      fault: 'rate_limit',
      count: 1,
    });
    await install.submit(makeJob('flaky')).then((inbox) => inbox.final(10_000));
    let text = '';
    await waitUntil(async () => {
      text = await metrics.prometheusText();
      return /model="flaky",outcome="answered"/.test(text);
    });
    /** The value of the sample of `name` whose labels include every one of `labels`. */
    const value = (name: string, labels: Record<string, string>) => {
      const sample = text
        .split('\n')
        .find(
          (line) =>
            line.startsWith(`${name}{`) &&
            Object.entries(labels).every(([key, v]) => line.includes(`${key}="${v}"`)),
        );
      return sample === undefined ? undefined : Number(sample.slice(sample.lastIndexOf(' ') + 1));
    };
    expect(value('switchyard_worker_jobs_total', { model: 'chat', outcome: 'answered' })).toBe(1);
    expect(value('switchyard_worker_jobs_total', { model: 'flaky', outcome: 'retried' })).toBe(1);
    expect(value('switchyard_worker_jobs_total', { model: 'flaky', outcome: 'answered' })).toBe(1);
    expect(
      value('switchyard_provider_calls_total', { model: 'flaky', error_type: 'rate_limit' }),
    ).toBe(1);
    expect(value('switchyard_tokens_total', { model: 'chat', kind: 'prompt' })).toBe(
      usage.prompt_tokens,
    );
    expect(value('switchyard_tokens_total', { model: 'chat', kind: 'completion' })).toBe(
      usage.completion_tokens,
    );
    expect(value('switchyard_provider_latency_seconds_count', { model: 'chat' })).toBe(1);
    expect(value('switchyard_queue_wait_seconds_count', { model: 'chat' })).toBe(1);
    expect(value('switchyard_end_to_end_seconds_count', { model: 'flaky' })).toBe(1);
    expect(value('switchyard_deployment_available', { model: 'chat' })).toBe(1);
    expect(value('switchyard_consumer_pending', { model: 'chat' })).toBe(0);
  });
});
