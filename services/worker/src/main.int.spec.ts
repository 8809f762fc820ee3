import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtServiceMain } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  makeJob,
  startServers,
  waitUntil,
  type Installation,
  type Servers,
} from './worker-harness.test-support';

const main = builtServiceMain('worker');

describe('worker main (node dist/services/worker/main.mjs)', () => {
  let servers: Servers;
  let install: Installation;

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'worker-main', { slow: 'gemini' });
  });

  afterAll(async () => {
    await install?.close();
    await servers?.stop();
  });

  it('serves jobs, and on SIGTERM finishes the job in flight and exits 0', async () => {
    const configPath = join(mkdtempSync(join(tmpdir(), 'sy-worker-')), 'config.yaml');
    writeFileSync(configPath, install.yaml);
    await servers.sim.setLatency(install.simName('slow'), { ttftMs: 1_000 });
    const child = spawn(process.execPath, [main, '--provider', 'gemini', '--config', configPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    const exited = once(child, 'exit');
    try {
      await waitUntil(() => output.includes('worker pulling'), 20_000);
      const inbox = await install.submit(makeJob('slow'));
      await waitUntil(async () => (await servers.sim.requests(install.simName('slow'))) === 1);
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code, output).toBe(0);
      expect(await inbox.final(100)).toMatchObject({ object: 'chat.completion', model: 'slow' });
      expect(await install.jobsWaiting()).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses a missing --provider with exit code 2', async () => {
    const child = spawn(process.execPath, [main], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(2);
    expect(stderr).toContain('--provider');
  });
});
