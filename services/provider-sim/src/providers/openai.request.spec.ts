import { describe, expect, it } from 'vitest';
import { parseOpenAiRequest } from './openai.request';
import type { ErrorCase, Route } from './provider';

const route: Route = { provider: 'openai', query: new URLSearchParams() };
const user = { role: 'user', content: 'Hello json' };

function error(body: unknown, at: Route = route): ErrorCase {
  const result = parseOpenAiRequest(body, at);
  if (!('kind' in result)) throw new Error('expected an error');
  return result;
}

describe('parseOpenAiRequest', () => {
  it('reads messages of every role into the neutral prompt', () => {
    const parsed = parseOpenAiRequest(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'developer', content: 'Be brief.' },
          {
            role: 'user',
            name: 'ana',
            content: [
              { type: 'text', text: 'Look:' },
              { type: 'image_url', image_url: { url: 'x' } },
            ],
          },
          {
            role: 'assistant',
            content: null,
            tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'done' },
        ],
        max_completion_tokens: 9,
        stop: 'END',
        n: 2,
      },
      route,
    );
    expect(parsed).toMatchObject({
      model: 'gpt-4o',
      lastUserText: 'Look:',
      endsWithUserTurn: false,
      maxTokens: 9,
      stop: ['END'],
      n: 2,
      toolChoice: { mode: 'none' },
      prompt: {
        messages: [
          { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
          {
            role: 'user',
            name: 'ana',
            parts: [{ kind: 'text', text: 'Look:' }, { kind: 'image' }],
          },
          { role: 'assistant', parts: [{ kind: 'tool_call', name: 'f', arguments: '{}' }] },
          { role: 'tool', parts: [{ kind: 'tool_result', text: 'done' }] },
        ],
      },
    });
  });

  it('reads tools, tool_choice, response_format and stream_options', () => {
    const parsed = parseOpenAiRequest(
      {
        model: 'gpt-4o',
        messages: [user],
        stream: true,
        stream_options: { include_usage: true },
        tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
        tool_choice: { type: 'function', function: { name: 'f' } },
        response_format: {
          type: 'json_schema',
          json_schema: { name: 's', schema: { type: 'object' } },
        },
      },
      route,
    );
    expect(parsed).toMatchObject({
      stream: true,
      includeUsage: true,
      toolChoice: { mode: 'named', name: 'f' },
      output: { kind: 'json_schema', schema: { type: 'object' } },
      prompt: { tools: [{ name: 'f', schema: { type: 'object' } }] },
    });
  });

  it('refuses what OpenAI refuses', () => {
    expect(error({ messages: [user] })).toEqual({
      kind: 'invalid_request',
      message: 'you must provide a model parameter',
    });
    expect(error({ model: 'm' })).toMatchObject({
      param: 'messages',
      code: 'missing_required_parameter',
    });
    expect(error({ model: 'm', messages: [] })).toMatchObject({ code: 'empty_array' });
    expect(error({ model: 'm', messages: [{ role: 'robot', content: 'x' }] })).toMatchObject({
      param: 'messages[0].role',
      code: 'invalid_value',
    });
    expect(error({ model: 'm', messages: [user], top_k: 3 })).toEqual({
      kind: 'invalid_request',
      message: 'Unrecognized request argument supplied: top_k',
    });
    expect(
      error({ model: 'm', messages: [user], stream_options: { include_usage: true } }),
    ).toMatchObject({ param: 'stream_options' });
    expect(error({ model: 'm', messages: [user], tool_choice: 'auto' })).toMatchObject({
      param: 'tool_choice',
    });
    expect(
      error({
        model: 'm',
        messages: [{ role: 'user', content: 'hi' }],
        response_format: { type: 'json_object' },
      }),
    ).toMatchObject({ param: 'messages' });
    expect(error({ model: 'm', messages: [user], n: 0 })).toMatchObject({ param: 'n' });
    expect(error({ model: 'm', messages: [user], stop: ['a', 'b', 'c', 'd', 'e'] })).toMatchObject({
      param: 'stop',
    });
    expect(error([1, 2])).toMatchObject({ kind: 'invalid_request' });
  });

  it('takes the model of an Azure request from the path', () => {
    const parsed = parseOpenAiRequest(
      { messages: [user] },
      { provider: 'azure', pathModel: 'prod-4o', query: new URLSearchParams() },
    );
    expect(parsed).toMatchObject({ provider: 'azure', model: 'prod-4o' });
  });
});
