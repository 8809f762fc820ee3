import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort, isNatsReachable, isRedisReachable } from '@switchyard/local-servers';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../bin/switchyard.mjs', import.meta.url));

describe('switchyard up (npm start)', () => {
  it('starts nats-server and redis-server when none answers, runs the stack on them, and stops everything on Ctrl-C', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'sy-up-'));
    const natsUrl = `nats://127.0.0.1:${await findFreePort()}`;
    const redisUrl = `redis://127.0.0.1:${await findFreePort()}`;
    const ports = [
      '--port',
      String(await findFreePort()),
      '--sim-port',
      String(await findFreePort()),
    ];
    const child = spawn(process.execPath, [bin, 'up', ...ports], {
      cwd,
      env: { ...process.env, NATS_URL: natsUrl, REDIS_URL: redisUrl, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');

    await expect
      .poll(() => output, { timeout: 60_000, interval: 100 })
      .toMatch(/"event":"ready"|exited|killed/);
    expect(output).toMatch(/nats-server \S+ with JetStream at nats:\/\/127\.0\.0\.1/);
    expect(output).toMatch(/nats: started nats-server at/);
    expect(output).toContain('the demo config');
    expect(await isNatsReachable(natsUrl, 1_000)).toBe(true);
    expect(await isRedisReachable(redisUrl, 1_000)).toBe(true);
    expect(existsSync(join(cwd, '.switchyard/data/nats'))).toBe(true);

    child.kill('SIGINT');
    const [code] = (await exited) as [number | null];
    expect(code, output).toBe(0);
    expect(output).toMatch(/stopped nats-server from PATH/);
    expect(output).toMatch(/stopped redis-server from PATH/);
    expect(await isNatsReachable(natsUrl, 500)).toBe(false);
    expect(await isRedisReachable(redisUrl, 500)).toBe(false);
    rmSync(cwd, { recursive: true, force: true });
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
