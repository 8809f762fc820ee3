import { describe, expect, it } from 'vitest';
import { jobsAckWaitMs, longestCallMs, topologyOf } from './jobs-ack-wait';
import { parseConfig } from './parse-config';

const models = [
  'model_list:',
  '  - model_name: a',
  '    litellm_params: { model: openai/gpt-4o-mini, api_key: k, timeout: 20 }',
  '  - model_name: b',
  '    litellm_params: { model: openai/gpt-4o, api_key: k, timeout: 5 }',
];

describe('jobsAckWaitMs', () => {
  it('is 30 s by default, however long the provider timeouts', () => {
    const { config } = parseConfig([...models, 'router_settings: { timeout: 600 }'].join('\n'), {
      env: {},
    });
    expect(jobsAckWaitMs(config)).toBe(30_000);
    expect(longestCallMs(config)).toBe(600_000);
  });

  it('is switchyard.worker.ack_wait_seconds when set', () => {
    const yaml = [...models, 'switchyard: { worker: { ack_wait_seconds: 5 } }'].join('\n');
    expect(jobsAckWaitMs(parseConfig(yaml, { env: {} }).config)).toBe(5_000);
  });

  it('refuses an AckWait that is not a positive duration', () => {
    const yaml = [...models, 'switchyard: { worker: { ack_wait_seconds: 0 } }'].join('\n');
    expect(() => parseConfig(yaml, { env: {} })).toThrow(/ack_wait_seconds/);
  });
});

describe('topologyOf', () => {
  it("is the config's stream settings, one consumer per model and the jobs AckWait", () => {
    const yaml = [
      ...models,
      'switchyard:',
      '  nats: { subject_root: sy, stream_prefix: T1, replicas: 3, storage: memory }',
      '  worker: { max_in_flight: 4000, max_in_flight_by_model: { b: 50 } }',
    ].join('\n');
    const { config } = parseConfig(yaml, { env: {} });
    expect(topologyOf(config)).toEqual({
      subjectRoot: 'sy',
      streamPrefix: 'T1',
      replicas: 3,
      storage: 'memory',
      maxBytes: { jobs: -1, dlq: -1, usage: -1, results: -1, answers: -1, cancels: -1 },
      jobsMaxMessages: -1,
      duplicateWindowMs: 120_000,
      answersMaxAgeMs: 86_400_000,
      models: ['a', 'b'],
      ackWaitMs: jobsAckWaitMs(config),
      maxAckPending: 4_000,
      maxAckPendingByModel: { b: 50 },
    });
  });

  it('refuses max_in_flight_by_model naming a model that is not configured', () => {
    const yaml = [...models, 'switchyard: { worker: { max_in_flight_by_model: { c: 5 } } }'].join(
      '\n',
    );
    expect(() => parseConfig(yaml, { env: {} })).toThrow(
      /max_in_flight_by_model\.c.*names no model of model_list: "c"/s,
    );
  });
});
