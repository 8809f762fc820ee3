import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { ServerError } from '@switchyard/client';
import { streamNames } from '@switchyard/contracts';
import type { SimCall } from '@switchyard/provider-sim';
import { builtServiceMain } from '@switchyard/testing';
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
} from './pipeline-harness.test-support';

const jobs = 200;
const promptOf = (i: number) => `job-${i}: where is the blue train going?`;

/** Starts `node dist/services/worker/main.mjs` and waits until it pulls. */
async function spawnWorker(
  configPath: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(
    process.execPath,
    [builtServiceMain('worker'), '--provider', 'openai', '--config', configPath],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } },
  );
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  await waitUntil(() => output.includes('worker pulling') || child.exitCode !== null, 20_000);
  if (child.exitCode !== null) throw new Error(`worker exited at start: ${output}`);
  return { child, output: () => output };
}

/** What one caller ended with. */
type Outcome =
  | { kind: 'result'; text: string }
  | { kind: 'stream'; text: string; finals: number; generations: string[] }
  | { kind: 'cut'; text: string; code: string }
  | { kind: 'error'; error: unknown };

/**
 * The production AckWait (30 s), two workers serving one model, 200 jobs in flight (half of
 * them streams), and the worker process in a child killed with SIGKILL while every call is
 * under way. The simulator's call ledger (random replies, one entry per call with its text and
 * outcome) is the account each job is checked against: no job lost, each caller one final
 * answer, each text exactly one call's, each call the surviving worker made billed once.
 */
describe('pipeline: kill -9 of a worker with 200 jobs in flight, production AckWait', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline | undefined;
  let crashed: ChildProcess | undefined;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-crash', {
      models: { chat: 'openai' },
      router: '{ num_retries: 1, allowed_fails: 1000, cooldown_time: 1 }',
      worker: '{ concurrency: 100, shutdown_grace_seconds: 1 }',
    });
    // Every call takes ≈ 6.6 s (2 s to the first token, then 150 ms per token, 32 tokens) and
    // says something of its own, so two calls of one job never give the same text.
    const deployment = install.simName('chat');
    servers.sim.configure({ replyTokens: 32, randomReplies: true }, { deployment });
    servers.sim.setLatency({ ttftMs: 2_000, perTokenMs: 150 }, { deployment });
  });

  afterAll(async () => {
    if (crashed !== undefined && crashed.exitCode === null) crashed.kill('SIGKILL');
    await pipeline?.stop();
    await servers?.stop();
  });

  it('loses no job, answers each caller once with one call’s text, and bills each surviving call once', async () => {
    const configPath = join(mkdtempSync(join(tmpdir(), 'sy-pipeline-')), 'config.yaml');
    writeFileSync(configPath, install.yaml);
    const first = await spawnWorker(configPath);
    crashed = first.child;
    pipeline = await startPipeline(servers, install, ['openai'], { timeoutMs: 120_000 });
    const { client } = pipeline;
    const sim = servers.sim;
    const deployment = install.simName('chat');

    let streamsStarted = 0;
    const run = async (i: number): Promise<Outcome> => {
      const params = {
        model: 'chat',
        messages: [{ role: 'user' as const, content: promptOf(i) }],
        switchyard: { job_id: `crash-${i}` },
      };
      try {
        // Results and streams in pairs: JetStream hands queued jobs to the waiting pulls of the
        // two workers in turn, so each worker gets both kinds.
        if (Math.floor(i / 2) % 2 === 0) {
          const result = await client.chat.completions.create(params);
          return { kind: 'result', text: result.choices[0]?.message.content ?? '' };
        }
        const stream = await client.chat.completions.create({ ...params, stream: true });
        let text = '';
        let finals = 0;
        const generations = new Set<string>();
        try {
          for await (const chunk of stream) {
            if (text === '' && generations.size === 0) streamsStarted += 1;
            generations.add(chunk.switchyard.generation);
            text += chunk.choices.map((choice) => choice.delta.content ?? '').join('');
            if (chunk.switchyard.final) finals += 1;
          }
        } catch (error) {
          if (error instanceof ServerError && error.code === 'stream_cut') {
            return { kind: 'cut', text, code: error.code };
          }
          throw error;
        }
        return { kind: 'stream', text, finals, generations: [...generations] };
      } catch (error) {
        return { kind: 'error', error };
      }
    };
    // One job after the other, so the queue holds them in order.
    const outcomes: Promise<Outcome>[] = [];
    for (let i = 0; i < jobs; i++) {
      outcomes.push(run(i));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }

    // Every job is at the simulator and most streams are under way; no call has finished.
    await waitUntil(() => sim.calls({ deployment }).length >= jobs, 20_000);
    await waitUntil(() => streamsStarted >= 0.8 * (jobs / 2), 10_000);
    expect(sim.calls({ deployment }).map((call) => call.outcome)).toEqual(
      Array(jobs).fill('in_flight'),
    );
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');
    // The killed worker's calls are cut off at once; the other worker's run on.
    await waitUntil(() => sim.calls({ deployment }).some((call) => call.outcome === 'aborted'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const killedCalls = new Set(
      sim
        .calls({ deployment })
        .filter((call) => call.outcome === 'aborted')
        .map((call) => call.seq),
    );
    expect(killedCalls.size).toBeGreaterThan(0);
    expect(killedCalls.size).toBeLessThan(jobs);

    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r.kind === 'error')).toEqual([]);
    const usage = await readUsageEvents(pipeline.nc, install.prefix);
    expect(usage.invalid).toBe(0);
    await waitUntil(async () => (await jobsStored(pipeline?.nc, install.prefix)) === 0);

    let cut = 0;
    let redelivered = 0;
    for (const [i, outcome] of results.entries()) {
      const calls = sim.calls({ deployment, key: promptOf(i) });
      const ofKilled = calls.filter((call) => killedCalls.has(call.seq));
      const ofSurvivor = calls.filter((call) => !killedCalls.has(call.seq));
      const events = usage.events.filter((event) => event.job_id === `crash-${i}`);
      const label = `job ${i} (${outcome.kind}): calls ${JSON.stringify(calls.map(brief))}`;
      // The worker that lived made exactly one call for every job, and billed it once.
      expect(ofSurvivor, label).toHaveLength(1);
      expect(ofKilled.length, label).toBeLessThanOrEqual(1);
      expect(events, label).toHaveLength(1);
      const [call] = ofSurvivor as [SimCall];
      if (ofKilled.length === 1) redelivered += 1;
      if (outcome.kind === 'result') {
        expect(call.outcome, label).toBe('completed');
        expect(outcome.text, label).toBe(call.text);
        expect(events[0], label).toMatchObject({ status: 'success' });
      } else if (outcome.kind === 'stream') {
        expect(call.outcome, label).toBe('completed');
        expect([outcome.text, outcome.finals, outcome.generations.length], label).toEqual([
          call.text,
          1,
          1,
        ]);
        expect(events[0], label).toMatchObject({ status: 'success' });
      } else if (outcome.kind === 'cut') {
        // The killed worker had streamed part of its call; the redelivered call was cut
        // (never spliced) and cancelled, and billed for the tokens it had produced.
        cut += 1;
        expect(ofKilled, label).toHaveLength(1);
        expect(ofKilled[0]?.text.startsWith(outcome.text), label).toBe(true);
        expect(call.outcome, label).toBe('aborted');
        expect(events[0], label).toMatchObject({
          status: 'error',
          error_type: 'cancelled',
          estimated: true,
        });
      }
    }
    // Every call the killed worker had under way belonged to a job served again.
    expect(redelivered).toBe(killedCalls.size);
    expect(cut).toBeGreaterThan(0);
    const totals = sim.calls({ deployment });
    expect(totals.filter((c) => c.outcome === 'in_flight')).toEqual([]);
    expect(totals).toHaveLength(jobs + killedCalls.size);
    console.info(
      `worker-crash: ${killedCalls.size} calls cut by the kill and served again, ${cut} streams cut (stream_cut)`,
    );
  }, 150_000);
});

async function jobsStored(nc: NatsConnection | undefined, prefix: string): Promise<number> {
  if (nc === undefined) return -1;
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(streamNames(prefix).jobs)).state.messages;
}

function brief(call: SimCall): string {
  return `${call.seq}:${call.outcome}`;
}
