import { UserError } from '@switchyard/entrypoint';
import { VirtualKeyStore } from '@switchyard/keys';
import { startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, writeTestConfig } from '../cli-output.test-support';
import { keysCommand } from './keys-command';

let server: TestServer;
let redis: Redis;

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

function setup(label: string) {
  const prefix = uniquePrefix(label);
  const config = writeTestConfig({ natsUrl: 'nats://127.0.0.1:9', redisUrl: server.url, prefix });
  const keys = (...argv: string[]) => runCommand(keysCommand, [...argv, '--config', config]);
  return { prefix, keys, store: new VirtualKeyStore(redis, `${prefix}:`) };
}

describe('switchyard keys against a real redis-server', () => {
  it('creates a key whose printed secret verifies, lists it and revokes it by alias', async () => {
    const { keys, store } = setup('keys-flow');
    const created = await keys(
      'create',
      '--tenant',
      'acme',
      '--alias',
      'search',
      '--models',
      'alpha, beta',
      '--rpm',
      '60',
      '--max-budget',
      '12.5',
      '--budget-duration',
      '30d',
    );
    expect(created.code).toBe(0);
    const secret = /sk-sy-[A-Za-z0-9_-]{43}/.exec(created.out)?.[0];
    expect(secret).toBeDefined();
    expect(created.out).toContain('shown only now');
    expect(created.out).toMatch(/models: +alpha, beta/);
    expect(created.out).toMatch(/budget: +\$12\.5 per 30d/);
    const key = await store.verify(secret ?? '');
    expect(key).toMatchObject({
      alias: 'search',
      tenant: 'acme',
      models: ['alpha', 'beta'],
      rpm: 60,
      maxBudget: 12.5,
      budgetDurationMs: 30 * 86_400_000,
    });

    const listed = await keys('list');
    expect(listed.out.split('\n')[0]).toMatch(
      /^ID +ALIAS +TENANT +MODELS +RPM +HINT +CREATED +REVOKED$/,
    );
    expect(listed.out).toContain(key?.id);
    expect(listed.out).toContain(key?.hint);
    expect(listed.out).not.toContain(secret);
    expect((await keys('list', '--tenant', 'other')).out).toBe('No live keys.\n');

    const revoked = await keys('revoke', 'search');
    expect(revoked).toMatchObject({ code: 0 });
    expect(revoked.out).toContain(`Revoked ${key?.id} (search)`);
    expect(await store.verify(secret ?? '')).toBeUndefined();
    expect((await keys('list')).out).toBe('No live keys.\n');
    expect((await keys('list', '--all')).out).toContain(key?.id);
    expect((await keys('revoke', 'nope')).code).toBe(1);
  });

  it('refuses unknown models, bad options and a taken alias with clear messages', async () => {
    const { keys, store } = setup('keys-bad');
    await expect(keys('create', '--models', 'alpha,gamma')).rejects.toThrow(
      /unknown model "gamma": the configured models are "alpha", "beta"/,
    );
    await expect(keys('create', '--rpm', 'fast')).rejects.toThrow(/--rpm must be a whole number/);
    await expect(keys('create', '--rpm', '0')).rejects.toThrow(/--rpm must be a whole number/);
    await expect(keys('create', '--max-budget=-3')).rejects.toThrow(/--max-budget must be/);
    await expect(keys('create', '--budget-duration', 'soon')).rejects.toThrow(
      /--budget-duration must be a duration/,
    );
    await expect(keys('create', '--tenant', 'a.b')).rejects.toThrow(UserError);
    await keys('create', '--alias', 'dup');
    await expect(keys('create', '--alias', 'dup')).rejects.toThrow(
      'alias "dup" is taken by a live key',
    );
    expect(await store.list()).toHaveLength(1);
    expect((await keys('rotate')).code).toBe(2);
    expect((await keys('revoke')).code).toBe(2);
  });

  it('says which Redis it cannot reach', async () => {
    const config = writeTestConfig({
      natsUrl: 'nats://127.0.0.1:9',
      redisUrl: 'redis://user:hunter2@127.0.0.1:9',
      prefix: 'x',
    });
    const failed = runCommand(keysCommand, ['list', '--config', config]);
    await expect(failed).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:9/);
    await expect(failed).rejects.not.toThrow(/hunter2/);
  });
});
