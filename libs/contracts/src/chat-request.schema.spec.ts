import { describe, expect, it } from 'vitest';
import { chatCompletionRequestSchema } from './chat-request.schema';
import { formatIssues } from './issues';
import { realisticRequest } from './wire-fixtures';

/** The readable issue line for a request, or 'ok' when it parses. */
function problems(request: unknown): string {
  const parsed = chatCompletionRequestSchema.safeParse(request, { reportInput: true });
  return parsed.success ? 'ok' : formatIssues(parsed.error.issues);
}

const userSays = (content: unknown) => ({ messages: [{ role: 'user', content }] });

describe('chatCompletionRequestSchema', () => {
  it('parses a realistic request with tools, images and a JSON schema, keeping every field', () => {
    const request = realisticRequest();
    const parsed = chatCompletionRequestSchema.parse(request);
    expect(parsed).toEqual(request);
    expect(parsed.response_format).toMatchObject({ type: 'json_schema' });
  });

  it('keeps unknown fields at every level for the provider layer to judge', () => {
    const request = {
      ...userSays([{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral' } }]),
      service_tier: 'flex',
      prediction: { type: 'content', content: 'x' },
    };
    const parsed = chatCompletionRequestSchema.parse(request);
    expect(parsed['service_tier']).toBe('flex');
    expect(parsed['prediction']).toEqual({ type: 'content', content: 'x' });
    expect(parsed.messages[0]).toEqual(request.messages[0]);
  });

  it('accepts a minimal request without model', () => {
    expect(problems(userSays('Hello'))).toBe('ok');
  });

  it('accepts null for the fields OpenAI documents as nullable', () => {
    const request = {
      ...userSays('Hello'),
      temperature: null,
      stop: null,
      max_tokens: null,
      seed: null,
      stream_options: null,
      logit_bias: null,
    };
    expect(problems(request)).toBe('ok');
  });

  it.each([
    ['tool_choice', 'none'],
    ['tool_choice', 'required'],
    ['tool_choice', { type: 'function', function: { name: 'lookup_invoice' } }],
    ['response_format', { type: 'text' }],
    ['response_format', { type: 'json_object' }],
    ['stop', 'END'],
    ['stop', ['a', 'b', 'c', 'd']],
    ['temperature', 2],
    ['top_p', 0],
    ['n', 3],
    ['stream', true],
    ['stream_options', { include_usage: true }],
  ])('accepts %s = %j', (field, value) => {
    expect(problems({ ...userSays('Hi'), [field]: value })).toBe('ok');
  });

  it('accepts an assistant message with only a refusal, and developer/tool text parts', () => {
    const request = {
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'rules' }] },
        { role: 'user', content: 'x' },
        { role: 'assistant', refusal: 'I cannot help with that.' },
        { role: 'tool', tool_call_id: 'c1', content: [{ type: 'text', text: '42' }] },
      ],
    };
    expect(problems(request)).toBe('ok');
  });

  it.each([
    [{ messages: [] }, 'messages: Too small: expected array to have >=1 items'],
    [{}, 'messages: Invalid input: expected array, received undefined'],
    [
      { messages: [{ role: 'robot', content: 'x' }] },
      "messages[0].role: Invalid discriminator value. Expected 'system' | 'developer' | 'user' | 'assistant' | 'tool'",
    ],
    [userSays(42), 'messages[0].content: Invalid input: expected string or array, received number'],
    [
      userSays([{ type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'ultra' } }]),
      'messages[0].content[0].image_url.detail: Invalid option: expected one of "auto"|"low"|"high"',
    ],
    [
      userSays([{ type: 'image_url', image_url: {} }]),
      'messages[0].content[0].image_url.url: Invalid input: expected string, received undefined',
    ],
    [
      userSays([{ type: 'audio', data: 'x' }]),
      "messages[0].content[0].type: Invalid discriminator value. Expected 'text' | 'image_url'",
    ],
    [
      { messages: [{ role: 'assistant', content: null }] },
      'messages[0].content: an assistant message needs content, tool_calls or refusal',
    ],
    [
      { messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id: Invalid input: expected string, received undefined',
    ],
    [{ ...userSays('x'), temperature: 2.5 }, 'temperature: Too big: expected number to be <=2'],
    [{ ...userSays('x'), top_p: -0.1 }, 'top_p: Too small: expected number to be >=0'],
    [{ ...userSays('x'), n: 0 }, 'n: Too small: expected number to be >=1'],
    [
      { ...userSays('x'), max_tokens: 1.5 },
      'max_tokens: Invalid input: expected int, received number',
    ],
    [
      { ...userSays('x'), stop: ['a', 'b', 'c', 'd', 'e'] },
      'stop: Too big: expected array to have <=4 items',
    ],
    [
      { ...userSays('x'), tool_choice: 'maybe' },
      'tool_choice: Invalid option: expected one of "none"|"auto"|"required"',
    ],
    [
      { ...userSays('x'), tool_choice: { type: 'function', function: {} } },
      'tool_choice.function.name: Invalid input: expected string, received undefined',
    ],
    [
      { ...userSays('x'), response_format: { type: 'json_schema', json_schema: { name: 'a b' } } },
      'response_format.json_schema.name: must be 1 to 64 characters of a-z A-Z 0-9 _ -',
    ],
    [
      { ...userSays('x'), tools: [{ type: 'function', function: { name: 'x', parameters: [] } }] },
      'tools[0].function.parameters: Invalid input: expected record, received array',
    ],
    [
      { ...userSays('x'), metadata: { shard: 7 } },
      'metadata.shard: Invalid input: expected string, received number',
    ],
    [
      { ...userSays('x'), reasoning_effort: 'extreme' },
      'reasoning_effort: Invalid option: expected one of',
    ],
  ])('rejects %j with a readable path', (request, message) => {
    expect(problems(request)).toContain(message);
  });

  it('names every failing field of a request with several problems', () => {
    const request = realisticRequest();
    const broken = {
      ...request,
      temperature: 9,
      messages: [{ role: 'user', content: [{ type: 'text' }] }, ...request.messages],
    };
    const text = problems(broken);
    expect(text).toContain('messages[0].content[0].text: Invalid input: expected string');
    expect(text).toContain('temperature: Too big');
  });
});
