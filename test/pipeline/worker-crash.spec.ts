import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChatCompletionCreateParamsNonStreaming } from '@switchyard/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  directAnswer,
  questionMessages,
  startPipeline,
  startPipelineServers,
  waitUntil,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from './pipeline-harness.test-support';

const workerMain = fileURLToPath(new URL('../../services/worker/src/main.ts', import.meta.url));

const jobs = 200;

/** Starts `node --import tsx services/worker/src/main.ts` and waits until it pulls. */
async function spawnWorker(
  configPath: string,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', workerMain, '--provider', 'openai', '--config', configPath],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: 'info' } },
  );
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  await waitUntil(() => output.includes('worker pulling') || child.exitCode !== null, 20_000);
  if (child.exitCode !== null) throw new Error(`worker exited at start: ${output}`);
  return { child, output: () => output };
}

describe('pipeline: kill -9 of a worker with 200 jobs in flight', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline | undefined;
  let crashed: ChildProcess | undefined;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-crash', {
      models: { chat: [{ provider: 'openai', params: 'timeout: 3' }] },
      router: '{ num_retries: 1, allowed_fails: 1000, cooldown_time: 1, timeout: 3 }',
      worker: '{ concurrency: 100, shutdown_grace_seconds: 1, ack_wait_margin_seconds: 2 }',
    });
    // ≈ 1.7 s per job: 500 ms to the first token, then 80 ms per token (16 tokens).
    servers.sim.setLatency(
      { ttftMs: 500, perTokenMs: 80 },
      { deployment: install.simName('chat') },
    );
  });

  afterAll(async () => {
    if (crashed !== undefined && crashed.exitCode === null) crashed.kill('SIGKILL');
    await pipeline?.stop();
    await servers?.stop();
  });

  it('another worker serves the killed worker’s jobs; each caller gets exactly one final result', async () => {
    const expected = await directAnswer(servers, 'openai');
    const configPath = join(mkdtempSync(join(tmpdir(), 'sy-pipeline-')), 'config.yaml');
    writeFileSync(configPath, install.yaml);
    const first = await spawnWorker(configPath);
    crashed = first.child;
    pipeline = await startPipeline(servers, install, ['openai'], { timeoutMs: 50_000 });
    const { client } = pipeline;

    const params = (): ChatCompletionCreateParamsNonStreaming => ({
      model: 'chat',
      messages: questionMessages,
    });
    const plain = Array.from({ length: jobs / 2 }, () => client.chat.completions.create(params()));
    let streamsStarted = 0;
    const streamed = Array.from({ length: jobs / 2 }, async () => {
      const stream = await client.chat.completions.create({ ...params(), stream: true });
      let text = '';
      let started = false;
      let finals = 0;
      let deployment: string | undefined;
      for await (const chunk of stream) {
        text += chunk.choices.map((choice) => choice.delta.content ?? '').join('');
        if (!started) {
          started = true;
          streamsStarted += 1;
        }
        if (chunk.switchyard.final) {
          finals += 1;
          deployment = chunk.switchyard.deployment;
        }
      }
      return { text, finals, deployment };
    });

    // Every job is at the simulator (≈ half of them through the child) and most streams are
    // under way (so the kill cuts streams after their first chunks), few answered yet.
    const sim = install.simName('chat');
    await waitUntil(() => (servers.sim.stats().deployments[sim]?.requests ?? 0) >= jobs, 15_000);
    await waitUntil(() => streamsStarted >= 0.8 * (jobs / 2), 5_000);
    expect(servers.sim.stats().deployments[sim]?.completed ?? 0).toBeLessThan(jobs / 4);
    const exited = once(first.child, 'exit');
    first.child.kill('SIGKILL');
    const [, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect(signal).toBe('SIGKILL');

    const results = await Promise.all(plain);
    const streams = await Promise.all(streamed);
    for (const result of results) {
      expect(result.choices[0]?.message.content).toBe(expected);
      expect(result.switchyard.deployment).toBe(install.config.models['chat']?.deployments[0]?.id);
    }
    for (const stream of streams) {
      expect(stream.text).toBe(expected);
      expect(stream.finals).toBe(1);
    }
    const stats = servers.sim.stats().deployments[sim];
    // The child's calls were cut off by the kill and made again by the other worker.
    expect(stats?.aborted ?? 0).toBeGreaterThan(0);
    // A call the child completed just before it died (its job unanswered or unacked) is made
    // again too: calls = completed + cut off, and at least one completed call per job.
    expect(stats?.requests).toBe((stats?.completed ?? 0) + (stats?.aborted ?? 0));
    expect(stats?.completed).toBeGreaterThanOrEqual(jobs);
    console.info(
      `worker-crash: ${stats?.aborted} calls cut by the kill, ${(stats?.completed ?? 0) - jobs} completed calls made again`,
    );
  }, 60_000);
});
