import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readUsageEvents } from '../cluster/usage-events.test-support';
import {
  createInstallation,
  startPipeline,
  startPipelineServers,
  waitUntil,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from '../pipeline/pipeline-harness.test-support';
import type { ServiceProcess } from '../processes/service-process.test-support';
import {
  batchInputFile,
  completedBatch,
  createBatch,
  promptOf,
  sdkOn,
  startGatewayProcess,
  startRunnerProcess as startRunner,
} from './batch-processes.test-support';

const lines = 600;

/**
 * A 600-line batch run by the batch runner as a process of its own, killed with SIGKILL twice
 * while it submits and collects (and restarted), and the gateway killed with SIGKILL while the
 * batch runs (and restarted). The workers run in this process and are not disturbed, so the
 * account is exact: the simulator's ledger has exactly one call per line, the output file one
 * line per custom_id, and the usage stream one billed event per job.
 */
describe('batch runner: kill -9 of the runner and the gateway in the middle of a batch', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;
  let configPath: string;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'batch-crash', {
      models: { triage: 'openai' },
      worker: '{ concurrency: 24, shutdown_grace_seconds: 1 }',
      batches: '{ max_in_flight: 40, lease_seconds: 2 }',
    });
    pace(500);
    configPath = join(mkdtempSync(join(tmpdir(), 'batch-crash-')), 'config.yaml');
    writeFileSync(configPath, install.yaml);
    pipeline = await startPipeline(servers, install, ['openai']);
  });
  /** Sets the provider's latency: 40 lines in flight answer 80 lines a second at 500 ms. */
  const pace = (ttftMs: number) =>
    servers.sim.setLatency({ ttftMs }, { deployment: install.simName('triage') });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop(2_000)));
    await pipeline?.stop();
    await servers?.stop();
  });

  it('loses no line, calls the provider once per line and bills each job once', async () => {
    let gateway = await startGatewayProcess(configPath);
    processes.push(gateway.process);
    let runner = await startRunner(configPath);
    processes.push(runner);
    let client = sdkOn(gateway.url);
    const created = await createBatch(client, batchInputFile(lines));
    const completed = async () =>
      (await client.batches.retrieve(created.id)).request_counts?.completed ?? 0;
    const untilCompleted = async (n: number) => {
      let done = 0;
      await waitUntil(async () => (done = await completed()) >= n, 60_000);
      return done;
    };

    expect(await untilCompleted(80)).toBeLessThan(lines);
    await runner.kill9();
    runner = await startRunner(configPath);
    processes.push(runner);

    expect(await untilCompleted(250)).toBeLessThan(lines);
    // The batch goes on while the gateway is down: slowed, it is still under way however long
    // the gateway takes to start again on a busy machine.
    pace(3_000);
    await gateway.process.kill9();
    gateway = await startGatewayProcess(configPath);
    processes.push(gateway.process);
    client = sdkOn(gateway.url);

    expect(await completed()).toBeLessThan(lines);
    await runner.kill9();
    pace(500);
    runner = await startRunner(configPath);
    processes.push(runner);

    const { batch, output } = await completedBatch(client, created.id, 90_000);
    expect(batch.request_counts).toEqual({ total: lines, completed: lines, failed: 0 });
    expect(batch.error_file_id).toBeNull();
    expect(output).toHaveLength(lines);
    expect(new Set(output.map((line) => line.custom_id)).size).toBe(lines);

    const calls = servers.sim.calls({ deployment: install.simName('triage') });
    expect(calls).toHaveLength(lines);
    expect(new Set(calls.map((call) => call.key))).toEqual(
      new Set(Array.from({ length: lines }, (_, i) => promptOf(i))),
    );

    const usage = await readUsageEvents(pipeline.nc, install.prefix);
    expect(usage.invalid).toBe(0);
    const jobIds = usage.events.map((event) => event.job_id);
    expect(jobIds).toHaveLength(lines);
    expect(new Set(jobIds).size).toBe(lines);
    expect(new Set(output.map((line) => line.response.request_id))).toEqual(new Set(jobIds));
  });
});
