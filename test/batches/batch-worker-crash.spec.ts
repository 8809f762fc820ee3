import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchJobId } from '@switchyard/batches';
import type { SimCall } from '@switchyard/provider-sim';
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
import { spawnService, type ServiceProcess } from '../processes/service-process.test-support';
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
/** `switchyard.worker.concurrency`'s default: the jobs one worker process calls at once. */
const concurrency = 32;
const lineOf = (call: SimCall) => Number(/^line-(\d+):/.exec(call.key)?.[1]);

/**
 * A 600-line batch served by two workers: one in this process, one a process of its own killed
 * with SIGKILL while it has a full set of calls in flight. Production settings throughout
 * (AckWait 30 s, worker concurrency 32, the batch defaults): the killed worker's jobs come back
 * to the surviving worker after AckWait, and the batch completes by itself.
 *
 * Both workers run one installation and one deployment (`triage/0`); only the simulator path
 * in the killed worker's `api_base` differs, so the ledger tells which process made each call.
 * Its calls hang once it has served part of the batch, so at the kill every call it has under
 * way is far from its end, and every call it completed is answered: the account is exact.
 */
describe('batch: kill -9 of a worker with batch calls in flight, production AckWait', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;
  let configPath: string;
  let doomedConfigPath: string;
  const processes: ServiceProcess[] = [];
  const survivorSim = () => install.simName('triage');
  const doomedSim = () => `${install.simName('triage')}-doomed`;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'batch-worker-crash', {
      models: { triage: 'openai' },
      worker: '{}',
    });
    for (const deployment of [survivorSim(), doomedSim()]) {
      servers.sim.setLatency({ ttftMs: 500 }, { deployment });
    }
    const dir = mkdtempSync(join(tmpdir(), 'batch-worker-crash-'));
    configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, install.yaml);
    const survivorBase = `/d/${survivorSim()}/v1`;
    expect(install.yaml.split(survivorBase)).toHaveLength(2);
    doomedConfigPath = join(dir, 'doomed.yaml');
    writeFileSync(doomedConfigPath, install.yaml.replace(survivorBase, `/d/${doomedSim()}/v1`));
    pipeline = await startPipeline(servers, install, ['openai']);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop(2_000)));
    await pipeline?.stop();
    await servers?.stop();
  });

  it('loses no line, completes one call per line and bills each job once', async () => {
    const gateway = await startGatewayProcess(configPath);
    processes.push(gateway.process);
    processes.push(await startRunnerProcess(configPath));
    const doomed = await spawnService(
      'worker',
      ['--provider', 'openai', '--config', doomedConfigPath],
      'worker pulling',
    );
    processes.push(doomed);
    const client = sdkOn(gateway.url);
    const created = await createBatch(client, batchInputFile(lines));
    const sim = servers.sim;
    const ledger = (deployment: string) => sim.calls({ deployment });
    const ofOutcome = (calls: SimCall[], outcome: SimCall['outcome']) =>
      calls.filter((call) => call.outcome === outcome);

    // The doomed worker serves its share: a first round of calls completes.
    await waitUntil(
      () => ofOutcome(ledger(doomedSim()), 'completed').length >= concurrency,
      30_000,
    );
    // From here on its new calls hang; calls it started before end as usual.
    const lastFastSeq = Math.max(...sim.calls().map((call) => call.seq));
    sim.setLatency({ ttftMs: 600_000 }, { deployment: doomedSim() });
    await waitUntil(() => {
      const inFlight = ofOutcome(ledger(doomedSim()), 'in_flight');
      return inFlight.length >= concurrency && inFlight.every((call) => call.seq > lastFastSeq);
    }, 20_000);
    // Every call it completed is answered (recorded, so a redelivery would replay, not call).
    const doomedCompleted = ofOutcome(ledger(doomedSim()), 'completed');
    const answered = new Set<string>();
    await waitUntil(async () => {
      for await (const result of pipeline.client.batches.results(created.id, { follow: false })) {
        if (result.jobId !== null) answered.add(result.jobId);
      }
      return doomedCompleted.every((call) =>
        answered.has(batchJobId(created.id, `email-${lineOf(call)}`)),
      );
    }, 10_000);

    const atKill = ledger(doomedSim());
    const inFlightAtKill = ofOutcome(atKill, 'in_flight');
    const lastSeqAtKill = Math.max(...sim.calls().map((call) => call.seq));
    await doomed.kill9();
    expect(doomed.child.signalCode).toBe('SIGKILL');

    // Its connections closed with it: every call it had under way is cut off, none completes.
    await waitUntil(() => ofOutcome(ledger(doomedSim()), 'in_flight').length === 0, 10_000);
    expect(ledger(doomedSim())).toEqual(
      atKill.map((call) =>
        call.outcome === 'in_flight'
          ? { ...call, outcome: 'aborted', endedAt: expect.any(Number) as number }
          : call,
      ),
    );

    const { batch, output } = await completedBatch(client, created.id, 90_000);
    expect(batch.request_counts).toEqual({ total: lines, completed: lines, failed: 0 });
    expect(batch.error_file_id).toBeNull();
    expect(output).toHaveLength(lines);
    expect(new Set(output.map((line) => line.custom_id)).size).toBe(lines);

    // One completed call per line; every other call is one the killed worker had under way.
    const survivorCalls = ledger(survivorSim());
    expect(ofOutcome(survivorCalls, 'completed')).toHaveLength(survivorCalls.length);
    const completed = [...doomedCompleted, ...survivorCalls];
    expect(completed).toHaveLength(lines);
    expect(new Set(completed.map((call) => call.key))).toEqual(
      new Set(Array.from({ length: lines }, (_, i) => promptOf(i))),
    );
    expect(sim.calls()).toHaveLength(lines + inFlightAtKill.length);
    // The kill came mid-batch: the survivor went on with lines no worker had started.
    const servedAfterKill = survivorCalls.filter((call) => call.seq > lastSeqAtKill);
    expect(servedAfterKill.length).toBeGreaterThan(inFlightAtKill.length);
    // Each line cut off by the kill was called once more, by the surviving worker, after it.
    for (const cut of inFlightAtKill) {
      const again = sim.calls({ key: cut.key }).filter((call) => call.seq !== cut.seq);
      expect(again, cut.key).toHaveLength(1);
      expect(again[0], cut.key).toMatchObject({
        deployment: survivorSim(),
        outcome: 'completed',
      });
      expect(again[0]?.seq, cut.key).toBeGreaterThan(lastSeqAtKill);
    }

    const usage = await readUsageEvents(pipeline.nc, install.prefix);
    expect(usage.invalid).toBe(0);
    const jobIds = usage.events.map((event) => event.job_id);
    expect(jobIds).toHaveLength(lines);
    expect(new Set(jobIds).size).toBe(lines);
    expect(new Set(output.map((line) => line.response.request_id))).toEqual(new Set(jobIds));
    console.info(
      `batch-worker-crash: the killed worker completed ${doomedCompleted.length} calls and had ${inFlightAtKill.length} under way, each served again; ${servedAfterKill.length} calls after the kill`,
    );
  }, 120_000);
});
