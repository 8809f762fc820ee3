import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, isNatsReachable, isRedisReachable } from '@switchyard/local-servers';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/switchyard.mjs', import.meta.url));

describe('switchyard up (npm start)', () => {
  it('starts nats-server and redis-server when none answers, says ready, and stops them on Ctrl-C', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-up-'));
    const natsUrl = `nats://127.0.0.1:${await findFreePort()}`;
    const redisUrl = `redis://127.0.0.1:${await findFreePort()}`;
    const child = spawn(process.execPath, [bin, 'up'], {
      cwd,
      env: { ...process.env, NATS_URL: natsUrl, REDIS_URL: redisUrl, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');

    await expect
      .poll(() => output, { timeout: 30_000, interval: 100 })
      .toMatch(/ready: nats-server .* with JetStream/);
    expect(output).toContain('the demo config');
    expect(await isNatsReachable(natsUrl, 1_000)).toBe(true);
    expect(await isRedisReachable(redisUrl, 1_000)).toBe(true);
    expect(existsSync(join(cwd, '.switchyard/data/nats'))).toBe(true);

    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code, output).toBe(0);
    expect(await isNatsReachable(natsUrl, 500)).toBe(false);
    expect(await isRedisReachable(redisUrl, 500)).toBe(false);
  });

  it('fails with the problem and its line when the config is broken', async () => {
    const child = spawn(process.execPath, [bin, 'up', '--config', 'does-not-exist.yaml'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(stderr).toContain('config file does-not-exist.yaml does not exist');
  });
});
