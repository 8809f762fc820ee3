import { describe, expect, it } from 'vitest';
import { readChatRequest } from './chat-request';
import { GatewayError } from './gateway-error';

const models = new Map([
  ['fast', 'fast'],
  ['openai/gpt-4o', 'openai/gpt-4o'],
  ['gpt-4', 'fast'],
]);
const messages = [{ role: 'user', content: 'hi' }];

function refusal(body: unknown): GatewayError {
  try {
    readChatRequest(body, models);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readChatRequest', () => {
  it('accepts an OpenAI body, keeping unknown fields for the provider layer', () => {
    expect(
      readChatRequest(
        { model: 'openai/gpt-4o', messages, temperature: 0.5, service_tier: 'flex' },
        models,
      ),
    ).toEqual({
      model: 'openai/gpt-4o',
      request: { messages, temperature: 0.5, service_tier: 'flex' },
    });
  });

  it('reads a model alias as the model it stands for', () => {
    expect(readChatRequest({ model: 'gpt-4', messages }, models).model).toBe('fast');
  });

  it("takes LiteLLM's metadata.tags out of metadata", () => {
    expect(
      readChatRequest(
        { model: 'fast', messages, metadata: { tags: ['a', 'b'], team: 'x' } },
        models,
      ),
    ).toEqual({ model: 'fast', request: { messages, metadata: { team: 'x' } }, tags: ['a', 'b'] });
    expect(readChatRequest({ model: 'fast', messages, metadata: { tags: [] } }, models)).toEqual({
      model: 'fast',
      request: { messages },
      tags: [],
    });
  });

  it("takes LiteLLM's priority out of the body as the job's lane (lower is more urgent)", () => {
    const lane = (priority: number) =>
      readChatRequest({ model: 'fast', messages, priority }, models);
    expect(lane(0)).toEqual({ model: 'fast', request: { messages }, priority: 'interactive' });
    expect(lane(-3).priority).toBe('interactive');
    expect(lane(1)).toEqual({ model: 'fast', request: { messages }, priority: 'batch' });
    expect(lane(100).priority).toBe('batch');
    expect(readChatRequest({ model: 'fast', messages }, models).priority).toBeUndefined();
  });

  it("takes LiteLLM's cache controls out of the body", () => {
    const cache = { 'use-cache': true, 'no-cache': false, 'no-store': true, ttl: 600 };
    expect(readChatRequest({ model: 'fast', messages, cache }, models)).toEqual({
      model: 'fast',
      request: { messages },
      cache: { use_cache: true, no_cache: false, no_store: true, ttl: 600 },
    });
  });

  it.each([
    [{ model: 'fast', messages, cache: true }, 'invalid_field', 'cache'],
    [
      { model: 'fast', messages, cache: { 'use-cache': 'yes' } },
      'invalid_field',
      'cache.use-cache',
    ],
    [{ model: 'fast', messages, cache: { ttl: 0 } }, 'invalid_field', 'cache.ttl'],
    [{ model: 'fast', messages, cache: { 's-maxage': 60 } }, 'invalid_field', 'cache.s-maxage'],
    [{ model: 'fast', messages, cache: { namespace: 'n' } }, 'invalid_field', 'cache.namespace'],
    [{ model: 'fast', messages, priority: 'high' }, 'invalid_field', 'priority'],
    [{ model: 'fast', messages, priority: 1.5 }, 'invalid_field', 'priority'],
    [[1, 2], 'invalid_body', null],
    ['text', 'invalid_body', null],
    [null, 'invalid_body', null],
    [{ messages }, 'invalid_field', 'model'],
    [{ model: '', messages }, 'invalid_field', 'model'],
    [{ model: 7, messages }, 'invalid_field', 'model'],
    [{ model: 'fast' }, 'invalid_field', 'messages'],
    [{ model: 'fast', messages: [] }, 'invalid_field', 'messages'],
    [
      { model: 'fast', messages: [{ role: 'robot', content: 'x' }] },
      'invalid_field',
      'messages[0].role',
    ],
    [{ model: 'fast', messages, temperature: 9 }, 'invalid_field', 'temperature'],
    [{ model: 'fast', messages, stream: 'yes' }, 'invalid_field', 'stream'],
    [{ model: 'fast', messages, metadata: { tags: 'a' } }, 'invalid_tags', 'metadata.tags'],
    [{ model: 'fast', messages, switchyard: { key_id: 'key_x' } }, 'invalid_field', 'switchyard'],
  ])('refuses %j with a 400 %s naming %s', (body, code, param) => {
    const error = refusal(body);
    expect(error.status).toBe(400);
    expect(error.code).toBe(code);
    expect(error.param ?? null).toBe(param);
    if (param !== null) expect(error.message).toContain(param);
  });

  it('answers a model that is not configured with a 404, after checking the body', () => {
    const error = refusal({ model: 'gpt-5', messages });
    expect(error.status).toBe(404);
    expect(error.code).toBe('model_not_found');
    expect(error.message).toContain('"gpt-5"');
    expect(refusal({ model: 'gpt-5', messages: [] }).status).toBe(400);
  });
});
