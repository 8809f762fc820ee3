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
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('provider call failed');
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
