import { describe, expect, it } from 'vitest';
import { parseAnthropicRequest } from './anthropic.request';
import type { ErrorCase, Route } from './provider';

const route: Route = { provider: 'anthropic', query: new URLSearchParams() };
const v1 = { 'anthropic-version': '2023-06-01' };
const base = {
  model: 'claude-sonnet-4-5',
  max_tokens: 50,
  messages: [{ role: 'user', content: 'Hi' }],
};

function error(body: unknown, headers = v1): ErrorCase {
  const result = parseAnthropicRequest(body, route, headers);
  if (!('kind' in result)) throw new Error('expected an error');
  return result;
}

describe('parseAnthropicRequest', () => {
  it('reads system, blocks, tool results and cache breakpoints', () => {
    const parsed = parseAnthropicRequest(
      {
        ...base,
        system: [{ type: 'text', text: 'Rules', cache_control: { type: 'ephemeral' } }],
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 't1', name: 'w', input: { a: 1 } }],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 't1',
                content: [{ type: 'text', text: 'sunny' }],
              },
            ],
          },
        ],
        stop_sequences: ['X'],
        tools: [
          { name: 'w', input_schema: { type: 'object' } },
          { type: 'web_search_20250305', name: 'web_search' },
        ],
      },
      route,
      v1,
    );
    expect(parsed).toMatchObject({
      lastUserText: 'Weather?',
      endsWithUserTurn: false,
      maxTokens: 50,
      stop: ['X'],
      toolChoice: { mode: 'auto' },
      toolPreamble: true,
      prompt: {
        tools: [{ name: 'w' }],
        messages: [
          { role: 'system', parts: [{ kind: 'text', text: 'Rules', cacheBreakpoint: true }] },
          { role: 'user', parts: [{ kind: 'text', text: 'Weather?' }] },
          { role: 'assistant', parts: [{ kind: 'tool_call', name: 'w', arguments: '{"a":1}' }] },
          { role: 'user', parts: [{ kind: 'tool_result', text: 'sunny' }] },
        ],
      },
    });
  });

  it('maps tool_choice and output_config', () => {
    const tools = [{ name: 'w', input_schema: { type: 'object' } }];
    expect(
      parseAnthropicRequest({ ...base, tools, tool_choice: { type: 'any' } }, route, v1),
    ).toMatchObject({ toolChoice: { mode: 'required' }, toolPreamble: false });
    expect(
      parseAnthropicRequest(
        { ...base, tools, tool_choice: { type: 'tool', name: 'w' } },
        route,
        v1,
      ),
    ).toMatchObject({ toolChoice: { mode: 'named', name: 'w' } });
    expect(
      parseAnthropicRequest(
        { ...base, output_config: { format: { type: 'json_schema', schema: { type: 'object' } } } },
        route,
        v1,
      ),
    ).toMatchObject({ output: { kind: 'json_schema' } });
  });

  it('refuses what Anthropic refuses', () => {
    expect(error({ ...base, model: undefined })).toEqual({
      kind: 'invalid_request',
      message: 'model: Field required',
    });
    expect(
      error({ ...base, max_tokens: undefined }).kind === 'invalid_request' &&
        error({ ...base, max_tokens: undefined }),
    ).toMatchObject({ message: 'max_tokens: Field required' });
    expect(error({ ...base, messages: [] })).toMatchObject({
      message: 'messages: at least one message is required',
    });
    expect(error({ ...base, n: 2 })).toMatchObject({
      message: 'n: Extra inputs are not permitted',
    });
    expect(error({ ...base, messages: [{ role: 'tool', content: 'x' }] })).toMatchObject({
      message: "messages.0.role: Input should be 'user' or 'assistant'",
    });
    expect(error({ ...base, tool_choice: { type: 'any' } })).toMatchObject({
      message: 'tool_choice may only be specified while providing tools.',
    });
  });

  it('refuses sampling parameters on API version 2026-10-21 only', () => {
    expect(parseAnthropicRequest({ ...base, temperature: 1 }, route, v1)).toMatchObject({
      model: 'claude-sonnet-4-5',
    });
    expect(error({ ...base, temperature: 1 }, { 'anthropic-version': '2026-10-21' })).toMatchObject(
      {
        message: 'temperature: Extra inputs are not permitted',
      },
    );
  });
});
