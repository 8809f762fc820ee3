import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallOutcome, SimCall } from './call-ledger';
import {
  apis,
  callApi,
  deliveredText,
  pick,
  post,
  type ApiName,
  type CallOptions,
} from './int-helpers';
import { startProviderSim, type ProviderSimHandle } from './server';

let sim: ProviderSimHandle;

beforeAll(async () => {
  sim = await startProviderSim({
    scenario: {
      apiKeys: ['good-key'],
      deployments: {
        'held-stream': { latency: { perTokenMs: 600_000 } },
        'held-wait': { latency: { ttftMs: 600_000 } },
        fixed: { replyTokens: 48 },
      },
    },
  });
});
afterAll(async () => {
  await sim.stop();
});
beforeEach(() => {
  sim.reset();
});

const apiNames: ApiName[] = ['openai', 'azure', 'anthropic', 'gemini'];
const call = (api: ApiName, options: CallOptions = {}) => callApi(sim.url, api, options);

/** The only call with `key`. */
function onlyCall(key: string): SimCall {
  const calls = sim.calls({ key });
  expect(calls).toHaveLength(1);
  return calls[0] as SimCall;
}

/** Waits until the only call with `key` has `outcome` (ended by the server on its own time). */
async function untilOutcome(key: string, outcome: CallOutcome): Promise<SimCall> {
  return vi.waitFor(
    () => {
      const found = onlyCall(key);
      expect(found.outcome).toBe(outcome);
      return found;
    },
    { timeout: 10_000, interval: 10 },
  );
}

/** The ledger agrees with the counters: one entry per request, the same outcomes and tokens. */
function expectLedgerMatchesStats(): void {
  const calls = sim.calls();
  const total = sim.stats().total;
  const completed = calls.filter((entry) => entry.outcome === 'completed');
  expect(calls).toHaveLength(total.requests);
  expect(calls.filter((entry) => entry.stream)).toHaveLength(total.streams);
  expect(completed).toHaveLength(total.completed);
  expect(calls.filter((entry) => entry.outcome === 'aborted')).toHaveLength(total.aborted);
  expect(completed.reduce((sum, entry) => sum + entry.completionTokens, 0)).toBe(
    total.completionTokens,
  );
  expect(completed.reduce((sum, entry) => sum + entry.promptTokens, 0)).toBe(total.promptTokens);
  const faulted = calls.filter((entry) => entry.fault !== null).length;
  expect(faulted).toBe(Object.values(total.faults).reduce((sum, n) => sum + n, 0));
}

/** Makes a non-streaming call that the simulator holds, aborts it once it is in the ledger. */
async function abortWhileHeld(api: ApiName, key: string, options: CallOptions): Promise<SimCall> {
  const controller = new AbortController();
  const pending = call(api, { ...options, prompt: key, signal: controller.signal });
  await untilOutcome(key, 'in_flight');
  controller.abort();
  await expect(pending).rejects.toThrow();
  return untilOutcome(key, 'aborted');
}

/** Starts a streaming call and reads until some reply text arrived; the caller aborts it. */
async function startStream(
  api: ApiName,
  prompt: string,
  deployment: string,
): Promise<{ received: string; abort: () => void }> {
  const controller = new AbortController();
  const spec = apis[api];
  const response = await fetch(`${sim.url}/d/${deployment}${spec.path(true)}`, {
    method: 'POST',
    headers: { ...spec.headers, 'content-type': 'application/json' },
    body: JSON.stringify(spec.body(true, prompt)),
    signal: controller.signal,
  });
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let received = '';
  while (deliveredText(api, received) === '') {
    const read = await reader?.read();
    if (read === undefined || read.done) break;
    received += decoder.decode(read.value as Uint8Array, { stream: true });
  }
  return { received, abort: () => controller.abort() };
}

describe.each(apiNames)('%s: the call ledger', (api) => {
  it('records a completed call with its key, reply text, tokens and user agent', async () => {
    for (const stream of [false, true]) {
      const key = `job-1-${String(stream)}: triage this`;
      const response = await call(api, {
        stream,
        prompt: key,
        headers: { 'user-agent': 'ledger-spec/1.0' },
      });
      expect(response.status).toBe(200);
      const entry = onlyCall(key);
      expect(entry.endedAt).toBeGreaterThan(Date.now() - 10_000);
      expect(entry).toMatchObject({
        provider: api,
        stream,
        key,
        outcome: 'completed',
        fault: null,
        userAgent: 'ledger-spec/1.0',
      });
      expect(entry.text.startsWith(`Simulated reply to: job-1-${String(stream)}`)).toBe(true);
      expect(deliveredText(api, response.text)).toBe(entry.text);
      expect([...response.headers.values()]).toContain(entry.requestId);
      expect(entry.completionTokens).toBeGreaterThan(0);
    }
    const [first, second] = sim.calls();
    expect([first?.seq, second?.seq]).toEqual([1, 2]);
    expect(second?.deployment).toBe(first?.deployment);
    expect(sim.stats().deployments[first?.deployment ?? '']?.requests).toBe(2);
    expectLedgerMatchesStats();
  });

  it('records a client that aborts mid-stream as aborted, its full text kept', async () => {
    const key = `job-2: ${api} stream`;
    const stream = await startStream(api, key, 'held-stream');
    expect(onlyCall(key)).toMatchObject({ outcome: 'in_flight', endedAt: null });
    stream.abort();
    const entry = await untilOutcome(key, 'aborted');
    const partial = deliveredText(api, stream.received);
    expect(partial).not.toBe('');
    expect(entry.text.startsWith(partial)).toBe(true);
    expect(entry.text.length).toBeGreaterThan(partial.length);
    expect(entry).toMatchObject({ deployment: 'held-stream', stream: true, fault: null });
    expectLedgerMatchesStats();
  });

  it('records a client that aborts while waiting for the answer as aborted', async () => {
    const entry = await abortWhileHeld(api, `job-3: ${api} wait`, { deployment: 'held-wait' });
    expect(entry).toMatchObject({ deployment: 'held-wait', stream: false, fault: null });
    expectLedgerMatchesStats();
  });

  it.each([
    ['overloaded', false, 'faulted'],
    ['rate_limit; retry_after=2', false, 'faulted'],
    ['content_policy', false, 'faulted'],
    ['empty_body', true, 'faulted'],
    ['cut_stream; after=3', true, 'faulted'],
    ['server_error; after=2', true, 'faulted'],
    ['malformed_json; after=1', true, 'faulted'],
    ['timeout; ms=1', false, 'completed'],
    ['timeout; after=1; ms=1', true, 'completed'],
  ] as const)('fault %s (stream: %s) ends the call %s', async (fault, stream, outcome) => {
    const key = `job-4: ${api} ${fault}`;
    await call(api, { prompt: key, stream, fault });
    const entry = onlyCall(key);
    expect(entry.outcome).toBe(outcome);
    expect(entry.fault?.kind).toBe(fault.split(';')[0]);
    expect(entry.text.startsWith('Simulated reply to: job-4')).toBe(true);
    expectLedgerMatchesStats();
  });

  it('records a reset connection as faulted', async () => {
    const key = `job-5: ${api} reset`;
    await expect(call(api, { prompt: key, fault: 'reset' })).rejects.toThrow();
    expect(onlyCall(key)).toMatchObject({ outcome: 'faulted', fault: { kind: 'reset' } });
    expectLedgerMatchesStats();
  });

  it('records a held call the client gives up on as aborted, with its timeout fault', async () => {
    const entry = await abortWhileHeld(api, `job-6: ${api} held`, { fault: 'timeout' });
    expect(entry).toMatchObject({ fault: { kind: 'timeout' } });
    expectLedgerMatchesStats();
  });
});

describe('the call ledger', () => {
  it('records scripted and automatic faults with their parameters', async () => {
    sim.setFaults([{ deployment: 'scripted', fault: 'unavailable', count: 1 }]);
    sim.configure({ contextWindow: 5 }, { deployment: 'small' });
    await call('openai', { prompt: 'job-7: scripted', deployment: 'scripted' });
    await call('openai', { prompt: 'job-7: scripted', deployment: 'scripted' });
    await call('anthropic', { prompt: 'job-8: too long for the window', deployment: 'small' });
    expect(sim.calls({ key: 'job-7: scripted' }).map((entry) => entry.outcome)).toEqual([
      'faulted',
      'completed',
    ]);
    expect(sim.calls({ key: 'job-7: scripted' })[0]?.fault).toEqual({
      kind: 'unavailable',
      params: {},
    });
    const automatic = onlyCall('job-8: too long for the window');
    expect(automatic.outcome).toBe('faulted');
    expect(automatic.fault).toEqual({
      kind: 'context_length',
      params: { tokens: automatic.promptTokens, max: 5 },
    });
    expectLedgerMatchesStats();
  });

  it('keeps no entry for rejected requests', async () => {
    const response = await post(`${sim.url}/v1/chat/completions`, apis.openai.body(false), {
      authorization: 'Bearer wrong-key',
    });
    expect(response.status).toBe(401);
    expect(sim.stats().total.rejected).toBe(1);
    expect(sim.calls()).toEqual([]);
  });

  it('records a tool call as name(arguments)', async () => {
    const response = await post(
      `${sim.url}/v1/chat/completions`,
      {
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'job-9: weather in Oslo?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              parameters: {
                type: 'object',
                properties: { city: { type: 'string' } },
                required: ['city'],
              },
            },
          },
        ],
        tool_choice: 'required',
      },
      apis.openai.headers,
    );
    const fn = pick(response.json, 'choices', 0, 'message', 'tool_calls', 0, 'function');
    expect(onlyCall('job-9: weather in Oslo?').text).toBe(
      `${String(pick(fn, 'name'))}(${String(pick(fn, 'arguments'))})`,
    );
  });

  it('serves GET /_sim/calls, filtered by key and deployment', async () => {
    const key = 'job-10: a key with spaces & signs?';
    await call('openai', { prompt: key, deployment: 'a' });
    await call('gemini', { prompt: key, deployment: 'b' });
    await call('gemini', { prompt: 'job-11: other', deployment: 'b' });
    const query = new URLSearchParams({ key, deployment: 'b' });
    const filtered = await fetch(`${sim.url}/_sim/calls?${query.toString()}`);
    const body = (await filtered.json()) as { calls: SimCall[] };
    expect(body.calls.map((entry) => entry.seq)).toEqual([2]);
    expect(body).toEqual({ calls: sim.calls({ key, deployment: 'b' }) });
    const byKey = (await (
      await fetch(`${sim.url}/_sim/calls?key=${encodeURIComponent(key)}`)
    ).json()) as { calls: SimCall[] };
    expect(byKey.calls.map((entry) => entry.deployment)).toEqual(['a', 'b']);
    const all = (await (await fetch(`${sim.url}/_sim/calls`)).json()) as { calls: SimCall[] };
    expect(all.calls).toHaveLength(3);
  });

  it('is cleared by reset, numbering from 1 again', async () => {
    await call('openai', { prompt: 'job-12: before' });
    await call('openai', { prompt: 'job-12: before' });
    expect(sim.calls()).toHaveLength(2);
    await post(`${sim.url}/_sim/reset`, {});
    expect(sim.calls()).toEqual([]);
    await call('openai', { prompt: 'job-12: after' });
    expect(sim.calls().map((entry) => [entry.seq, entry.key])).toEqual([[1, 'job-12: after']]);
  });

  it('keeps only the newest calls beyond its limit', async () => {
    const small = await startProviderSim({ callLedgerLimit: 3 });
    try {
      for (let i = 1; i <= 5; i++) await callApi(small.url, 'openai', { prompt: `job-b${i}` });
      expect(small.calls().map((entry) => [entry.seq, entry.key])).toEqual([
        [3, 'job-b3'],
        [4, 'job-b4'],
        [5, 'job-b5'],
      ]);
      expect(small.stats().total.requests).toBe(5);
    } finally {
      await small.stop();
    }
  });
});

describe('call keys', () => {
  it('OpenAI / Azure: the text parts of the last user message, joined by newlines', async () => {
    for (const api of ['openai', 'azure'] as const) {
      await post(
        `${sim.url}${apis[api].path()}`,
        {
          ...(api === 'openai' ? { model: 'gpt-4o' } : {}),
          messages: [
            { role: 'system', content: 'be brief' },
            { role: 'user', content: 'job-13: earlier' },
            { role: 'assistant', content: 'ok' },
            {
              role: 'user',
              content: [
                { type: 'text', text: `job-13: ${api} part one` },
                { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
                { type: 'text', text: 'part two' },
              ],
            },
          ],
        },
        apis[api].headers,
      );
      expect(sim.calls({ key: `job-13: ${api} part one\npart two` })).toHaveLength(1);
    }
  });

  it('OpenAI: tool results after the user message leave the key as it was', async () => {
    await post(
      `${sim.url}/v1/chat/completions`,
      {
        model: 'gpt-4o',
        messages: [
          { role: 'user', content: 'job-14: weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
        ],
      },
      apis.openai.headers,
    );
    expect(sim.calls({ key: 'job-14: weather?' })).toHaveLength(1);
  });

  it('Anthropic: the last user message with text, its text blocks joined by newlines', async () => {
    await post(
      `${sim.url}/v1/messages`,
      {
        model: 'claude-haiku-4-5',
        max_tokens: 64,
        system: 'be brief',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'job-15: weather?' },
              { type: 'text', text: 'in Oslo' },
            ],
          },
          { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'w', input: {} }] },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' }] },
        ],
      },
      apis.anthropic.headers,
    );
    expect(sim.calls({ key: 'job-15: weather?\nin Oslo' })).toHaveLength(1);
  });

  it('Gemini: the last user content with text, its text parts joined by newlines', async () => {
    await post(
      `${sim.url}${apis.gemini.path(false)}`,
      {
        systemInstruction: { parts: [{ text: 'be brief' }] },
        contents: [
          { role: 'user', parts: [{ text: 'job-16: weather?' }, { text: 'in Oslo' }] },
          { role: 'model', parts: [{ functionCall: { name: 'w', args: {} } }] },
          {
            role: 'user',
            parts: [{ functionResponse: { name: 'w', response: { sky: 'sunny' } } }],
          },
        ],
      },
      apis.gemini.headers,
    );
    expect(sim.calls({ key: 'job-16: weather?\nin Oslo' })).toHaveLength(1);
  });

  it('cuts a long message to its first 200 characters', async () => {
    const prompt = `job-17: ${'triage '.repeat(60)}`;
    await call('anthropic', { prompt });
    expect(sim.calls({ key: prompt.slice(0, 200) })).toHaveLength(1);
  });
});

describe('random replies', () => {
  const texts = async (deployment: string, key: string): Promise<string[]> => {
    const delivered: string[] = [];
    for (let i = 0; i < 2; i++) {
      const response = await call('openai', { prompt: key, deployment, stream: true });
      delivered.push(deliveredText('openai', response.text));
    }
    const calls = sim.calls({ key });
    expect(calls.map((entry) => entry.text)).toEqual(delivered);
    return delivered;
  };

  it('make two identical requests answer different text of the same length', async () => {
    const set = await post(`${sim.url}/_sim/settings`, {
      deployment: 'random',
      randomReplies: true,
      replyTokens: 48,
    });
    expect(set.status).toBe(200);
    const [a = '', b = ''] = await texts('random', 'job-18: same question');
    expect(a).not.toBe(b);
    for (const text of [a, b]) {
      expect(text.startsWith('Simulated reply to: job-18: same question.')).toBe(true);
    }
    const [first, second] = sim.calls({ key: 'job-18: same question' });
    expect(first?.completionTokens).toBe(48);
    expect(second?.completionTokens).toBe(48);
  });

  it('are off by default: identical requests answer identical text', async () => {
    const [a, b] = await texts('fixed', 'job-19: same question');
    expect(a).toBe(b);
  });

  it('can be set for a provider with configure, and are reset', async () => {
    sim.configure({ randomReplies: true, replyTokens: 48 }, { provider: 'anthropic' });
    await call('anthropic', { prompt: 'job-20: same' });
    await call('anthropic', { prompt: 'job-20: same' });
    const [a, b] = sim.calls({ key: 'job-20: same' });
    expect(a?.text).not.toBe(b?.text);
    sim.reset();
    await call('anthropic', { prompt: 'job-20: same' });
    await call('anthropic', { prompt: 'job-20: same' });
    const [c, d] = sim.calls({ key: 'job-20: same' });
    expect(c?.text).toBe(d?.text);
  });
});
