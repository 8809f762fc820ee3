import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { parseConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand, writeTestConfig } from '../cli-output.test-support';
import { keysCommand } from './keys-command';

let nats: TestServer;
let redis: TestServer;
let nc: NatsConnection;
const stores: VirtualKeyStore[] = [];

beforeAll(async () => {
  [nats, redis] = await Promise.all([startTestNats(), startTestRedis()]);
  nc = await connect({ servers: nats.url, name: 'keys-command-spec' });
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await nc?.close();
  await Promise.all([nats?.stop(), redis?.stop()]);
});

async function setup(label: string) {
  const prefix = uniquePrefix(label);
  const config = writeTestConfig({ natsUrl: nats.url, redisUrl: redis.url, prefix });
  const keys = (...argv: string[]) => runCommand(keysCommand, [...argv, '--config', config]);
  const parsed = parseConfig(readFileSync(config, 'utf8'), { env: {} }).config;
  const store = await VirtualKeyStore.open(nc, keyStoreOptionsFrom(parsed));
  stores.push(store);
  return { prefix, keys, store };
}

describe('switchyard keys against a real nats-server', () => {
  it('creates a key whose printed secret verifies, lists it and revokes it by alias', async () => {
    const { keys, store } = await setup('keys-flow');
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
    expect(created.out).toContain('longer than the 7 days the usage stream keeps events');
    await waitFor(async () => (await store.verify(secret ?? '')) !== undefined);
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
    await waitFor(async () => (await store.verify(secret ?? '')) === undefined);
    expect((await keys('list')).out).toBe('No live keys.\n');
    expect((await keys('list', '--all')).out).toContain(key?.id);
    expect((await keys('revoke', 'nope')).code).toBe(1);
  });

  it('refuses unknown models, bad options and a taken alias with clear messages', async () => {
    const { keys, store } = await setup('keys-bad');
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
    await waitFor(async () => (await store.list()).length === 1);
    expect((await keys('rotate')).code).toBe(2);
    expect((await keys('revoke')).code).toBe(2);
  });

  it('says which NATS it cannot reach, without its credentials', async () => {
    const config = writeTestConfig({
      natsUrl: 'nats://user:hunter2@127.0.0.1:9',
      redisUrl: redis.url,
      prefix: 'x',
    });
    const failed = runCommand(keysCommand, ['list', '--config', config]);
    await expect(failed).rejects.toThrow(/cannot reach NATS at/);
    await expect(failed).rejects.not.toThrow(/hunter2/);
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
