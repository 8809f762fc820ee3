import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callApi, pick, type ApiName } from './int-helpers';
import { startProviderSim, type ProviderSimHandle } from './server';

let sim: ProviderSimHandle;

beforeAll(async () => {
  sim = await startProviderSim({ scenario: { apiKeys: ['good-key'] } });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.reset();
});

const apis: ApiName[] = ['openai', 'azure', 'anthropic', 'gemini'];
const call = (api: ApiName, options: Parameters<typeof callApi>[2] = {}) =>
  callApi(sim.url, api, options);

describe.each(apis)('%s: HTTP error faults', (api) => {
  it('rate_limit: 429, the retry delay and the provider rate-limit state', async () => {
    const response = await call(api, { fault: 'rate_limit; retry_after=9' });
    expect(response.status).toBe(429);
    switch (api) {
      case 'openai':
        expect(response.headers.get('retry-after')).toBe('9');
        expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('0');
        expect(response.headers.get('x-ratelimit-reset-requests')).toBe('9s');
        expect(pick(response.json, 'error', 'code')).toBe('rate_limit_exceeded');
        expect(pick(response.json, 'error', 'message')).toContain('Please try again in 9s');
        break;
      case 'azure':
        expect(response.headers.get('retry-after')).toBe('9');
        expect(response.headers.get('retry-after-ms')).toBe('9000');
        expect(pick(response.json, 'error', 'code')).toBe('429');
        break;
      case 'anthropic':
        expect(response.headers.get('retry-after')).toBe('9');
        expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('0');
        expect(pick(response.json, 'error', 'type')).toBe('rate_limit_error');
        break;
      case 'gemini':
        expect(response.headers.get('retry-after')).toBeNull();
        expect(pick(response.json, 'error', 'status')).toBe('RESOURCE_EXHAUSTED');
        expect(pick(response.json, 'error', 'details', 2)).toEqual({
          '@type': 'type.googleapis.com/google.rpc.RetryInfo',
          retryDelay: '9s',
        });
    }
  });

  it.each([
    ['server_error', { openai: 500, azure: 500, anthropic: 500, gemini: 500 }],
    ['unavailable', { openai: 503, azure: 503, anthropic: 503, gemini: 503 }],
    ['overloaded', { openai: 503, azure: 503, anthropic: 529, gemini: 503 }],
    ['auth', { openai: 401, azure: 401, anthropic: 401, gemini: 400 }],
    ['not_found', { openai: 404, azure: 404, anthropic: 404, gemini: 404 }],
    ['context_length', { openai: 400, azure: 400, anthropic: 400, gemini: 400 }],
  ] as const)('%s: the provider status and a JSON error body', async (fault, statuses) => {
    const response = await call(api, { fault });
    expect(response.status).toBe(statuses[api]);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(pick(response.json, 'error')).toBeDefined();
    expect(sim.stats().total.faults).toEqual({ [fault]: 1 });
    expect(sim.stats().total.completed).toBe(0);
  });

  it('context_length: the real wording with the counts', async () => {
    const response = await call(api, { fault: 'context_length; tokens=5000; max=4096' });
    const message = {
      openai:
        "This model's maximum context length is 4096 tokens. However, your messages resulted in 5000 tokens. Please reduce the length of the messages.",
      azure:
        "This model's maximum context length is 4096 tokens. However, your messages resulted in 5000 tokens. Please reduce the length of the messages.",
      anthropic: 'prompt is too long: 5000 tokens > 4096 maximum',
      gemini: 'The input token count (5000) exceeds the maximum number of tokens allowed (4096).',
    }[api];
    expect(pick(response.json, 'error', 'message')).toBe(message);
  });

  it('context_length happens by itself above a configured context window', async () => {
    sim.configure({ contextWindow: 9 }, { deployment: 'tiny' });
    const response = await call(api, { deployment: 'tiny' });
    expect(response.status).toBe(400);
    expect(String(pick(response.json, 'error', 'message'))).toMatch(/\b10\b.*\b9\b|\b9\b.*\b10\b/);
    expect(sim.stats().deployments['tiny']?.faults).toEqual({ context_length: 1 });
  });

  it('html_error: 502 with an HTML page, as a proxy would', async () => {
    const response = await call(api, { fault: 'html_error' });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(response.text).toContain('<title>502 Bad Gateway</title>');
  });

  it('malformed_json: 200 with a body that is not JSON', async () => {
    const response = await call(api, { fault: 'malformed_json' });
    expect(response.status).toBe(200);
    expect(response.text.startsWith('{')).toBe(true);
    expect(response.json).toBeUndefined();
  });

  it('empty_body: 200 with nothing in it', async () => {
    const response = await call(api, { fault: 'empty_body' });
    expect(response.status).toBe(200);
    expect(response.text).toBe('');
  });

  it('reset: the connection is destroyed without an answer', async () => {
    await expect(call(api, { fault: 'reset' })).rejects.toThrow();
  });

  it('timeout with ms: the answer comes after the hold', async () => {
    const started = performance.now();
    const response = await call(api, { fault: 'timeout; ms=120' });
    expect(response.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(sim.stats().total).toMatchObject({ completed: 1, faults: { timeout: 1 } });
  });

  it('timeout without ms: held until the client gives up', async () => {
    await expect(
      call(api, { fault: 'timeout', signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sim.stats().total).toMatchObject({ completed: 0, aborted: 1 });
  });
});

describe('content_policy', () => {
  it('OpenAI: 400 content_policy_violation', async () => {
    const response = await call('openai', { fault: 'content_policy' });
    expect(response.status).toBe(400);
    expect(pick(response.json, 'error', 'code')).toBe('content_policy_violation');
  });

  it('Azure: 400 content_filter with the filter results', async () => {
    const response = await call('azure', { fault: 'content_policy' });
    expect(response.status).toBe(400);
    expect(pick(response.json, 'error', 'code')).toBe('content_filter');
    expect(pick(response.json, 'error', 'innererror', 'code')).toBe('ResponsibleAIPolicyViolation');
  });

  it('Anthropic: 400 "Output blocked by content filtering policy", or a 200 refusal', async () => {
    const blocked = await call('anthropic', { fault: 'content_policy' });
    expect(blocked.status).toBe(400);
    expect(pick(blocked.json, 'error', 'message')).toBe(
      'Output blocked by content filtering policy',
    );
    const refused = await call('anthropic', { fault: 'content_policy; mode=refusal' });
    expect(refused.status).toBe(200);
    expect(refused.json).toMatchObject({ stop_reason: 'refusal', content: [] });
    const streamed = await call('anthropic', {
      fault: 'content_policy; mode=refusal',
      stream: true,
    });
    expect(streamed.text).toContain('"stop_reason":"refusal"');
    expect(streamed.text).toContain('event: message_stop');
  });

  it('Gemini: 200 with promptFeedback.blockReason SAFETY and no candidates', async () => {
    for (const stream of [false, true]) {
      const response = await call('gemini', { fault: 'content_policy', stream });
      expect(response.status).toBe(200);
      const body = stream ? (JSON.parse(response.text.slice(6)) as unknown) : response.json;
      expect(pick(body, 'promptFeedback', 'blockReason')).toBe('SAFETY');
      expect(pick(body, 'candidates')).toBeUndefined();
    }
    expect(sim.stats().total).toMatchObject({ completed: 0, faults: { content_policy: 2 } });
  });
});

describe.each(apis)('%s: stream faults', (api) => {
  const endMark: Record<ApiName, string> = {
    openai: 'data: [DONE]',
    azure: 'data: [DONE]',
    anthropic: 'event: message_stop',
    gemini: '"finishReason"',
  };

  it('the full stream has its end mark', async () => {
    const response = await call(api, { stream: true });
    expect(response.text).toContain(endMark[api]);
    expect(sim.stats().total).toMatchObject({ streams: 1, completed: 1 });
  });

  it('cut_stream: stops after N events without the end mark', async () => {
    const response = await call(api, { stream: true, fault: 'cut_stream; after=3' });
    expect(response.status).toBe(200);
    expect(response.text).not.toContain(endMark[api]);
    expect(response.text.split(/\r?\n\r?\n/).filter((event) => event.trim() !== '')).toHaveLength(
      3,
    );
    expect(sim.stats().total).toMatchObject({ completed: 0, faults: { cut_stream: 1 } });
  });

  it('overloaded with after: an error event in the middle of the stream', async () => {
    const response = await call(api, { stream: true, fault: 'overloaded; after=2' });
    expect(response.status).toBe(200);
    const events = response.text.split(/\r?\n\r?\n/).filter((event) => event.trim() !== '');
    expect(events).toHaveLength(3);
    expect(events[2]).toMatch(
      api === 'anthropic' ? /^event: error\ndata: .*overloaded_error/ : /^data: \{"error"/,
    );
  });

  it('reset with after: the socket dies mid-stream', async () => {
    await expect(call(api, { stream: true, fault: 'reset; after=2' })).rejects.toThrow();
  });

  it('malformed_json: one event carries broken JSON', async () => {
    const response = await call(api, { stream: true, fault: 'malformed_json; after=1' });
    const events = response.text.split(/\r?\n\r?\n/).filter((event) => event.trim() !== '');
    const broken = events.filter((event) => {
      const data = /^data: (.*)$/m.exec(event)?.[1] ?? '';
      if (data === '[DONE]') return false;
      try {
        JSON.parse(data);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(1);
  });

  it('timeout with after: the stream stalls, then resumes after ms', async () => {
    const started = performance.now();
    const response = await call(api, { stream: true, fault: 'timeout; after=1; ms=100' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(response.text).toContain(endMark[api]);
  });
});

describe('scripted faults', () => {
  it('apply to the next N matching requests of a deployment, then stop', async () => {
    sim.setFaults([{ deployment: 'anthropic-primary', fault: 'overloaded', count: 2 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call('anthropic', { deployment: 'anthropic-primary' })).status);
    statuses.push((await call('anthropic')).status);
    expect(statuses).toEqual([529, 529, 200, 200]);
    expect(sim.stats().deployments['anthropic-primary']).toMatchObject({
      requests: 3,
      completed: 1,
      faults: { overloaded: 2 },
    });
  });

  it('apply to every Nth request of a provider', async () => {
    sim.setFaults([{ provider: 'gemini', fault: 'server_error', every: 2 }]);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call('gemini')).status);
    expect(statuses).toEqual([200, 500, 200, 500]);
  });

  it('come from the scenario and return after reset', async () => {
    const scripted = await startProviderSim({
      scenario: { faults: [{ model: 'gpt-4o', fault: 'rate_limit; retry_after=1', count: 1 }] },
    });
    try {
      expect((await callApi(scripted.url, 'openai')).status).toBe(429);
      expect((await callApi(scripted.url, 'openai')).status).toBe(200);
      scripted.reset();
      expect((await callApi(scripted.url, 'openai')).status).toBe(429);
    } finally {
      await scripted.stop();
    }
  });

  it('enforce configured rate limits with 429 and a retry delay', async () => {
    sim.configure({ rateLimit: { rpm: 2 } }, { deployment: 'limited' });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await call('openai', { deployment: 'limited' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await call('openai', { deployment: 'limited' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(29);
  });

  it('reject an unknown fault in the header with the provider 400', async () => {
    const response = await call('openai', { fault: 'gremlins' });
    expect(response.status).toBe(400);
    expect(pick(response.json, 'error', 'message')).toContain(
      'x-sim-fault: unknown fault "gremlins"',
    );
  });
});
