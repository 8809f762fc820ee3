import { describe, expect, it } from 'vitest';
import { parseCohereRequest } from './cohere.request';
import type { Route } from './provider';

const route: Route = { provider: 'cohere', query: new URLSearchParams() };
const base = { model: 'command-a-03-2025', messages: [{ role: 'user', content: 'Hi there' }] };
const tool = {
  type: 'function',
  function: { name: 'lookup', parameters: { type: 'object', properties: {} } },
};

describe('parseCohereRequest', () => {
  it('reads a chat request into the neutral form', () => {
    const request = parseCohereRequest(
      {
        ...base,
        messages: [
          { role: 'system', content: 'Be brief.' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is this?' },
              { type: 'image_url', image_url: { url: 'data:image/png;base64,AA' } },
            ],
          },
        ],
        stream: true,
        max_tokens: 20,
        stop_sequences: ['END'],
        tools: [tool],
        tool_choice: 'REQUIRED',
        response_format: { type: 'json_object', json_schema: { type: 'object' } },
      },
      route,
    );
    expect(request).toMatchObject({
      provider: 'cohere',
      model: 'command-a-03-2025',
      stream: true,
      lastUserText: 'What is this?',
      endsWithUserTurn: true,
      toolChoice: { mode: 'required' },
      output: { kind: 'json_schema', schema: { type: 'object' } },
      maxTokens: 20,
      stop: ['END'],
      prompt: {
        tools: [{ name: 'lookup' }],
        messages: [
          { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
          { role: 'user', parts: [{ kind: 'text' }, { kind: 'image' }] },
        ],
      },
    });
  });

  it.each([
    [{ ...base, top_p: 0.5 }, 'unknown field: parameter top_p is not a valid field'],
    [{ messages: base.messages }, 'model must be specified'],
    [{ ...base, messages: [] }, 'messages must not be empty'],
    [{ ...base, messages: [{ role: 'chatbot', content: 'x' }] }, 'messages[0].role must be one of'],
    [{ ...base, tool_choice: 'REQUIRED' }, 'tool_choice can only be specified with tools'],
    [{ ...base, tools: [tool], tool_choice: 'auto' }, 'tool_choice must be one of REQUIRED, NONE'],
    [{ ...base, response_format: { type: 'json_schema' } }, 'response_format.type must be one of'],
  ])('refuses %j', (body, message) => {
    expect(parseCohereRequest(body, route)).toMatchObject({
      kind: 'invalid_request',
      message: expect.stringContaining(message) as unknown,
    });
  });
});
