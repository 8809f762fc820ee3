import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { decodeUsageEvent, streamNames } from '@switchyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  startPipeline,
  startPipelineServers,
  waitUntil,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from '../pipeline/pipeline-harness.test-support';

const requestCount = 2_000;
const model = 'batch-model';
const repoRoot = join(import.meta.dirname, '..', '..');

let servers: PipelineServers;
let install: Installation;
let pipeline: RunningPipeline;
let dir: string;

beforeAll(async () => {
  servers = await startPipelineServers();
  install = createInstallation(servers, 'batch-resume', {
    models: { [model]: 'openai' },
    worker: '{ concurrency: 64, shutdown_grace_seconds: 1 }',
  });
  pipeline = await startPipeline(servers, install, ['openai']);
  dir = mkdtempSync(join(tmpdir(), 'sy-batch-resume-'));
  writeFileSync(join(dir, 'config.yaml'), install.yaml);
  const lines = Array.from({ length: requestCount }, (_, i) =>
    JSON.stringify({
      custom_id: `req-${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model, messages: [{ role: 'user', content: `Question number ${i}?` }] },
    }),
  );
  writeFileSync(join(dir, 'input.jsonl'), `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await pipeline?.stop();
  await servers?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** `switchyard batch run` as a real child process of this test. */
function runCli(): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(
    process.execPath,
    [
      'bin/switchyard.mjs',
      'batch',
      'run',
      join(dir, 'input.jsonl'),
      '-o',
      join(dir, 'results.jsonl'),
      '--config',
      join(dir, 'config.yaml'),
      '--concurrency',
      '64',
      '--progress-every-ms',
      '1000',
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'error' },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

interface ResultLine {
  custom_id: string;
  response: {
    status_code: number;
    request_id: string;
    body: { switchyard: { cost_usd: number | null } };
  } | null;
}

function resultLines(): ResultLine[] {
  const path = join(dir, 'results.jsonl');
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.endsWith('}'))
    .map((line) => JSON.parse(line) as ResultLine);
}

/** The cost of each usage event (one per provider call) of each job in the installation's LLM_USAGE. */
async function usagePerJob(): Promise<Map<string, (number | null)[]>> {
  const js = jetstream(pipeline.nc);
  const consumer = await js.consumers.get(streamNames(install.prefix).usage);
  const costs = new Map<string, (number | null)[]>();
  const info = await consumer.info(true);
  let left = info.num_pending;
  while (left > 0) {
    const batch = await consumer.fetch({ max_messages: Math.min(left, 500), expires: 5_000 });
    for await (const msg of batch) {
      left -= 1;
      const decoded = decodeUsageEvent(msg.data);
      if (!decoded.ok) continue;
      const { job_id: jobId, cost_usd: cost } = decoded.event;
      costs.set(jobId, [...(costs.get(jobId) ?? []), cost]);
    }
  }
  await consumer.delete().catch(() => false);
  return costs;
}

describe('switchyard batch run, killed with SIGKILL half-way and run again', () => {
  it('ends with one result line per request and serves every request exactly once', async () => {
    const first = runCli();
    await waitUntil(() => resultLines().length >= requestCount / 2, 30_000);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBeNull();
    const linesAtKill = resultLines().length;
    expect(linesAtKill).toBeLessThan(requestCount);

    const second = runCli();
    expect(await second.exited, second.stderr()).toBe(0);
    expect(second.stderr()).toContain(`${requestCount}/${requestCount} done, 0 failed`);

    const lines = resultLines();
    expect(lines).toHaveLength(requestCount);
    const ids = new Set(lines.map((line) => line.custom_id));
    expect(ids.size).toBe(requestCount);
    expect([...ids].sort()).toEqual(
      Array.from({ length: requestCount }, (_, i) => `req-${i}`).sort(),
    );
    expect(lines.every((line) => line.response?.status_code === 200)).toBe(true);

    const usage = await usagePerJob();
    expect(usage.size).toBe(requestCount);
    expect([...usage.values()].every((costs) => costs.length === 1)).toBe(true);
    // Each line carries what its job cost, exactly what metering bills for it.
    for (const line of lines) {
      const cost = line.response?.body.switchyard.cost_usd;
      expect(cost, line.custom_id).toBeGreaterThan(0);
      expect(usage.get(line.response?.request_id ?? ''), line.custom_id).toEqual([cost]);
    }
    expect(servers.sim.stats().deployments[install.simName(model)]?.requests).toBe(requestCount);
  });
});
