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

/**
 * When each token of a stream arrived (ms after sending): the time of the read that carried
 * it, once per token with content (a busy machine may read two in one).
 */
async function tokenArrivals(path: string): Promise<number[]> {
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
    const at = performance.now() - started;
    const text = decoder.decode(read.value as Uint8Array, { stream: true });
    const tokens = text.match(/"content":"[^"]/g)?.length ?? 0;
    for (let i = 0; i < tokens; i++) times.push(at);
  }
  return times;
}

describe('latency', () => {
  it('spaces stream chunks in time: time to first token, then a delay per token', async () => {
    const times = await tokenArrivals('/d/slow/v1/chat/completions');
    expect(times).toHaveLength(5);
    // Token k leaves after the time to first token and k delays (a few ms of timer slack);
    // a busy machine may read it later, never sooner.
    times.forEach((at, k) => expect(at).toBeGreaterThanOrEqual(115 + k * 28));
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
