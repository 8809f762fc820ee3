import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bucketSettingsOf } from '@switchyard/batch';
import { BatchStore } from '@switchyard/batches';
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
  startRunnerProcess,
} from './batch-processes.test-support';

const lines = 600;
const tenant = 'default';

/**
 * A batch runner frozen (SIGSTOP: a long GC pause, a stalled VM) past its lease while it runs a
 * batch; a second runner takes the batch over and is killed with SIGKILL before it writes
 * anything but its claim; the first one wakes up (SIGCONT), sees the other's lease and stops its
 * run. With nobody else left, it must take the batch back once that lease lapses, and the
 * batch completes with one call per line. The workers run in this process, undisturbed.
 */
describe('batch runner: a frozen runner whose batch was taken over by a runner that died', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;
  let configPath: string;
  const processes: ServiceProcess[] = [];

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'batch-pause', {
      models: { triage: 'openai' },
      worker: '{ concurrency: 24, shutdown_grace_seconds: 1 }',
      // A 2-second lease (15 s in production) so that the freeze and the takeover are short.
      batches: '{ max_in_flight: 50, lease_seconds: 2 }',
    });
    servers.sim.setLatency({ ttftMs: 200 }, { deployment: install.simName('triage') });
    configPath = join(mkdtempSync(join(tmpdir(), 'batch-pause-')), 'config.yaml');
    writeFileSync(configPath, install.yaml);
    pipeline = await startPipeline(servers, install, ['openai']);
  });
  afterAll(async () => {
    for (const p of processes) p.child.kill('SIGCONT');
    await Promise.all(processes.map((p) => p.stop(2_000)));
    await pipeline?.stop();
    await servers?.stop();
  });

  it('takes the batch back once the dead runner’s lease lapses, and runs each line once', async () => {
    const gateway = await startGatewayProcess(configPath);
    processes.push(gateway.process);
    const first = await startRunnerProcess(configPath);
    processes.push(first);
    const client = sdkOn(gateway.url);
    const created = await createBatch(client, batchInputFile(lines));
    const store = await BatchStore.open(pipeline.nc, bucketSettingsOf(install.config));
    const record = async () => (await store.get(tenant, created.id))?.record;
    const leasedTo = async (runner: ServiceProcess) =>
      (await record())?.lease?.runner.includes(`-${runner.child.pid}-`) === true;

    await waitUntil(
      async () =>
        (await leasedTo(first)) && ((await record())?.batch.request_counts.completed ?? 0) >= 50,
      30_000,
    );
    // Frozen before the second runner starts: on a busy machine a runner's start-up took long
    // enough for the first to finish more than half the batch, and a second runner running
    // beside the first took its 2-second lease from it.
    first.child.kill('SIGSTOP');
    expect((await record())?.batch.request_counts.completed).toBeLessThan(lines / 2);
    const second = await startRunnerProcess(configPath);
    processes.push(second);
    await waitUntil(() => leasedTo(second), 15_000);
    await second.kill9();
    first.child.kill('SIGCONT');

    const { batch, output } = await completedBatch(client, created.id, 30_000);
    expect(batch.request_counts).toEqual({ total: lines, completed: lines, failed: 0 });
    expect(output).toHaveLength(lines);
    expect(new Set(output.map((line) => line.custom_id)).size).toBe(lines);

    const calls = servers.sim.calls({ deployment: install.simName('triage') });
    expect(calls.filter((call) => call.outcome === 'completed')).toHaveLength(lines);
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
  }, 90_000);
});
