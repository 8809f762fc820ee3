import { Switchyard } from '@switchyard/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  startPipeline,
  startPipelineServers,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from './pipeline-harness.test-support';

const batchJobs = 5_000;
const interactiveJobs = 20;
const secondTenantJobs = 20;
const floodJobs = 2_000;
const concurrency = 64;
const providerMs = 250;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A model with a deep batch backlog of one tenant against a slow provider: interactive requests
 * for the same model are served next, not after the backlog; a second tenant's batch queued
 * behind it is done long before it (tenants take turns in the batch lane); and the backlog
 * still drains, every job served by exactly one provider call. Tenants take turns in the
 * interactive lane too: a second tenant's requests are answered while another tenant's flood of
 * interactive requests still waits. Counts, not clocks: the first tenant's calls that started
 * meanwhile are what shows who went first.
 */
describe('pipeline: priority lanes', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-lanes', {
      models: { triage: 'openai' },
      worker: `{ concurrency: ${concurrency}, shutdown_grace_seconds: 1 }`,
    });
    pipeline = await startPipeline(servers, install, ['openai']);
    servers.sim.setLatency({ ttftMs: providerMs }, { deployment: install.simName('triage') });
  });

  afterAll(async () => {
    await pipeline?.stop();
    await servers?.stop();
  });

  const callsOf = (prefix: string) =>
    servers.sim
      .calls({ deployment: install.simName('triage') })
      .filter((call) => call.key.startsWith(prefix));

  /** Reads a batch's answers until `count` jobs have a completion; their job ids. */
  async function answersOf(client: Switchyard, batchId: string, count: number) {
    const answered = new Set<string>();
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), 120_000);
    try {
      for await (const { jobId, reply } of client.batches.results(batchId, {
        signal: stop.signal,
      })) {
        if (reply.object === 'chat.completion' && jobId !== null) answered.add(jobId);
        if (answered.size === count) break;
      }
    } finally {
      clearTimeout(timer);
    }
    return answered;
  }

  it(`answers ${interactiveJobs} interactive requests and a second tenant's ${secondTenantJobs} batch jobs ahead of ${batchJobs} queued batch jobs, and drains the batch`, async () => {
    const batchId = 'lanes-batch';
    const jobs = Array.from({ length: batchJobs }, (_, i) => ({
      model: 'triage',
      messages: [{ role: 'user' as const, content: `batch-${i}` }],
      switchyard: { job_id: `lanes-${i}` },
    }));
    const submitted = await pipeline.client.batches.submit(batchId, jobs, { concurrency: 64 });
    expect(submitted.queued).toBe(batchJobs);
    const second = new Switchyard({
      nc: pipeline.nc,
      tenant: 'second',
      subjectRoot: install.prefix,
      streamPrefix: install.prefix,
    });
    const secondJobs = Array.from({ length: secondTenantJobs }, (_, i) => ({
      model: 'triage',
      messages: [{ role: 'user' as const, content: `second-${i}` }],
      switchyard: { job_id: `second-${i}` },
    }));
    await second.batches.submit('second-batch', secondJobs, { concurrency: 64 });
    const secondDone = answersOf(second, 'second-batch', secondTenantJobs).then((answered) => ({
      answered,
      firstTenantCalls: callsOf('batch-').length,
    }));

    // The batch is running (it has every slot) before the interactive requests come.
    while (callsOf('batch-').length < concurrency) await sleep(20);
    const batchCallsBefore = callsOf('batch-').length;
    const started = Date.now();
    const latencies = await Promise.all(
      Array.from({ length: interactiveJobs }, async (_, i) => {
        const answer = await pipeline.client.chat.completions.create({
          model: 'triage',
          messages: [{ role: 'user', content: `interactive-${i}` }],
        });
        expect(answer.object).toBe('chat.completion');
        return Date.now() - started;
      }),
    );
    const batchCallsMeanwhile = callsOf('batch-').length - batchCallsBefore;
    console.info(
      `priority lanes: ${interactiveJobs} interactive answered in ${Math.max(...latencies)} ms ` +
        `(provider ${providerMs} ms) while ${batchCallsMeanwhile} batch calls started; ` +
        `${batchCallsBefore} batch calls had started before`,
    );
    // Behind the backlog they would have waited for the thousands of batch calls still queued;
    // ahead of it, for the batch jobs already running (batch takes the slots they leave).
    expect(batchCallsBefore).toBeLessThan(batchJobs / 2);
    expect(batchCallsMeanwhile).toBeLessThan(batchJobs / 10);
    expect(callsOf('interactive-')).toHaveLength(interactiveJobs);

    // In one queue per model the second tenant's jobs would start after all of the first's.
    const { answered: secondAnswered, firstTenantCalls } = await secondDone;
    console.info(
      `tenant turns: the second tenant's ${secondTenantJobs} batch jobs were answered after ` +
        `${firstTenantCalls} of the first tenant's ${batchJobs} batch calls had started`,
    );
    expect(secondAnswered.size).toBe(secondTenantJobs);
    expect(firstTenantCalls).toBeLessThan(batchJobs / 2);
    expect(callsOf('second-')).toHaveLength(secondTenantJobs);

    const answered = await answersOf(pipeline.client, batchId, batchJobs);
    expect(answered.size).toBe(batchJobs);
    const batchCalls = callsOf('batch-');
    expect(batchCalls).toHaveLength(batchJobs);
    expect(new Set(batchCalls.map((call) => call.key)).size).toBe(batchJobs);
  }, 240_000);

  it(`answers a second tenant's ${interactiveJobs} interactive requests ahead of another tenant's ${floodJobs} queued interactive requests`, async () => {
    const tenantClient = (tenant: string) =>
      new Switchyard({
        nc: pipeline.nc,
        tenant,
        subjectRoot: install.prefix,
        streamPrefix: install.prefix,
        timeoutMs: 120_000,
      });
    const ask = (client: Switchyard, content: string) =>
      client.chat.completions
        .create({ model: 'triage', messages: [{ role: 'user', content }] })
        .then((answer) => answer.object);
    const flood = Array.from({ length: floodJobs }, (_, i) =>
      ask(tenantClient('flood'), `flood-${i}`),
    );
    // The flood is running (it has every slot) before the second tenant asks.
    while (callsOf('flood-').length < concurrency) await sleep(20);
    const second = tenantClient('asker');
    const secondAnswers = await Promise.all(
      Array.from({ length: interactiveJobs }, (_, i) => ask(second, `asker-${i}`)),
    );
    const floodCallsMeanwhile = callsOf('flood-').length;
    console.info(
      `interactive tenant turns: the second tenant's ${interactiveJobs} requests were answered ` +
        `after ${floodCallsMeanwhile} of the first tenant's ${floodJobs} calls had started`,
    );
    expect(secondAnswers).toEqual(Array(interactiveJobs).fill('chat.completion'));
    // In one queue they would have waited for every flood call; in turns, for a few rounds.
    expect(floodCallsMeanwhile).toBeLessThan(floodJobs / 2);
    expect(await Promise.all(flood)).toEqual(Array(floodJobs).fill('chat.completion'));
    expect(callsOf('asker-')).toHaveLength(interactiveJobs);
    const floodCalls = callsOf('flood-');
    expect(floodCalls).toHaveLength(floodJobs);
    expect(new Set(floodCalls.map((call) => call.key)).size).toBe(floodJobs);
  }, 120_000);
});
