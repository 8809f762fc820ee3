import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apis, callApi } from './int-helpers';
import { startProviderSim, type ProviderSimHandle } from './server';

let sim: ProviderSimHandle;

beforeAll(async () => {
  sim = await startProviderSim({
    scenario: {
      seed: 42,
      deployments: {
        slow: { latency: { ttftMs: 120, perTokenMs: 30 }, replyTokens: 5 },
        jittery: { latency: { ttftMs: 20, jitterMs: 40 }, replyTokens: 3 },
      },
    },
  });
});
afterAll(async () => {
  await sim.stop();
});

/** Arrival times (ms after sending) of each stream read that carried content. */
async function arrivals(path: string): Promise<number[]> {
  const started = performance.now();
  const response = await fetch(`${sim.url}${path}`, {
    method: 'POST',
    headers: { ...apis.openai.headers, 'content-type': 'application/json' },
    body: JSON.stringify(apis.openai.body(true)),
  });
  const times: number[] = [];
  const decoder = new TextDecoder();
  const reader = response.body?.getReader();
  for (;;) {
    const read = await reader?.read();
    if (read === undefined || read.done) break;
    const chunk: Uint8Array = read.value as Uint8Array;
    if (decoder.decode(chunk).includes('"content":"')) times.push(performance.now() - started);
  }
  return times;
}

describe('latency', () => {
  it('spaces stream chunks in time: time to first token, then a delay per token', async () => {
    const times = await arrivals('/d/slow/v1/chat/completions');
    expect(times[0]).toBeGreaterThanOrEqual(115);
    const content = times.slice(1);
    expect(content.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < content.length; i++) {
      expect((content[i] ?? 0) - (content[i - 1] ?? 0)).toBeGreaterThanOrEqual(20);
    }
    expect(times.at(-1)).toBeGreaterThanOrEqual(115 + 4 * 28);
  });

  it('delays a non-streaming answer by the time to first token plus the later tokens', async () => {
    const started = performance.now();
    const response = await callApi(sim.url, 'anthropic', { deployment: 'slow' });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(115 + 4 * 28);
  });

  it('adds jitter within [0, jitterMs) on top of the time to first token', async () => {
    for (let i = 0; i < 4; i++) {
      const started = performance.now();
      await callApi(sim.url, 'openai', { deployment: 'jittery' });
      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(18);
      expect(took).toBeLessThan(20 + 40 + 200);
    }
  });
});
