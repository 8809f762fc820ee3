import type { StreamConfig } from '@nats-io/jetstream';
import { describe, expect, it } from 'vitest';
import { configDifferences, formatDifferences } from './config-differences';
import { planTopology } from './topology-plan';

const [jobs] = planTopology(
  { models: [], ackWaitMs: 1_000 },
  { metadata: true, exactDiscardNewBytes: true },
).streams;
if (jobs === undefined) throw new Error('no jobs stream planned');

function serverView(overrides: Partial<StreamConfig> = {}): StreamConfig {
  return {
    ...(jobs?.config as StreamConfig),
    max_msgs: -1,
    max_bytes: -1,
    metadata: { 'switchyard.stream': 'jobs', '_nats.ver': '2.11.0' },
    ...overrides,
  };
}

describe('configDifferences', () => {
  it('finds none when the server holds the wanted settings plus its own', () => {
    expect(configDifferences(serverView(), jobs.config)).toEqual([]);
  });

  it('compares subjects as a set', () => {
    const want = { ...jobs.config, subjects: ['b.>', 'a.>'] };
    expect(configDifferences(serverView({ subjects: ['a.>', 'b.>'] }), want)).toEqual([]);
  });

  it('names each differing setting with both values', () => {
    const changes = configDifferences(
      serverView({ retention: 'limits', duplicate_window: 5 }),
      jobs.config,
    );
    expect(changes.map((c) => c.field).sort()).toEqual(['duplicate_window', 'retention']);
    expect(formatDifferences(changes)).toContain('retention: "limits" → "workqueue"');
  });

  it('sees a missing or changed metadata key', () => {
    const changes = configDifferences(serverView({ metadata: {} }), jobs.config);
    expect(changes.map((c) => c.field)).toEqual(['metadata']);
  });
});
