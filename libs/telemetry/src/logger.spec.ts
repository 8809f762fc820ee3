import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, destination };
}

const openaiKey = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
const anthropicKey = 'sk-ant-api03-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210';
const googleKey = 'AIzaSyA1234567890abcdefghijklmnopqrstuv';

describe('createLogger', () => {
  it('writes JSON lines with the service name and level', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'worker', destination });
    log.info({ jobId: 'j1' }, 'job done');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({ name: 'worker', level: 30, jobId: 'j1', msg: 'job done' });
  });

  it('never writes an API key or an Authorization value, wherever it appears', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'gateway', destination });
    log.info({ headers: { Authorization: `Bearer ${openaiKey}`, 'x-api-key': anthropicKey } });
    log.info({
      request: { options: { headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==' } } },
    });
    log.info({
      deployment: { apiKey: openaiKey, api_key: anthropicKey, masterKey: 'sk-master-1234567890' },
      entra: { clientSecret: 'entra-app-secret-1', client_secret: 'entra-app-secret-2' },
      aws: {
        accessKeyId: 'AKIDSIMULATOR',
        secretAccessKey: 'aws-secret-1',
        sessionToken: 'aws-session-1',
      },
      litellm_params: { aws_secret_access_key: 'aws-secret-2', aws_session_token: 'aws-session-2' },
    });
    log.warn(`calling https://generativelanguage.googleapis.com/v1beta/models?key=${googleKey}`);
    log.error(new Error(`401 from provider: invalid key ${openaiKey}`), 'provider call failed');
    log.error({ err: new Error('wrapped', { cause: new Error(`key ${anthropicKey}`) }) }, 'failed');
    log.info({ list: [{ token: 'abc' }, `Bearer ${googleKey}`] }, `msg with ${openaiKey}`);

    const text = lines.join('\n');
    expect(lines).toHaveLength(7);
    for (const secret of [
      openaiKey,
      anthropicKey,
      googleKey,
      'dXNlcjpwYXNzd29yZA==',
      'sk-master',
      'entra-app-secret',
      'aws-secret',
      'aws-session',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('provider call failed');
  });

  it('never writes a Google private key or access token, in objects or in text', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'worker', destination });
    // Not a real key: PEM armour around filler, which is all the patterns look at.
    const pem = `-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC-not-a-key\n-----END PRIVATE KEY-----\n`;
    log.info({
      deployment: { vertex: { credentials: { client_email: 'sa@p.iam', private_key: pem } } },
      litellm_params: { vertex_credentials: '/etc/keys/sa.json' },
    });
    log.warn(`credentials ${JSON.stringify({ private_key: pem })} refused`);
    log.warn(`cut off: -----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC`);
    log.info('Authorization ya29.a0AfB_byC-not-a-real-token-1234567890');
    const text = lines.join('\n');
    expect(lines).toHaveLength(4);
    for (const secret of ['MIIEvQIBADANBgkq', '/etc/keys/sa.json', 'ya29.a0AfB']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('sa@p.iam');
  });

  it('redacts credentials inside URLs in strings, objects and errors', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'metering', destination });
    log.info({ redis: 'redis://:s3cret-pw@10.0.0.7:6379/0' }, 'connecting');
    log.info({
      servers: ['nats://svc-user:n4ts-pass@nats-0:4222', 'nats://t0ken-only@nats-1:4222'],
    });
    log.warn('fetching https://alice:h77p-pw@example.com/v1?x=1 failed');
    log.error(new Error('connect ECONNREFUSED rediss://admin:r3d1s-pw@cache:6380'), 'down');
    log.info({ nested: { url: 'redis://default:p%40ss@host:6379' } }, 'encoded password');

    const text = lines.join('\n');
    for (const secret of [
      's3cret-pw',
      'n4ts-pass',
      't0ken-only',
      'h77p-pw',
      'r3d1s-pw',
      'p%40ss',
    ]) {
      expect(text).not.toContain(secret);
    }
    const [redis, nats, https, error, encoded] = lines.map(
      (line) => JSON.parse(line) as Record<string, unknown>,
    );
    expect(redis?.['redis']).toBe('redis://:[redacted]@10.0.0.7:6379/0');
    expect(nats?.['servers']).toEqual([
      'nats://svc-user:[redacted]@nats-0:4222',
      'nats://[redacted]@nats-1:4222',
    ]);
    expect(https?.['msg']).toBe('fetching https://alice:[redacted]@example.com/v1?x=1 failed');
    expect((error?.['err'] as Record<string, unknown>)['message']).toBe(
      'connect ECONNREFUSED rediss://admin:[redacted]@cache:6380',
    );
    expect(encoded?.['nested']).toEqual({ url: 'redis://default:[redacted]@host:6379' });
  });

  it('leaves URLs without credentials and e-mail addresses alone', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'x', destination });
    log.info(
      {
        url: 'redis://127.0.0.1:6379',
        api: 'https://example.com/@team/v1?q=a@b',
        to: 'ops@example.com',
      },
      'plain',
    );
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      url: 'redis://127.0.0.1:6379',
      api: 'https://example.com/@team/v1?q=a@b',
      to: 'ops@example.com',
    });
  });

  it('keeps ordinary values intact', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'x', destination });
    log.info({ model: 'fast-triage-model', tokens: 12, skipped: 'sk-short' }, 'ok');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      model: 'fast-triage-model',
      tokens: 12,
      skipped: 'sk-short',
    });
  });

  it('cuts objects nested too deep instead of stalling', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'x', destination });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    log.info({ cyclic }, 'cyclic');
    expect(lines[0]).toContain('[truncated]');
  });

  it('honours the level', () => {
    const { lines, destination } = capture();
    const log = createLogger({ name: 'x', level: 'warn', destination });
    log.info('hidden');
    log.warn('shown');
    expect(lines).toHaveLength(1);
  });
});
