import { chatCompletionRequestSchema, type ChatCompletionRequest } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { estimateInputTokens } from './estimate-input-tokens';

const request = (body: unknown): ChatCompletionRequest => chatCompletionRequestSchema.parse(body);

describe('estimateInputTokens', () => {
  it('counts a quarter token per character plus message and reply overhead', () => {
    // 'user' (4) + 400 characters = 404 → 101 tokens; 3 per message; 3 reply priming.
    const body = request({ messages: [{ role: 'user', content: 'x'.repeat(400) }] });
    expect(estimateInputTokens(body)).toBe(101 + 3 + 3);
  });

  it('adds every message and every text part', () => {
    const body = request({
      messages: [
        { role: 'system', content: 'a'.repeat(94) },
        { role: 'user', content: [{ type: 'text', text: 'b'.repeat(96) }] },
      ],
    });
    // system 6 + 94, user 4 + 96 = 200 characters → 50 tokens.
    expect(estimateInputTokens(body)).toBe(50 + 2 * 3 + 3);
  });

  it('counts a fixed number of tokens per image, fewer at low detail', () => {
    const image = (detail?: 'low' | 'high') => ({
      type: 'image_url',
      image_url: { url: 'https://example.com/a.png', ...(detail && { detail }) },
    });
    const body = request({
      messages: [{ role: 'user', content: [image(), image('high'), image('low')] }],
    });
    expect(estimateInputTokens(body)).toBe(1 + 765 + 765 + 85 + 3 + 3);
  });

  it('counts tool definitions, tool calls and a JSON schema response format', () => {
    const bare = request({ messages: [{ role: 'user', content: 'hi' }] });
    const parameters = { type: 'object', properties: { city: { type: 'string' } } };
    const withTools = request({
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'c1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      ],
      tools: [
        { type: 'function', function: { name: 'weather', description: 'Weather', parameters } },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', schema: { type: 'object', properties: {} } },
      },
    });
    const toolJson = JSON.stringify({ name: 'weather', description: 'Weather', parameters });
    const extra = estimateInputTokens(withTools) - estimateInputTokens(bare);
    // Two more messages, the tool JSON alone is ~toolJson/4 tokens.
    expect(extra).toBeGreaterThan(6 + toolJson.length / 4);
    expect(extra).toBeLessThan(6 + (toolJson.length + 200) / 4);
  });

  it('grows with the prompt', () => {
    const short = request({ messages: [{ role: 'user', content: 'hello' }] });
    const long = request({ messages: [{ role: 'user', content: 'hello '.repeat(1000) }] });
    expect(estimateInputTokens(long)).toBeGreaterThan(estimateInputTokens(short) + 1000);
  });
});
