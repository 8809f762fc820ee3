import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cooldownOptionsFrom, createCooldownTracker } from '@switchyard/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  questionMessages,
  startPipeline,
  startPipelineServers,
  waitUntil,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from '../pipeline/pipeline-harness.test-support';

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, '..', '..');

let servers: PipelineServers;
let install: Installation;
let pipeline: RunningPipeline;
let dir: string;

beforeAll(async () => {
  servers = await startPipelineServers();
  install = createInstallation(servers, 'status', {
    models: { 'served-model': 'openai', 'queued-model': 'anthropic' },
    router: '{ num_retries: 0, allowed_fails: 0, cooldown_time: 60 }',
  });
  pipeline = await startPipeline(servers, install, ['openai']);
  dir = mkdtempSync(join(tmpdir(), 'sy-status-'));
  writeFileSync(join(dir, 'config.yaml'), install.yaml);
});

afterAll(async () => {
  await pipeline?.stop();
  await servers?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function status(): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['bin/switchyard.mjs', 'status', '--config', join(dir, 'config.yaml'), '--wait-ms', '500'],
    { cwd: repoRoot },
  );
  return stdout;
}

describe('switchyard status against a running installation', () => {
  it('shows the pools with their jobs in flight, the model queues and the cooling deployments', async () => {
    servers.sim.setLatency({ ttftMs: 20_000 }, { deployment: install.simName('served-model') });
    const ask = (model: string) =>
      void pipeline.client.chat.completions
        .create({ model, messages: questionMessages }, { timeout: 25_000 })
        .catch(() => undefined);
    for (let i = 0; i < 3; i++) ask('served-model');
    for (let i = 0; i < 2; i++) ask('queued-model');
    await createCooldownTracker(pipeline.redis, cooldownOptionsFrom(install.config)).recordFailure(
      'queued-model/0',
      'server',
    );
    await waitUntil(
      () => servers.sim.stats().deployments[install.simName('served-model')]?.requests === 3,
    );

    const report = await status();
    const lines = report.split('\n');
    const line = (pattern: RegExp) => lines.find((l) => pattern.test(l));
    expect(line(/^\s+switchyard-worker\s+openai\s/)).toMatch(/\s3 \(served-model: 3\)\s/);
    expect(line(/^\s+switchyard-fallback\s/)).toBeDefined();
    expect(lines.filter((l) => /^\s+switchyard-/.test(l))).toHaveLength(2);
    expect(line(/^\s+queued-model\s/)).toMatch(/^\s+queued-model\s+2\s+0\s+0\s/);
    expect(line(/^\s+served-model\s/)).toMatch(/^\s+served-model\s+0\s+3\s+0\s/);
    // A 60 s cooldown started a moment ago: what is left depends on how long this took to run.
    const left = /cooling down until \S+Z \((\d+) s\)/.exec(line(/^\s+queued-model\/0\s/) ?? '');
    expect(Number(left?.[1])).toBeGreaterThan(30);
    expect(Number(left?.[1])).toBeLessThanOrEqual(60);
    expect(line(/^\s+served-model\/0\s/)).toMatch(/\shealthy$/);
  });
});
