import { describe, expect, it } from 'vitest';
import { parseScenario, resolveSettings } from './scenario';

describe('parseScenario', () => {
  it('accepts a full scenario', () => {
    const scenario = parseScenario({
      seed: 7,
      apiKeys: ['k'],
      defaults: { replyTokens: 8 },
      providers: { anthropic: { latency: { ttftMs: 100 } } },
      deployments: { 'anthropic-primary': { contextWindow: 4000, rateLimit: { rpm: 60 } } },
      faults: [{ deployment: 'anthropic-primary', fault: 'rate_limit; retry_after=2', count: 3 }],
    });
    expect(scenario.ok).toBe(true);
  });

  it('says what is wrong, with the path', () => {
    const unknownField = parseScenario({ deployments: { a: { context_window: 5 } } });
    expect(unknownField.ok ? '' : unknownField.message).toContain('context_window');
    const badFault = parseScenario({ faults: [{ fault: 'volcano' }] });
    expect(badFault.ok ? '' : badFault.message).toContain('unknown fault kind');
    expect(parseScenario({ providers: { mistral: {} } }).ok).toBe(false);
    expect(parseScenario({ defaults: { latency: { ttftMs: -1 } } }).ok).toBe(false);
  });
});

describe('resolveSettings', () => {
  it('layers field by field, latency fields one by one', () => {
    const settings = resolveSettings([
      { replyTokens: 8, latency: { ttftMs: 100, perTokenMs: 5 } },
      undefined,
      { latency: { perTokenMs: 20 }, contextWindow: 1000 },
    ]);
    expect(settings).toEqual({
      latency: { ttftMs: 100, perTokenMs: 20, jitterMs: 0 },
      replyTokens: 8,
      chunkTokens: 1,
      contextWindow: 1000,
      promptCache: true,
      randomReplies: false,
    });
  });

  it('layers randomReplies like the other fields, off by default', () => {
    expect(resolveSettings([]).randomReplies).toBe(false);
    expect(resolveSettings([{ randomReplies: true }]).randomReplies).toBe(true);
    expect(resolveSettings([{ randomReplies: true }, { randomReplies: false }]).randomReplies).toBe(
      false,
    );
    expect(parseScenario({ defaults: { randomReplies: 'yes' } }).ok).toBe(false);
  });
});
