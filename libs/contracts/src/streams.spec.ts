import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  keysBucketName,
  MAX_JETSTREAM_NAME_LENGTH,
  modelConsumerName,
  tenantConsumerName,
  StreamNameError,
  StreamNames,
  streamNames,
} from './streams';

/** What nats-server and nats.js refuse in stream and consumer names. */
const forbiddenInNames = /[.*>/\\\s]/;

describe('streamNames', () => {
  it('names the six streams', () => {
    expect(streamNames()).toEqual({
      jobs: 'LLM_JOBS',
      dlq: 'LLM_DLQ',
      usage: 'LLM_USAGE',
      results: 'LLM_RESULTS',
      answers: 'LLM_ANSWERS',
      cancels: 'LLM_CANCELS',
    });
    expect(streamNames()).toBe(StreamNames);
  });

  it('prefixes every name for test isolation', () => {
    expect(streamNames('T1')).toEqual({
      jobs: 'T1_LLM_JOBS',
      dlq: 'T1_LLM_DLQ',
      usage: 'T1_LLM_USAGE',
      results: 'T1_LLM_RESULTS',
      answers: 'T1_LLM_ANSWERS',
      cancels: 'T1_LLM_CANCELS',
    });
  });

  it("takes '' (the config's default stream_prefix) as no prefix", () => {
    expect(streamNames('')).toEqual(streamNames());
  });

  it.each(['a.b', 'a b', 'x'.repeat(33), 'T*'])('refuses the prefix %j', (prefix) => {
    expect(() => streamNames(prefix)).toThrow(StreamNameError);
  });
});

describe('keysBucketName', () => {
  it('names the keys bucket, prefixed like the streams', () => {
    expect(keysBucketName()).toBe('SWITCHYARD_KEYS');
    expect(keysBucketName('')).toBe('SWITCHYARD_KEYS');
    expect(keysBucketName('T1')).toBe('T1_SWITCHYARD_KEYS');
  });

  it('refuses a prefix streamNames refuses', () => {
    expect(() => keysBucketName('a.b')).toThrow(StreamNameError);
  });
});

describe('modelConsumerName', () => {
  it('is model- followed by the subject token of the name', () => {
    expect(modelConsumerName('openai/gpt-4o')).toBe('model-openai~2Fgpt-4o');
    expect(modelConsumerName('claude-3.5')).toBe('model-claude-3~2E5');
    expect(modelConsumerName('fast-triage-model')).toBe('model-fast-triage-model');
  });

  it('is always a valid JetStream name, however long or strange the model name', () => {
    const model = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 256 })
      .filter((name) => name.length <= 256 && !/\p{Cc}/u.test(name));
    fc.assert(
      fc.property(model, (name) => {
        const consumer = modelConsumerName(name);
        expect(consumer).toMatch(/^[A-Za-z0-9_~-]+$/);
        expect(consumer).not.toMatch(forbiddenInNames);
        expect(consumer.length).toBeLessThanOrEqual(MAX_JETSTREAM_NAME_LENGTH);
      }),
      { numRuns: 500 },
    );
  });

  it('shortens a name whose token is too long with a hash, keeping distinct names distinct', () => {
    const a = `${'€'.repeat(100)}a`;
    const b = `${'€'.repeat(100)}b`;
    const nameA = modelConsumerName(a);
    expect(nameA).toMatch(/^model~(~E2~82~AC){20}~[0-9a-f]{32}$/);
    expect(nameA.length).toBeLessThanOrEqual(MAX_JETSTREAM_NAME_LENGTH);
    expect(modelConsumerName(b)).not.toBe(nameA);
    expect(modelConsumerName(a)).toBe(nameA);
  });

  it('does not cut an escape in half when shortening', () => {
    const name = `${'x'.repeat(179)}${'/'.repeat(40)}`;
    expect(modelConsumerName(name)).toMatch(/^model~x{179}~[0-9a-f]{32}$/);
  });

  it('keeps names that fit as they are, right up to the limit', () => {
    const fits = 'm'.repeat(MAX_JETSTREAM_NAME_LENGTH - 'model-'.length);
    expect(modelConsumerName(fits)).toBe(`model-${fits}`);
    expect(modelConsumerName(`${fits.slice(0, -1)}.`)).toMatch(/^model~/);
  });

  it('refuses an invalid model name', () => {
    expect(() => modelConsumerName('')).toThrow(StreamNameError);
    expect(() => modelConsumerName('a\nb')).toThrow('must be printable text');
  });
});

describe('tenantConsumerName', () => {
  const batchConsumerName = (tenant: string, model: string) =>
    tenantConsumerName(tenant, model, 'batch');

  it('is the lane, -, the tenant, ~ and the subject token of the model', () => {
    expect(batchConsumerName('acme', 'openai/gpt-4o')).toBe('batch-acme~openai~2Fgpt-4o');
    expect(batchConsumerName('beta-team', 'fast-triage-model')).toBe(
      'batch-beta-team~fast-triage-model',
    );
    expect(tenantConsumerName('acme', 'openai/gpt-4o', 'interactive')).toBe(
      'interactive-acme~openai~2Fgpt-4o',
    );
  });

  it('names the lanes of one tenant and model apart', () => {
    expect(tenantConsumerName('acme', 'm', 'interactive')).not.toBe(
      tenantConsumerName('acme', 'm', 'batch'),
    );
    const tenant = 't'.repeat(64);
    const long = `${'€'.repeat(100)}a`;
    expect(tenantConsumerName(tenant, long, 'interactive')).toMatch(/^interactive~/);
  });

  it('gives every tenant and model its own valid JetStream name', () => {
    const tenant = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const model = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 256 })
      .filter((name) => !/\p{Cc}/u.test(name));
    fc.assert(
      fc.property(tenant, tenant, model, (a, b, name) => {
        const consumer = batchConsumerName(a, name);
        expect(consumer).toMatch(/^batch[-~][A-Za-z0-9_~-]+$/);
        expect(consumer).not.toMatch(forbiddenInNames);
        expect(consumer.length).toBeLessThanOrEqual(MAX_JETSTREAM_NAME_LENGTH);
        if (a !== b) expect(batchConsumerName(b, name)).not.toBe(consumer);
      }),
      { numRuns: 500 },
    );
  });

  it('shortens a name that is too long with a hash of tenant and model', () => {
    const tenant = 't'.repeat(64);
    const a = `${'€'.repeat(100)}a`;
    const name = batchConsumerName(tenant, a);
    expect(name).toMatch(new RegExp(`^batch~${tenant}~(~[0-9A-F]{2})+~[0-9a-f]{32}$`));
    expect(name.length).toBeLessThanOrEqual(MAX_JETSTREAM_NAME_LENGTH);
    expect(batchConsumerName(tenant, `${'€'.repeat(100)}b`)).not.toBe(name);
  });

  it('refuses an invalid tenant or model', () => {
    expect(() => batchConsumerName('a.b', 'm')).toThrow(StreamNameError);
    expect(() => batchConsumerName('acme', '')).toThrow(StreamNameError);
  });
});
