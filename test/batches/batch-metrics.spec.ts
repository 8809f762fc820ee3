import { bucketSettingsOf, startBatchRunner, type BatchRunner } from '@switchyard/batch';
import { BatchStore } from '@switchyard/batches';
import {
  createMetrics,
  serveMetrics,
  type Metrics,
  type MetricsServer,
} from '@switchyard/telemetry';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gatewayMasterKey,
  startGatewayStack,
  type GatewayStack,
} from '../gateway/gateway-stack.test-support';
import { quietLogger, waitUntil } from '../pipeline/pipeline-harness.test-support';

const tenant = 'default';

/** One input line of a batch: a chat completion of `model` asking `content`. */
const line = (customId: string, model: string, content = `${customId}: where is the train?`) =>
  JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: [{ role: 'user', content }] },
  });

/** Every sample of a Prometheus text, keyed `name{label="value",…}` (labels sorted, no scope). */
function samples(text: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const row of text.split('\n')) {
    const match = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(row);
    if (match === null) continue;
    const [, name, labelText = '', value] = match;
    const labels = [...labelText.matchAll(/(\w+)="([^"]*)"/g)]
      .filter(([, key]) => !key?.startsWith('otel_scope'))
      .map(([, key, v]) => `${key}="${v}"`)
      .sort();
    found.set(`${name}${labels.length > 0 ? `{${labels.join(',')}}` : ''}`, Number(value));
  }
  return found;
}

/** The batch runner's own series, as a scrape of its `/metrics` shows them. */
const batchSeries = (all: Map<string, number>) =>
  Object.fromEntries([...all].filter(([key]) => /^switchyard_batch/.test(key)).sort());

/**
 * The batch runner's metrics, scraped from its `/metrics` endpoint with exact values: lines
 * submitted by outcome, answers by outcome, batches by final status, lease claims, leases lost,
 * renew failures and the batches running.
 */
describe('batch runner metrics', () => {
  let stack: GatewayStack;
  let runner: BatchRunner;
  let metrics: Metrics;
  let server: MetricsServer;
  let client: OpenAI;
  let store: BatchStore;
  const scrape = async () => samples(await (await fetch(server.url)).text());

  beforeAll(async () => {
    stack = await startGatewayStack(
      'batch-metrics',
      {
        models: { triage: 'openai', refusing: 'openai', slow: 'openai' },
        batches: '{ max_in_flight: 8 }',
      },
      ['openai'],
    );
    stack.servers.sim.addFaults([
      { deployment: stack.install.simName('refusing'), fault: 'content_policy' },
    ]);
    metrics = createMetrics('switchyard-batch');
    server = await serveMetrics(metrics, 0, '127.0.0.1');
    runner = await startBatchRunner({
      config: stack.install.config,
      nc: stack.pipeline.nc,
      logger: quietLogger,
      metrics,
      progressEveryMs: 100,
      settleGraceMs: 5_000,
    });
    store = await BatchStore.open(stack.pipeline.nc, bucketSettingsOf(stack.install.config));
    client = new OpenAI({
      apiKey: gatewayMasterKey,
      baseURL: `${stack.gateway.url}/v1`,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await server?.close();
    await metrics?.shutdown();
    await stack?.stop();
  });

  const run = async (name: string, lines: readonly string[]) => {
    const file = await client.files.create({
      file: await toFile(Buffer.from(`${lines.join('\n')}\n`), name),
      purpose: 'batch',
    });
    return client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
  };
  const final = async (batchId: string) => {
    await waitUntil(
      async () => ['completed', 'failed'].includes((await client.batches.retrieve(batchId)).status),
      30_000,
    );
    return client.batches.retrieve(batchId);
  };

  it('counts lines by outcome, answers by outcome and batches by final status', async () => {
    expect(batchSeries(await scrape())).toEqual({
      'switchyard_batch_answers_total{outcome="completed"}': 0,
      'switchyard_batch_answers_total{outcome="failed"}': 0,
      'switchyard_batch_lease_claims_total{outcome="failed"}': 0,
      'switchyard_batch_lease_claims_total{outcome="lost"}': 0,
      'switchyard_batch_lease_claims_total{outcome="won"}': 0,
      switchyard_batch_lease_renew_failures_total: 0,
      switchyard_batch_leases_lost_total: 0,
      'switchyard_batch_lines_submitted_total{outcome="duplicate"}': 0,
      'switchyard_batch_lines_submitted_total{outcome="queued"}': 0,
      'switchyard_batch_lines_submitted_total{outcome="refused"}': 0,
      'switchyard_batches_finished_total{status="cancelled"}': 0,
      'switchyard_batches_finished_total{status="completed"}': 0,
      'switchyard_batches_finished_total{status="expired"}': 0,
      'switchyard_batches_finished_total{status="failed"}': 0,
      switchyard_batches_running: 0,
    });

    // 10 lines answered, 2 answered with the provider's refusal, 1 too large for NATS to carry
    // as a job (refused by the queue and answered with that error by the runner).
    const tooLarge = line('huge', 'triage', 'x'.repeat(1_100_000));
    const mixed = await run('mixed.jsonl', [
      ...Array.from({ length: 10 }, (_, i) => line(`ok-${i}`, 'triage')),
      line('refused-0', 'refusing'),
      line('refused-1', 'refusing'),
      tooLarge,
    ]);
    const done = await final(mixed.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 13, completed: 10, failed: 3 });
    const errors = (await (await client.files.content(done.error_file_id as string)).text())
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as { custom_id: string; error: { code: string } });
    expect(Object.fromEntries(errors.map((e) => [e.custom_id, e.error.code]))).toEqual({
      huge: 'request_too_large',
      'refused-0': expect.any(String) as string,
      'refused-1': expect.any(String) as string,
    });

    // A file with a bad line fails validation: nothing is submitted.
    const invalid = await run('invalid.jsonl', [line('a', 'triage'), '{ not json']);
    expect((await final(invalid.id)).status).toBe('failed');

    await waitUntil(async () => (await scrape()).get('switchyard_batches_running') === 0);
    expect(batchSeries(await scrape())).toMatchObject({
      'switchyard_batch_answers_total{outcome="completed"}': 10,
      'switchyard_batch_answers_total{outcome="failed"}': 3,
      'switchyard_batch_lease_claims_total{outcome="won"}': 2,
      'switchyard_batch_lease_claims_total{outcome="lost"}': 0,
      'switchyard_batch_lease_claims_total{outcome="failed"}': 0,
      switchyard_batch_leases_lost_total: 0,
      switchyard_batch_lease_renew_failures_total: 0,
      'switchyard_batch_lines_submitted_total{outcome="queued"}': 12,
      'switchyard_batch_lines_submitted_total{outcome="refused"}': 1,
      'switchyard_batch_lines_submitted_total{outcome="duplicate"}': 0,
      'switchyard_batches_finished_total{status="completed"}': 1,
      'switchyard_batches_finished_total{status="failed"}': 1,
      'switchyard_batches_finished_total{status="cancelled"}': 0,
      'switchyard_batches_finished_total{status="expired"}': 0,
      switchyard_batches_running: 0,
    });
  });

  it('counts a lease another runner took, and the claim that takes the batch back', async () => {
    const before = await scrape();
    const delta = async (key: string) => ((await scrape()).get(key) ?? 0) - (before.get(key) ?? 0);
    // 8 calls (max_in_flight: all submitted at once) that answer 8 s after they start: the lease
    // is taken and handed back before any answer, so every answer arrives while a run follows.
    stack.servers.sim.setLatency({ ttftMs: 8_000 }, { deployment: stack.install.simName('slow') });
    const slow = await run(
      'slow.jsonl',
      Array.from({ length: 8 }, (_, i) => line(`slow-${i}`, 'slow')),
    );
    await waitUntil(async () => (await store.get(tenant, slow.id))?.record.submitted === 8);
    expect((await scrape()).get('switchyard_batches_running')).toBe(1);

    // Another runner takes the lease (it stalled past the lease, say) and dies at once.
    await store.update(tenant, slow.id, (record) => ({
      ...record,
      lease: { runner: 'a-runner-that-died', until_ms: Date.now() + 1_500 },
    }));
    await waitUntil(async () => (await delta('switchyard_batch_leases_lost_total')) === 1);

    const done = await final(slow.id);
    expect(done.request_counts).toEqual({ total: 8, completed: 8, failed: 0 });
    expect(stack.servers.sim.calls({ deployment: stack.install.simName('slow') })).toHaveLength(8);
    await waitUntil(async () => (await scrape()).get('switchyard_batches_running') === 0);
    const deltas = Object.fromEntries(
      await Promise.all(
        Object.keys(batchSeries(before)).map(async (key) => [key, await delta(key)] as const),
      ),
    );
    expect(deltas).toEqual({
      'switchyard_batch_answers_total{outcome="completed"}': 8,
      'switchyard_batch_answers_total{outcome="failed"}': 0,
      'switchyard_batch_lease_claims_total{outcome="failed"}': 0,
      'switchyard_batch_lease_claims_total{outcome="lost"}': 0,
      'switchyard_batch_lease_claims_total{outcome="won"}': 2,
      switchyard_batch_lease_renew_failures_total: 0,
      switchyard_batch_leases_lost_total: 1,
      'switchyard_batch_lines_submitted_total{outcome="duplicate"}': 0,
      'switchyard_batch_lines_submitted_total{outcome="queued"}': 8,
      'switchyard_batch_lines_submitted_total{outcome="refused"}': 0,
      'switchyard_batches_finished_total{status="cancelled"}': 0,
      'switchyard_batches_finished_total{status="completed"}': 1,
      'switchyard_batches_finished_total{status="expired"}': 0,
      'switchyard_batches_finished_total{status="failed"}': 0,
      switchyard_batches_running: 0,
    });
  });
});
