import { jetstreamManager } from '@nats-io/jetstream';
import { startBatchRunner, type BatchRunner } from '@switchyard/batch';
import { streamNames } from '@switchyard/contracts';
import { startWorker, type RunningWorker } from '@switchyard/worker';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gatewayMasterKey,
  startGatewayStack,
  type GatewayStack,
} from '../gateway/gateway-stack.test-support';
import { quietLogger, waitUntil } from '../pipeline/pipeline-harness.test-support';
import {
  batchInputFile,
  completedBatch,
  createBatch,
  promptOf,
} from './batch-processes.test-support';

const lines = 200;
/** `switchyard.nats.jobs_max_messages`: the jobs stream refuses the 51st waiting job. */
const streamCapacity = 50;

/**
 * A batch submitted while no worker runs fills the jobs stream, which then refuses new jobs
 * (`jobs_stream_full`, "retry later"). The runner holds the rest of the lines back until the
 * stream has room again, and fails none of them; once a worker starts, every line is answered
 * with one call.
 */
describe('batch runner: a full jobs stream holds lines back, it fails none', () => {
  let stack: GatewayStack;
  let runner: BatchRunner;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    stack = await startGatewayStack(
      'batch-full',
      {
        models: { triage: 'openai' },
        nats: `jobs_max_messages: ${streamCapacity}`,
        worker: '{ concurrency: 16, shutdown_grace_seconds: 1 }',
      },
      [],
    );
    runner = await startBatchRunner({
      config: stack.install.config,
      nc: stack.pipeline.nc,
      logger: quietLogger,
      progressEveryMs: 100,
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await worker?.stop(0);
    await stack?.stop();
  });

  it('submits every line once the stream has room, and answers each with one call', async () => {
    const client = new OpenAI({
      apiKey: gatewayMasterKey,
      baseURL: `${stack.gateway.url}/v1`,
      maxRetries: 0,
    });
    const created = await createBatch(client, batchInputFile(lines));
    const jsm = await jetstreamManager(stack.pipeline.nc);
    const waiting = async () =>
      (await jsm.streams.info(streamNames(stack.install.prefix).jobs)).state.messages;
    await waitUntil(async () => (await waiting()) === streamCapacity, 20_000);
    // The runner meets the full stream for a while: no line may be answered for it.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await waiting()).toBe(streamCapacity);
    expect((await client.batches.retrieve(created.id)).request_counts).toEqual({
      total: lines,
      completed: 0,
      failed: 0,
    });

    const { pipeline, install } = stack;
    worker = await startWorker({
      config: install.config,
      provider: 'openai',
      nc: pipeline.nc,
      redis: pipeline.redis,
      keys: pipeline.keys,
      logger: quietLogger,
    });
    const { batch, output } = await completedBatch(client, created.id, 60_000);
    expect(batch.request_counts).toEqual({ total: lines, completed: lines, failed: 0 });
    expect(batch.error_file_id).toBeNull();
    expect(new Set(output.map((line) => line.custom_id)).size).toBe(lines);
    const calls = stack.servers.sim.calls({ deployment: install.simName('triage') });
    expect(calls.filter((call) => call.outcome === 'completed')).toHaveLength(lines);
    expect(new Set(calls.map((call) => call.key))).toEqual(
      new Set(Array.from({ length: lines }, (_, i) => promptOf(i))),
    );
  });
});
