import { describe, expect, it } from 'vitest';
import { JSON_RESPONSE_TOOL_NAME } from './anthropic.constants';
import {
  anthropicMessagesUrl,
  buildAnthropicBody,
  buildAnthropicRequest,
} from './anthropic.request';
import { chatRequest, context, fixture, providerErrorOf } from './spec-helpers';

const hello = [{ role: 'user', content: 'Hello' }];

function body(request: Record<string, unknown>, dropParams = false) {
  return buildAnthropicBody(chatRequest(request), context({ dropParams }), false);
}

describe('buildAnthropicRequest', () => {
  it('posts JSON to the Messages endpoint with the key and the pinned API version', () => {
    const http = buildAnthropicRequest(chatRequest({ messages: hello }), context(), {
      stream: false,
    });
    expect(http.method).toBe('POST');
    expect(http.url).toBe('https://api.anthropic.com/v1/messages');
    expect(http.headers).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-ant-test',
    });
    expect(JSON.parse(http.body)).toEqual({
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    });
  });

  it('sends no x-api-key when the deployment has no key', () => {
    const http = buildAnthropicRequest(
      chatRequest({ messages: hello }),
      context({ deployment: { apiKey: undefined } }),
      { stream: false },
    );
    expect(http.headers).not.toHaveProperty('x-api-key');
  });

  it('adds "stream": true when streaming, whatever the request says', () => {
    const request = chatRequest({ messages: hello, stream: false });
    const http = buildAnthropicRequest(request, context(), { stream: true });
    expect(JSON.parse(http.body)).toMatchObject({ stream: true });
    const plain = buildAnthropicRequest(chatRequest({ messages: hello, stream: true }), context(), {
      stream: false,
    });
    expect(JSON.parse(plain.body)).not.toHaveProperty('stream');
  });

  it.each([
    [undefined, 'https://api.anthropic.com/v1/messages'],
    ['http://localhost:4010', 'http://localhost:4010/v1/messages'],
    ['http://localhost:4010/', 'http://localhost:4010/v1/messages'],
    ['https://gateway.example/anthropic/v1', 'https://gateway.example/anthropic/v1/messages'],
    ['https://gateway.example/v1/messages', 'https://gateway.example/v1/messages'],
  ])('api_base %s → %s', (apiBase, url) => {
    expect(anthropicMessagesUrl(apiBase)).toBe(url);
  });
});

describe('buildAnthropicBody', () => {
  it("translates the tool use guide's conversation as the guide sends it (fixture)", () => {
    const request = chatRequest(
      fixture('request-tool-round-trip.openai.json') as Record<string, unknown>,
    );
    expect(buildAnthropicBody(request, context(), false)).toEqual(
      fixture('request-tool-round-trip.anthropic.json'),
    );
  });

  describe('max_tokens', () => {
    it('defaults to 4096 when nothing sets it', () => {
      expect(body({ messages: hello }).max_tokens).toBe(4096);
    });

    it("defaults to the deployment's max_output_tokens when config sets it", () => {
      const built = buildAnthropicBody(
        chatRequest({ messages: hello }),
        context({ deployment: { limits: { maxOutputTokens: 64_000 } } }),
        false,
      );
      expect(built.max_tokens).toBe(64_000);
    });

    it('takes max_completion_tokens over max_tokens', () => {
      expect(body({ messages: hello, max_tokens: 100 }).max_tokens).toBe(100);
      expect(
        body({ messages: hello, max_tokens: 100, max_completion_tokens: 200 }).max_tokens,
      ).toBe(200);
    });
  });

  describe('sampling and metadata', () => {
    it('passes temperature and top_p in range', () => {
      expect(body({ messages: hello, temperature: 0.7, top_p: 0.9 })).toMatchObject({
        temperature: 0.7,
        top_p: 0.9,
      });
      expect(body({ messages: hello, temperature: 0 })).toMatchObject({ temperature: 0 });
      expect(body({ messages: hello, temperature: 1 })).toMatchObject({ temperature: 1 });
    });

    it('rejects a temperature above 1, or leaves it out with dropParams', () => {
      const error = providerErrorOf(() => body({ messages: hello, temperature: 1.5 }));
      expect(error).toMatchObject({
        type: 'bad_request',
        code: 'invalid_value',
        param: 'temperature',
      });
      expect(body({ messages: hello, temperature: 1.5 }, true)).not.toHaveProperty('temperature');
    });

    it('sends stop as stop_sequences, a string as a list of one', () => {
      expect(body({ messages: hello, stop: 'END' }).stop_sequences).toEqual(['END']);
      expect(body({ messages: hello, stop: ['a', 'b'] }).stop_sequences).toEqual(['a', 'b']);
      expect(body({ messages: hello, stop: [] })).not.toHaveProperty('stop_sequences');
    });

    it('sends user as metadata.user_id, and not OpenAI metadata or stream_options', () => {
      const built = body({
        messages: hello,
        user: 'user-1234',
        metadata: { purpose: 'triage' },
        stream_options: { include_usage: true },
      });
      expect(built.metadata).toEqual({ user_id: 'user-1234' });
      expect(built).not.toHaveProperty('stream_options');
    });
  });

  describe('parameters Anthropic does not support', () => {
    it.each([
      ['n', { n: 2 }],
      ['logit_bias', { logit_bias: { '50256': -100 } }],
      ['logprobs', { logprobs: true }],
      ['top_logprobs', { top_logprobs: 3 }],
      ['presence_penalty', { presence_penalty: 0.5 }],
      ['frequency_penalty', { frequency_penalty: -0.5 }],
      ['seed', { seed: 42 }],
      ['reasoning_effort', { reasoning_effort: 'high' }],
    ])('%s is a bad request naming the parameter, or dropped with dropParams', (param, extra) => {
      const error = providerErrorOf(() => body({ messages: hello, ...extra }));
      expect(error).toMatchObject({
        type: 'bad_request',
        code: 'unsupported_parameter',
        param,
        provider: 'anthropic',
      });
      const dropped = body({ messages: hello, ...extra }, true);
      expect(dropped).toEqual(body({ messages: hello }));
    });

    it('lets values that ask for nothing pass', () => {
      expect(() =>
        body({
          messages: hello,
          n: 1,
          presence_penalty: 0,
          frequency_penalty: 0,
          logprobs: false,
          top_logprobs: 0,
          logit_bias: {},
          seed: null,
        }),
      ).not.toThrow();
    });
  });

  describe('tools and tool_choice', () => {
    const weather = {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Get the current weather in a given location',
        parameters: {
          type: 'object',
          properties: { location: { type: 'string' } },
          required: ['location'],
        },
      },
    };

    it('translates tools to name, description and input_schema', () => {
      const built = body({
        messages: hello,
        tools: [weather, { type: 'function', function: { name: 'now', strict: true } }],
      });
      expect(built.tools).toEqual([
        {
          name: 'get_weather',
          description: 'Get the current weather in a given location',
          input_schema: weather.function.parameters,
        },
        { name: 'now', input_schema: { type: 'object', properties: {} }, strict: true },
      ]);
      expect(built).not.toHaveProperty('tool_choice');
    });

    it.each([
      ['auto', { type: 'auto' }],
      ['required', { type: 'any' }],
      ['none', { type: 'none' }],
      [
        { type: 'function', function: { name: 'get_weather' } },
        { type: 'tool', name: 'get_weather' },
      ],
    ])('tool_choice %j → %j', (toolChoice, expected) => {
      expect(
        body({ messages: hello, tools: [weather], tool_choice: toolChoice }).tool_choice,
      ).toEqual(expected);
    });

    it('parallel_tool_calls: false sets disable_parallel_tool_use', () => {
      const off = (toolChoice?: unknown) =>
        body({
          messages: hello,
          tools: [weather],
          parallel_tool_calls: false,
          ...(toolChoice === undefined ? {} : { tool_choice: toolChoice }),
        }).tool_choice;
      expect(off()).toEqual({ type: 'auto', disable_parallel_tool_use: true });
      expect(off('required')).toEqual({ type: 'any', disable_parallel_tool_use: true });
      expect(off({ type: 'function', function: { name: 'get_weather' } })).toEqual({
        type: 'tool',
        name: 'get_weather',
        disable_parallel_tool_use: true,
      });
      expect(off('none')).toEqual({ type: 'none' });
    });

    it('rejects a tool_choice that needs tools when there are none, or drops it', () => {
      const error = providerErrorOf(() => body({ messages: hello, tool_choice: 'required' }));
      expect(error).toMatchObject({ type: 'bad_request', param: 'tool_choice' });
      expect(body({ messages: hello, tool_choice: 'required' }, true)).not.toHaveProperty(
        'tool_choice',
      );
      expect(body({ messages: hello, tool_choice: 'none' })).not.toHaveProperty('tool_choice');
    });

    it('rejects parameters that are not an object schema', () => {
      const error = providerErrorOf(() =>
        body({
          messages: hello,
          tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'string' } } }],
        }),
      );
      expect(error).toMatchObject({ type: 'bad_request', param: 'tools[0].function.parameters' });
    });

    it('reserves the JSON-mode tool name', () => {
      const error = providerErrorOf(() =>
        body({
          messages: hello,
          tools: [{ type: 'function', function: { name: JSON_RESPONSE_TOOL_NAME } }],
        }),
      );
      expect(error).toMatchObject({ type: 'bad_request', param: 'tools[0].function.name' });
    });
  });

  describe('JSON mode', () => {
    const forced = { type: 'tool', name: 'json_response', disable_parallel_tool_use: true };

    it('json_object forces a tool whose input is any object', () => {
      const built = body({ messages: hello, response_format: { type: 'json_object' } });
      expect(built.tools).toEqual([
        {
          name: 'json_response',
          description: 'Give your whole response as a JSON object, as the input of this tool.',
          input_schema: { type: 'object' },
        },
      ]);
      expect(built.tool_choice).toEqual(forced);
    });

    it('json_schema forces a tool whose input schema is the schema', () => {
      const schema = {
        type: 'object',
        properties: { label: { type: 'string', enum: ['spam', 'ham'] } },
        required: ['label'],
        additionalProperties: false,
      };
      const built = body({
        messages: hello,
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'triage', description: 'The triage label.', schema, strict: true },
        },
      });
      expect(built.tools).toEqual([
        {
          name: 'json_response',
          description: 'The triage label.',
          input_schema: schema,
          strict: true,
        },
      ]);
      expect(built.tool_choice).toEqual(forced);
    });

    it('rejects a json_schema whose root is not an object', () => {
      const error = providerErrorOf(() =>
        body({
          messages: hello,
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'labels', schema: { type: 'array', items: { type: 'string' } } },
          },
        }),
      );
      expect(error).toMatchObject({
        type: 'bad_request',
        param: 'response_format.json_schema.schema',
      });
    });

    it("with the caller's tools, lets the model call any tool, the JSON tool included", () => {
      const tool = { type: 'function', function: { name: 'lookup' } };
      const built = body({
        messages: hello,
        tools: [tool],
        response_format: { type: 'json_object' },
      });
      expect(built.tools?.map((t) => t.name)).toEqual(['lookup', 'json_response']);
      expect(built.tool_choice).toEqual({ type: 'any' });
      const named = body({
        messages: hello,
        tools: [tool],
        tool_choice: { type: 'function', function: { name: 'lookup' } },
        response_format: { type: 'json_object' },
      });
      expect(named.tool_choice).toEqual({ type: 'tool', name: 'lookup' });
      const none = body({
        messages: hello,
        tools: [tool],
        tool_choice: 'none',
        response_format: { type: 'json_object' },
      });
      expect(none.tool_choice).toEqual(forced);
    });

    it('response_format text changes nothing', () => {
      expect(body({ messages: hello, response_format: { type: 'text' } })).toEqual(
        body({ messages: hello }),
      );
    });
  });
});
