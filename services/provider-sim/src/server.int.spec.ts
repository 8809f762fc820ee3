import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pick, post as postTo } from './int-helpers';
import { startProviderSim, type ProviderSimHandle } from './server';
import { countTokens } from './tokens';

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

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return postTo(`${sim.url}${path}`, body, headers);
}

const openAiAuth = { authorization: 'Bearer good-key' };
const anthropicAuth = { 'x-api-key': 'good-key', 'anthropic-version': '2023-06-01' };
const chat = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Tell me about trains' }] };
const claude = {
  model: 'claude-haiku-4-5',
  max_tokens: 64,
  messages: [{ role: 'user', content: 'Tell me about trains' }],
};
const gemini = { contents: [{ role: 'user', parts: [{ text: 'Tell me about trains' }] }] };

describe('OpenAI routes', () => {
  it.each([
    '/v1/chat/completions',
    '/openai/v1/chat/completions',
    '/d/openai-a/v1/chat/completions',
  ])('answers on %s with rate-limit headers', async (path) => {
    const response = await post(path, chat, openAiAuth);
    expect(response.status).toBe(200);
    expect(pick(response.json, 'object')).toBe('chat.completion');
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
    expect(Number(response.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(
      Number(response.headers.get('x-ratelimit-limit-requests')),
    );
    expect(response.headers.get('x-ratelimit-reset-tokens')).toMatch(/^\d+(\.\d+)?(ms|s)$|m/);
  });

  it('is deterministic: the same request gives the same content and usage', async () => {
    const a = await post('/v1/chat/completions', chat, openAiAuth);
    const b = await post('/v1/chat/completions', chat, openAiAuth);
    expect(pick(a.json, 'choices')).toEqual(pick(b.json, 'choices'));
    expect(pick(a.json, 'usage')).toEqual(pick(b.json, 'usage'));
    expect(pick(a.json, 'id')).not.toBe(pick(b.json, 'id'));
  });

  it('refuses a missing key, a wrong key, bad JSON and unknown paths in OpenAI shape', async () => {
    const missing = await post('/v1/chat/completions', chat);
    expect(missing.status).toBe(401);
    expect(pick(missing.json, 'error', 'message')).toContain("You didn't provide an API key");
    const wrong = await post('/v1/chat/completions', chat, {
      authorization: 'Bearer sk-nope-12345678',
    });
    expect(wrong.status).toBe(401);
    expect(pick(wrong.json, 'error', 'code')).toBe('invalid_api_key');
    const broken = await post('/v1/chat/completions', '{"model": ', openAiAuth);
    expect(broken.status).toBe(400);
    expect(pick(broken.json, 'error', 'type')).toBe('invalid_request_error');
    const nowhere = await post('/v1/chat/completion', chat, openAiAuth);
    expect(nowhere.status).toBe(404);
    expect(pick(nowhere.json, 'error', 'message')).toBe('Invalid URL (POST /v1/chat/completion)');
    expect(sim.stats().providers['openai']?.rejected).toBe(4);
    expect(sim.stats().total.requests).toBe(0);
  });

  it('streams n choices, each ending with its finish_reason', async () => {
    const response = await post(
      '/v1/chat/completions',
      { ...chat, n: 2, stream: true },
      openAiAuth,
    );
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const chunks = response.text
      .split('\n\n')
      .filter((line) => line.startsWith('data: {'))
      .map(
        (line) =>
          JSON.parse(line.slice(6)) as {
            choices: { index: number; delta: { content?: string }; finish_reason: string | null }[];
          },
      );
    const texts = ['', ''];
    for (const chunk of chunks)
      for (const c of chunk.choices) texts[c.index] += c.delta.content ?? '';
    expect(texts[0]).toMatch(/^Simulated reply to:/);
    expect(texts[1]).toMatch(/^Simulated reply 2 to:/);
    expect(chunks.filter((c) => c.choices[0]?.finish_reason === 'stop')).toHaveLength(2);
    expect(response.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});

describe('Azure routes', () => {
  const path = '/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21';

  it('answers with api-key and content-filter annotations', async () => {
    const response = await post(path, { messages: chat.messages }, { 'api-key': 'good-key' });
    expect(response.status).toBe(200);
    expect(pick(response.json, 'model')).toBe('gpt-4o-prod');
    expect(pick(response.json, 'prompt_filter_results')).toHaveLength(1);
    expect(sim.stats().deployments['azure:gpt-4o-prod']?.completed).toBe(1);
  });

  it('says 404 Resource not found without api-version and 401 without a key', async () => {
    const noVersion = await post(
      '/openai/deployments/gpt-4o-prod/chat/completions',
      { messages: chat.messages },
      { 'api-key': 'good-key' },
    );
    expect(noVersion.status).toBe(404);
    expect(noVersion.json).toEqual({ error: { code: '404', message: 'Resource not found' } });
    const noKey = await post(path, { messages: chat.messages });
    expect(noKey.status).toBe(401);
    expect(pick(noKey.json, 'error', 'code')).toBe('401');
  });
});

describe('Anthropic routes', () => {
  it.each(['/v1/messages', '/anthropic/v1/messages', '/d/anthropic-primary/anthropic/v1/messages'])(
    'answers on %s',
    async (path) => {
      const response = await post(path, claude, anthropicAuth);
      expect(response.status).toBe(200);
      expect(pick(response.json, 'type')).toBe('message');
      expect(response.headers.get('request-id')).toMatch(/^req_011C/);
      expect(response.headers.get('anthropic-ratelimit-requests-reset')).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
      );
    },
  );

  it('requires anthropic-version and x-api-key', async () => {
    const noVersion = await post('/v1/messages', claude, { 'x-api-key': 'good-key' });
    expect(noVersion.status).toBe(400);
    expect(pick(noVersion.json, 'error', 'message')).toBe('anthropic-version: header is required');
    const noKey = await post('/v1/messages', claude, { 'anthropic-version': '2023-06-01' });
    expect(noKey.status).toBe(401);
    expect(pick(noKey.json, 'error')).toEqual({
      type: 'authentication_error',
      message: 'x-api-key header is required',
    });
    const badBody = await post('/v1/messages', 'nope', anthropicAuth);
    expect(badBody.status).toBe(400);
    expect(pick(badBody.json, 'type')).toBe('error');
  });

  it('reads and writes the prompt cache at a cache_control breakpoint', async () => {
    const long = Array.from({ length: 1200 }, (_, i) => `word${i}`).join(' ');
    const body = {
      ...claude,
      system: [{ type: 'text', text: long, cache_control: { type: 'ephemeral' } }],
    };
    const first = await post('/d/cached/v1/messages', body, anthropicAuth);
    const second = await post('/d/cached/v1/messages', body, anthropicAuth);
    const written = Number(pick(first.json, 'usage', 'cache_creation_input_tokens'));
    expect(written).toBe(3 + 1200);
    expect(pick(second.json, 'usage')).toMatchObject({
      cache_read_input_tokens: written,
      cache_creation_input_tokens: 0,
    });
    const stats = sim.stats().deployments['cached'];
    expect(stats).toMatchObject({ cachedTokens: written, cacheWriteTokens: written });
    expect(stats?.promptTokens).toBe(
      2 * (Number(pick(second.json, 'usage', 'input_tokens')) + written),
    );
  });
});

describe('Gemini routes', () => {
  it('takes the key from x-goog-api-key or ?key=', async () => {
    const byHeader = await post('/v1beta/models/gemini-2.5-flash:generateContent', gemini, {
      'x-goog-api-key': 'good-key',
    });
    const byQuery = await post(
      '/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=good-key',
      gemini,
    );
    expect(byHeader.status).toBe(200);
    expect(pick(byQuery.json, 'candidates')).toEqual(pick(byHeader.json, 'candidates'));
    const none = await post('/v1beta/models/gemini-2.5-flash:generateContent', gemini);
    expect(none.status).toBe(403);
    expect(pick(none.json, 'error', 'status')).toBe('PERMISSION_DENIED');
  });

  it('streams SSE with CRLF framing, or one JSON array without alt=sse', async () => {
    const sse = await post('/v1beta/models/m:streamGenerateContent?alt=sse&key=good-key', gemini);
    expect(sse.headers.get('content-type')).toBe('text/event-stream');
    const events = sse.text.split('\r\n\r\n').filter((e) => e !== '');
    expect(events.every((e) => e.startsWith('data: {'))).toBe(true);
    const array = await post('/v1beta/models/m:streamGenerateContent?key=good-key', gemini);
    const items = JSON.parse(array.text) as { usageMetadata: { candidatesTokenCount: number } }[];
    expect(items).toHaveLength(events.length);
    expect(items.at(-1)?.usageMetadata.candidatesTokenCount).toBe(16);
  });

  it('refuses unknown fields in Google shape', async () => {
    const response = await post('/v1beta/models/m:generateContent?key=good-key', {
      ...gemini,
      max_tokens: 5,
    });
    expect(response.status).toBe(400);
    expect(pick(response.json, 'error')).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' });
  });
});

describe('stats', () => {
  it('count exactly the tokens every provider reported', async () => {
    const a = await post('/v1/chat/completions', { ...chat, max_tokens: 5 }, openAiAuth);
    const b = await post('/v1/messages', claude, anthropicAuth);
    const c = await post('/v1beta/models/gemini-2.5-flash:generateContent?key=good-key', gemini);
    const prompt =
      Number(pick(a.json, 'usage', 'prompt_tokens')) +
      Number(pick(b.json, 'usage', 'input_tokens')) +
      Number(pick(c.json, 'usageMetadata', 'promptTokenCount'));
    const completion =
      Number(pick(a.json, 'usage', 'completion_tokens')) +
      Number(pick(b.json, 'usage', 'output_tokens')) +
      Number(pick(c.json, 'usageMetadata', 'candidatesTokenCount'));
    const stats = sim.stats();
    expect(stats.total).toMatchObject({
      requests: 3,
      completed: 3,
      promptTokens: prompt,
      completionTokens: completion,
    });
    expect(stats.models['gpt-4o']?.completionTokens).toBe(5);
    const text: unknown = pick(b.json, 'content', 0, 'text');
    expect(stats.deployments['anthropic:claude-haiku-4-5']?.completionTokens).toBe(
      countTokens(typeof text === 'string' ? text : ''),
    );
  });
});

describe('control API', () => {
  async function control(method: string, path: string, body?: unknown) {
    const response = await fetch(`${sim.url}${path}`, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const json: unknown = await response.json();
    return { status: response.status, json };
  }

  it('adds, lists, applies and removes fault rules', async () => {
    const added = await control('POST', '/_sim/faults', {
      deployment: 'x',
      fault: 'rate_limit; retry_after=4',
      count: 1,
    });
    expect(added.status).toBe(201);
    expect(pick(added.json, 'faults', 0)).toMatchObject({
      id: 'f1',
      fault: 'rate_limit',
      params: { retry_after: 4 },
    });
    const limited = await post('/d/x/v1/chat/completions', chat, openAiAuth);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('4');
    expect((await post('/d/x/v1/chat/completions', chat, openAiAuth)).status).toBe(200);
    expect(pick((await control('GET', '/_sim/faults')).json, 'faults', 0)).toMatchObject({
      applied: 1,
      matched: 1,
    });
    expect((await control('DELETE', '/_sim/faults/f1')).status).toBe(200);
    expect((await control('DELETE', '/_sim/faults/f1')).status).toBe(404);
    expect(pick((await control('GET', '/_sim/stats')).json, 'deployments', 'x', 'faults')).toEqual({
      rate_limit: 1,
    });
  });

  it('changes settings and latency at run time, and reset restores them', async () => {
    expect(
      (await control('POST', '/_sim/settings', { deployment: 'small', contextWindow: 5 })).status,
    ).toBe(200);
    const tooLong = await post('/d/small/v1/chat/completions', chat, openAiAuth);
    expect(tooLong.status).toBe(400);
    expect(pick(tooLong.json, 'error', 'code')).toBe('context_length_exceeded');
    expect((await control('POST', '/_sim/latency', { provider: 'openai', ttftMs: 1 })).status).toBe(
      200,
    );
    expect((await control('POST', '/_sim/reset')).status).toBe(200);
    expect((await post('/d/small/v1/chat/completions', chat, openAiAuth)).status).toBe(200);
  });

  it('reports bad control input', async () => {
    expect((await control('POST', '/_sim/faults', { fault: 'lightning' })).status).toBe(400);
    expect((await control('POST', '/_sim/settings', { provider: 'mistral' })).status).toBe(400);
    expect((await control('POST', '/_sim/latency', { ttftMs: -5 })).status).toBe(400);
    expect((await control('GET', '/_sim/nothing')).status).toBe(404);
    expect((await control('GET', '/_sim/health')).json).toEqual({ ok: true });
  });
});

describe('bad input', () => {
  it.each([
    ['/v1/chat/completions', openAiAuth],
    ['/openai/deployments/d/chat/completions?api-version=2024-10-21', { 'api-key': 'good-key' }],
    ['/v1/messages', anthropicAuth],
    ['/v1beta/models/m:streamGenerateContent?alt=sse&key=good-key', {}],
  ])('%s answers any JSON body without a server error', async (path, headers) => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (body) => {
        const response = await post(path, body, headers);
        expect([200, 400]).toContain(response.status);
      }),
      { numRuns: 150 },
    );
    const messy = await post(
      path,
      {
        messages: [{ role: 'user', content: [null, 1, { type: 'image' }] }],
        contents: [{ parts: [null] }],
      },
      headers,
    );
    expect(messy.status).toBeLessThan(500);
  });
});
