import type { ChatCompletionRequest } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { buildCohereRequest, toCohereRequestBody } from './cohere.request';
import { cohereContext } from './spec-helpers';

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
} as const;
const clock = { type: 'function', function: { name: 'get_time' } } as const;

const body = (request: ChatCompletionRequest, dropParams = false) =>
  toCohereRequestBody(request, cohereContext({}, dropParams), false);

describe('buildCohereRequest', () => {
  it('posts to /v2/chat on the public endpoint with a Bearer key', () => {
    const http = buildCohereRequest(
      { messages: [{ role: 'user', content: 'Hi' }] },
      cohereContext(),
      {
        stream: false,
      },
    );
    expect(http.url).toBe('https://api.cohere.com/v2/chat');
    expect(http.headers).toMatchObject({
      authorization: 'Bearer co-test',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(JSON.parse(http.body)).toEqual({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('uses api_base as given, with or without /v2, and streams on request', () => {
    const request = { messages: [{ role: 'user' as const, content: 'Hi' }] };
    const plain = buildCohereRequest(
      request,
      cohereContext({ apiBase: 'http://sim:4010/cohere/' }),
      {
        stream: true,
      },
    );
    expect(plain.url).toBe('http://sim:4010/cohere/v2/chat');
    expect(plain.headers['accept']).toBe('text/event-stream');
    expect(JSON.parse(plain.body)).toMatchObject({ stream: true });
    const versioned = buildCohereRequest(
      request,
      cohereContext({ apiBase: 'https://x.example/v2' }),
      {
        stream: false,
      },
    );
    expect(versioned.url).toBe('https://x.example/v2/chat');
  });
});

describe('toCohereRequestBody', () => {
  it('translates the conversation: system, images, tool calls with their plan, tool results', () => {
    const translated = body({
      messages: [
        { role: 'developer', content: 'Be brief.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather where this was taken?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '4 degrees' }] },
        { role: 'assistant', content: 'It is 4 degrees.' },
        { role: 'user', content: 'Thanks' },
      ],
    });
    expect(translated.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather where this was taken?' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
        ],
      },
      {
        role: 'assistant',
        tool_plan: 'Checking.',
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '4 degrees' },
      { role: 'assistant', content: 'It is 4 degrees.' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('maps sampling parameters to their Cohere names', () => {
    expect(
      body({
        messages: [{ role: 'user', content: 'Hi' }],
        temperature: 0.3,
        top_p: 0.9,
        top_k: 40,
        max_tokens: 100,
        max_completion_tokens: 50,
        stop: ['END', ''],
        seed: 7,
        frequency_penalty: 0.1,
        presence_penalty: 0.2,
        n: 1,
        stream_options: { include_usage: true },
        user: 'someone',
      }),
    ).toEqual({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 0.3,
      p: 0.9,
      k: 40,
      max_tokens: 50,
      stop_sequences: ['END'],
      seed: 7,
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
    });
  });

  it.each([
    ['auto', undefined, ['get_weather', 'get_time']],
    ['none', 'NONE', ['get_weather', 'get_time']],
    ['required', 'REQUIRED', ['get_weather', 'get_time']],
    [{ type: 'function', function: { name: 'get_time' } }, 'REQUIRED', ['get_time']],
  ] as const)('tool_choice %j → %s, offering %j', (choice, cohereChoice, names) => {
    const translated = body({
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [weather, clock],
      tool_choice: choice,
    });
    expect(translated.tool_choice).toBe(cohereChoice);
    expect(translated.tools?.map((tool) => tool.function.name)).toEqual(names);
  });

  it('sends function tools as they are, strict_tools when one is strict', () => {
    const translated = body({
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [{ ...weather, function: { ...weather.function, strict: true } }],
    });
    expect(translated.tools).toEqual([weather]);
    expect(translated.strict_tools).toBe(true);
  });

  it('asks for JSON, following the schema of a json_schema format', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    expect(
      body({
        messages: [{ role: 'user', content: 'Hi' }],
        response_format: { type: 'json_schema', json_schema: { name: 'x', schema } },
      }).response_format,
    ).toEqual({ type: 'json_object', json_schema: schema });
    expect(
      body({
        messages: [{ role: 'user', content: 'Hi' }],
        response_format: { type: 'json_object' },
      }).response_format,
    ).toEqual({ type: 'json_object' });
  });

  it.each([
    ['n', { n: 2 }],
    ['logprobs', { logprobs: true }],
    ['logit_bias', { logit_bias: { '1': 2 } }],
    ['parallel_tool_calls', { parallel_tool_calls: false }],
    ['reasoning_effort', { reasoning_effort: 'low' }],
    ['frobnicate', { frobnicate: true }],
  ] as const)('refuses %s unless drop_params is on', (param, fields) => {
    const request = { messages: [{ role: 'user' as const, content: 'Hi' }], ...fields };
    let thrown: unknown;
    try {
      body(request);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ type: 'bad_request', code: 'unsupported_parameter', param });
    expect(body(request, true)).toEqual({
      model: 'command-a-03-2025',
      messages: [{ role: 'user', content: 'Hi' }],
    });
  });

  it('refuses a conversation of system messages only and images that are not URLs', () => {
    expect(() => body({ messages: [{ role: 'system', content: 'Be brief.' }] })).toThrow(
      /at least one user message/,
    );
    expect(() =>
      body({
        messages: [
          {
            role: 'user',
            content: [{ type: 'image_url', image_url: { url: 'gs://bucket/cat.png' } }],
          },
        ],
      }),
    ).toThrow(/data: URLs or http/);
  });
});
