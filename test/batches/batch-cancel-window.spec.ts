import { bucketSettingsOf, startBatchRunner, type BatchRunner } from '@switchyard/batch';
import { BatchStore } from '@switchyard/batches';
import { countTokens } from '@switchyard/limits';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  gatewayMasterKey,
  startGatewayStack,
  type GatewayStack,
} from '../gateway/gateway-stack.test-support';
import { quietLogger, waitUntil } from '../pipeline/pipeline-harness.test-support';
import { batchInputFile, createBatch, promptOf } from './batch-processes.test-support';

const lines = 40;
const window = 8;

interface Line {
  custom_id: string;
  error: { code: string } | null;
}

/**
 * A batch cancelled while a window of lines is in flight, with progress saved every 5 ms so a
 * save is under way whenever a window is submitted, and, just before the cancel, a record whose
 * count of submitted lines is a window behind (what a progress save that read the count before
 * the window was sent writes when it lands late). The runner must cancel every line it
 * submitted: each provider call that completes is an output line, every other call is
 * aborted by the cancel, and no line written as never run (`batch_cancelled`) was called.
 *
 * The simulator, the worker and the runner share this process's event loop, so anything that
 * stalls it after the worker aborts a call lets the simulator's timer fire before it reads the
 * closed connection: it counts a completed call the worker answered `cancelled`. The calls take
 * 3 s (time for the cancel on a loaded machine), and the worker's first aborted call, which
 * bills the prompt with gpt-4o-mini's tokenizer, finds it loaded (loading it stalls the
 * process ≈ 0.5 s, over 1 s under load).
 */
describe('batch runner: a cancel while progress is being saved cancels every line sent', () => {
  let stack: GatewayStack;
  let runner: BatchRunner;

  beforeAll(async () => {
    countTokens('o200k_base', '');
    stack = await startGatewayStack(
      'batch-cancel-window',
      {
        models: { triage: 'openai' },
        batches: `{ max_in_flight: ${window}, lease_seconds: 3 }`,
      },
      ['openai'],
    );
    stack.servers.sim.setLatency(
      { ttftMs: 3_000 },
      { deployment: stack.install.simName('triage') },
    );
    runner = await startBatchRunner({
      config: stack.install.config,
      nc: stack.pipeline.nc,
      logger: quietLogger,
      progressEveryMs: 5,
      settleGraceMs: 10_000,
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await stack?.stop();
  });

  it('leaves no call of a line it sent uncancelled', async () => {
    const client = new OpenAI({
      apiKey: gatewayMasterKey,
      baseURL: `${stack.gateway.url}/v1`,
      maxRetries: 0,
    });
    const sim = stack.servers.sim;
    const deployment = stack.install.simName('triage');
    const created = await createBatch(client, batchInputFile(lines));
    // The first window is answered and the second is at the provider.
    await waitUntil(
      () =>
        sim.calls({ deployment }).filter((call) => call.outcome === 'completed').length >= window &&
        sim.calls({ deployment }).length >= 2 * window,
      30_000,
    );
    const store = await BatchStore.open(stack.pipeline.nc, bucketSettingsOf(stack.install.config));
    await store.update('default', created.id, (record) => ({ ...record, submitted: window }));
    await client.batches.cancel(created.id);
    await waitUntil(
      async () => (await client.batches.retrieve(created.id)).status === 'cancelled',
      30_000,
    );
    // Whatever was not cancelled would still be running: let every call end.
    await waitUntil(() => sim.calls({ deployment }).every((call) => call.outcome !== 'in_flight'));

    const batch = await client.batches.retrieve(created.id);
    const read = async (id: string | null | undefined) =>
      id == null
        ? []
        : (await (await client.files.content(id)).text())
            .trim()
            .split('\n')
            .map((text) => JSON.parse(text) as Line);
    const done = await read(batch.output_file_id);
    const errors = await read(batch.error_file_id);
    expect(done.length + errors.length).toBe(lines);
    const promptOfLine = (line: Line) => promptOf(Number(line.custom_id.split('-')[1]));
    const calls = sim.calls({ deployment });
    const completed = calls.filter((call) => call.outcome === 'completed').map((c) => c.key);
    expect(completed.sort()).toEqual(done.map(promptOfLine).sort());
    expect(calls.filter((call) => call.outcome === 'aborted')).toHaveLength(
      calls.length - completed.length,
    );
    const neverRun = new Set(
      errors.filter((line) => line.error?.code === 'batch_cancelled').map(promptOfLine),
    );
    expect(calls.filter((call) => neverRun.has(call.key))).toEqual([]);
  });
});
