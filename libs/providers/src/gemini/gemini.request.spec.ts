import type { ChatCompletionRequest } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { FOREIGN_THOUGHT_SIGNATURE } from './gemini.contents';
import { buildGeminiRequest, toGeminiRequestBody } from './gemini.request';
import type { GeminiRequestBody } from './gemini.types';
import { chatRequest, geminiContext, providerErrorOf } from './spec-helpers';

const body = (request: ChatCompletionRequest, context = geminiContext()): GeminiRequestBody =>
  toGeminiRequestBody(request, context);

const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' } },
      required: ['city'],
      additionalProperties: false,
    },
    strict: true,
  },
} as const;

describe('buildGeminiRequest', () => {
  it('posts to generateContent with the key in x-goog-api-key, not in the URL', () => {
    const request = buildGeminiRequest(chatRequest(), geminiContext(), { stream: false });
    expect(request.method).toBe('POST');
    expect(request.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent',
    );
    expect(request.headers['x-goog-api-key']).toBe('test-key');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.url).not.toContain('test-key');
    expect(JSON.parse(request.body)).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
    });
  });

  it('streams from streamGenerateContent with alt=sse', () => {
    const request = buildGeminiRequest(chatRequest(), geminiContext(), { stream: true });
    expect(request.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    );
    expect(request.headers.accept).toBe('text/event-stream');
  });

  it.each([
    [{ apiBase: 'http://127.0.0.1:4010/' }, 'http://127.0.0.1:4010/v1beta/models/gemini-2.5-flash'],
    [
      { apiBase: 'https://proxy.example/gemini/v1beta' },
      'https://proxy.example/gemini/v1beta/models/gemini-2.5-flash',
    ],
    [{ apiVersion: 'v1' }, 'https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash'],
    [
      { providerModel: 'tunedModels/my-model-7' },
      'https://generativelanguage.googleapis.com/v1beta/tunedModels/my-model-7',
    ],
    [
      { providerModel: 'models/gemini-2.0-flash' },
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash',
    ],
  ])('builds the URL for %o', (deployment, prefix) => {
    const request = buildGeminiRequest(chatRequest(), geminiContext(deployment), { stream: false });
    expect(request.url).toBe(`${prefix}:generateContent`);
  });

  it('sends no key header when the deployment has no key', () => {
    const request = buildGeminiRequest(chatRequest(), geminiContext({ apiKey: undefined }), {
      stream: false,
    });
    expect(request.headers).not.toHaveProperty('x-goog-api-key');
  });
});

describe('messages → contents', () => {
  it('gathers system and developer messages into systemInstruction, wherever they are', () => {
    const result = body({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Bye' },
      ],
    });
    expect(result.systemInstruction).toEqual({
      parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }],
    });
    expect(result.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }, { text: 'Bye' }] }]);
  });

  it('maps assistant to model and merges consecutive turns of one role', () => {
    const result = body({
      messages: [
        { role: 'user', content: 'One' },
        { role: 'user', content: [{ type: 'text', text: 'Two' }] },
        { role: 'assistant', content: 'Three' },
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'Four' }] },
        { role: 'user', content: 'Five' },
      ],
    });
    expect(result.contents).toEqual([
      { role: 'user', parts: [{ text: 'One' }, { text: 'Two' }] },
      { role: 'model', parts: [{ text: 'Three' }, { text: 'Four' }] },
      { role: 'user', parts: [{ text: 'Five' }] },
    ]);
  });

  it('leaves out empty text and messages left with nothing', () => {
    const result = body({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'Again' },
      ],
    });
    expect(result.contents).toEqual([{ role: 'user', parts: [{ text: 'Hi' }, { text: 'Again' }] }]);
  });

  it('sends an assistant refusal given outside content as text', () => {
    const result = body({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: null, refusal: 'I cannot help with that.' },
        { role: 'user', content: 'OK' },
      ],
    });
    expect(result.contents[1]).toEqual({
      role: 'model',
      parts: [{ text: 'I cannot help with that.' }],
    });
  });

  it('refuses a conversation of system messages only', () => {
    const error = providerErrorOf(() => body({ messages: [{ role: 'system', content: 'Rules' }] }));
    expect(error).toMatchObject({ type: 'bad_request', param: 'messages' });
  });

  describe('images', () => {
    const withImage = (url: string): ChatCompletionRequest => ({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url, detail: 'high' } },
          ],
        },
      ],
    });

    it('sends a base64 data URL as inlineData', () => {
      const result = body(withImage('data:image/png;base64,iVBORw0KGgo='));
      expect(result.contents[0]?.parts).toEqual([
        { text: 'What is this?' },
        { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      ]);
    });

    it.each([
      ['https://example.com/cat.webp?size=large', 'image/webp'],
      ['https://example.com/photo.JPG', 'image/jpeg'],
      ['http://example.com/img/42', 'image/jpeg'],
      ['gs://bucket/scans/page.png', 'image/png'],
    ])('sends %s as fileData of type %s', (url, mimeType) => {
      expect(body(withImage(url)).contents[0]?.parts[1]).toEqual({
        fileData: { mimeType, fileUri: url },
      });
    });

    it.each([
      ['data:image/png,rawbytes', 'must be base64'],
      ['ftp://example.com/cat.png', 'data: URLs, http(s):// URLs or gs:// URIs'],
      ['https://', 'not a valid image URL'],
    ])('refuses %s', (url, message) => {
      const error = providerErrorOf(() => body(withImage(url)));
      expect(error).toMatchObject({
        type: 'bad_request',
        param: 'messages[0].content[1].image_url.url',
      });
      expect(error.message).toContain(message);
    });
  });

  describe('tool calls and results', () => {
    const signedId = 'call_abc_0__thought__c2lnbmF0dXJl';
    const conversation: ChatCompletionRequest = {
      messages: [
        { role: 'user', content: 'Weather in Paris and London?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: signedId,
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
            { id: 'call_abc_1', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: signedId, content: '{"temp_c":21}' },
        { role: 'tool', tool_call_id: 'call_abc_1', content: [{ type: 'text', text: '14:05' }] },
      ],
    };

    it('sends calls as functionCall parts with their signatures, and answers in one user turn', () => {
      expect(body(conversation).contents).toEqual([
        { role: 'user', parts: [{ text: 'Weather in Paris and London?' }] },
        {
          role: 'model',
          parts: [
            {
              functionCall: { name: 'get_weather', args: { city: 'Paris' } },
              thoughtSignature: 'c2lnbmF0dXJl',
            },
            { functionCall: { name: 'get_time', args: {} } },
          ],
        },
        {
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { temp_c: 21 } } },
            { functionResponse: { name: 'get_time', response: { result: '14:05' } } },
          ],
        },
      ]);
    });

    it('wraps JSON that is not an object as {result}', () => {
      const request: ChatCompletionRequest = {
        ...conversation,
        messages: [
          ...conversation.messages.slice(0, 2),
          { role: 'tool', tool_call_id: signedId, content: '[1,2]' },
          { role: 'tool', tool_call_id: 'call_abc_1', content: '42' },
        ],
      };
      expect(body(request).contents[2]?.parts).toEqual([
        { functionResponse: { name: 'get_weather', response: { result: [1, 2] } } },
        { functionResponse: { name: 'get_time', response: { result: 42 } } },
      ]);
    });

    it('signs the first unsigned call of a model turn for Gemini 3', () => {
      const request: ChatCompletionRequest = {
        messages: [
          { role: 'user', content: 'Time?' },
          {
            role: 'assistant',
            content: 'Checking.',
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'get_time', arguments: '{}' } },
              { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: '1' },
          { role: 'tool', tool_call_id: 'call_2', content: '2' },
        ],
      };
      const gemini3 = body(request, geminiContext({ providerModel: 'gemini-3-pro-preview' }));
      expect(gemini3.contents[1]?.parts).toEqual([
        { text: 'Checking.' },
        {
          functionCall: { name: 'get_time', args: {} },
          thoughtSignature: FOREIGN_THOUGHT_SIGNATURE,
        },
        { functionCall: { name: 'get_time', args: {} } },
      ]);
      const gemini25 = body(request);
      expect(JSON.stringify(gemini25)).not.toContain('thoughtSignature');
      const signed = body(conversation, geminiContext({ providerModel: 'gemini-3-flash-preview' }));
      expect(JSON.stringify(signed)).not.toContain(FOREIGN_THOUGHT_SIGNATURE);
    });

    it('names a tool result after the nearest earlier call with its id', () => {
      const call = (name: string) => ({
        role: 'assistant' as const,
        content: null,
        tool_calls: [
          { id: 'call_0', type: 'function' as const, function: { name, arguments: '{}' } },
        ],
      });
      const result = body({
        messages: [
          { role: 'user', content: 'go' },
          call('first'),
          { role: 'tool', tool_call_id: 'call_0', content: 'a' },
          call('second'),
          { role: 'tool', tool_call_id: 'call_0', content: 'b' },
        ],
      });
      expect(result.contents[4]?.parts).toEqual([
        { functionResponse: { name: 'second', response: { result: 'b' } } },
      ]);
    });

    it('refuses a tool result whose call is unknown', () => {
      const error = providerErrorOf(() =>
        body({
          messages: [
            { role: 'user', content: 'go' },
            { role: 'tool', tool_call_id: 'call_missing', content: 'x' },
          ],
        }),
      );
      expect(error).toMatchObject({ type: 'bad_request', param: 'messages[1].tool_call_id' });
    });

    it.each([
      ['{not json', 'must be JSON text'],
      ['[1]', 'must be a JSON object'],
    ])('refuses tool call arguments %s', (args, message) => {
      const error = providerErrorOf(() =>
        body({
          messages: [
            { role: 'user', content: 'go' },
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: args } }],
            },
          ],
        }),
      );
      expect(error).toMatchObject({
        type: 'bad_request',
        param: 'messages[1].tool_calls[0].function.arguments',
      });
      expect(error.message).toContain(message);
    });
  });
});

describe('tools and tool_choice', () => {
  it('declares functions with converted parameters, without strict', () => {
    expect(body(chatRequest({ tools: [weatherTool] })).tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'get_weather',
            description: 'Weather for a city',
            parameters: {
              type: 'OBJECT',
              properties: { city: { type: 'STRING' } },
              required: ['city'],
            },
          },
        ],
      },
    ]);
  });

  it('gives a function without arguments no parameters', () => {
    const tools = [
      {
        type: 'function' as const,
        function: { name: 'beep', parameters: { type: 'object', properties: {} } },
      },
      { type: 'function' as const, function: { name: 'boop' } },
    ];
    expect(body(chatRequest({ tools })).tools?.[0]?.functionDeclarations).toEqual([
      { name: 'beep' },
      { name: 'boop' },
    ]);
  });

  it('refuses parameters Gemini cannot express, naming the tool', () => {
    const tools = [
      {
        type: 'function' as const,
        function: {
          name: 'tree',
          parameters: {
            $ref: '#/$defs/Node',
            $defs: {
              Node: {
                type: 'object',
                properties: { kids: { type: 'array', items: { $ref: '#/$defs/Node' } } },
              },
            },
          },
        },
      },
    ];
    expect(providerErrorOf(() => body(chatRequest({ tools })))).toMatchObject({
      type: 'bad_request',
      param: 'tools[0].function.parameters',
    });
  });

  it.each([
    ['auto', { mode: 'AUTO' }],
    ['none', { mode: 'NONE' }],
    ['required', { mode: 'ANY' }],
    [
      { type: 'function', function: { name: 'get_weather' } },
      { mode: 'ANY', allowedFunctionNames: ['get_weather'] },
    ],
  ] as const)('maps tool_choice %o to %o', (toolChoice, config) => {
    const result = body(chatRequest({ tools: [weatherTool], tool_choice: toolChoice }));
    expect(result.toolConfig).toEqual({ functionCallingConfig: config });
  });

  it('refuses a named tool_choice that is not among the tools', () => {
    const request = chatRequest({
      tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'other' } },
    });
    expect(providerErrorOf(() => body(request))).toMatchObject({
      type: 'bad_request',
      param: 'tool_choice',
    });
  });

  it('drops tool_choice none/auto without tools and refuses required without tools', () => {
    expect(body(chatRequest({ tool_choice: 'none' }))).not.toHaveProperty('toolConfig');
    expect(providerErrorOf(() => body(chatRequest({ tool_choice: 'required' })))).toMatchObject({
      param: 'tool_choice',
    });
  });
});

describe('generationConfig', () => {
  it('maps the sampling parameters', () => {
    const result = body(
      chatRequest({
        temperature: 0.2,
        top_p: 0.9,
        top_k: 40,
        max_tokens: 100,
        max_completion_tokens: 200,
        stop: 'END',
        n: 2,
        seed: 7,
        presence_penalty: 0.5,
        frequency_penalty: -0.5,
        logprobs: true,
        top_logprobs: 3,
      }),
    );
    expect(result.generationConfig).toEqual({
      temperature: 0.2,
      topP: 0.9,
      topK: 40,
      maxOutputTokens: 200,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      responseLogprobs: true,
      logprobs: 3,
    });
  });

  it('takes max_tokens when max_completion_tokens is absent, and stop lists as they are', () => {
    expect(body(chatRequest({ max_tokens: 50, stop: ['a', 'b'] })).generationConfig).toEqual({
      maxOutputTokens: 50,
      stopSequences: ['a', 'b'],
    });
  });

  it('sends no generationConfig when nothing is set, and treats null as not set', () => {
    expect(
      body(chatRequest({ temperature: null, logprobs: false, top_logprobs: 2 })),
    ).not.toHaveProperty('generationConfig');
  });

  it('asks for JSON for json_object, and for a schema for json_schema', () => {
    expect(
      body(chatRequest({ response_format: { type: 'json_object' } })).generationConfig,
    ).toEqual({
      responseMimeType: 'application/json',
    });
    const schema = {
      type: 'object',
      properties: { answer: { type: 'string' }, score: { type: ['number', 'null'] } },
      required: ['answer', 'score'],
      additionalProperties: false,
    };
    const result = body(
      chatRequest({
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'verdict', schema, strict: true },
        },
      }),
    );
    expect(result.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: {
        type: 'OBJECT',
        properties: { answer: { type: 'STRING' }, score: { type: 'NUMBER', nullable: true } },
        required: ['answer', 'score'],
      },
    });
    expect(body(chatRequest({ response_format: { type: 'text' } }))).not.toHaveProperty(
      'generationConfig',
    );
  });

  it('refuses a response schema Gemini cannot express', () => {
    const request = chatRequest({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', schema: { type: 'tuple' } },
      },
    });
    expect(providerErrorOf(() => body(request))).toMatchObject({
      param: 'response_format.json_schema.schema',
    });
  });

  it.each([
    ['gemini-3-pro-preview', 'high', { thinkingLevel: 'HIGH' }],
    ['gemini-3-flash-preview', 'minimal', { thinkingLevel: 'MINIMAL' }],
    ['gemini-2.5-flash', 'none', { thinkingBudget: 0 }],
    ['gemini-2.5-pro', 'low', { thinkingBudget: 1024 }],
    ['gemini-flash-latest', 'medium', { thinkingBudget: 2048 }],
  ] as const)('maps reasoning_effort for %s: %s → %o', (providerModel, effort, thinkingConfig) => {
    const result = body(
      chatRequest({ reasoning_effort: effort }),
      geminiContext({ providerModel }),
    );
    expect(result.generationConfig).toEqual({ thinkingConfig });
  });

  it('refuses reasoning_effort for models that do not think, or drops it with dropParams', () => {
    const request = chatRequest({ reasoning_effort: 'low' });
    const context = geminiContext({ providerModel: 'gemini-2.0-flash' });
    expect(providerErrorOf(() => body(request, context))).toMatchObject({
      type: 'bad_request',
      code: 'unsupported_parameter',
      param: 'reasoning_effort',
    });
    expect(
      body(request, geminiContext({ providerModel: 'gemini-2.0-flash' }, true)),
    ).not.toHaveProperty('generationConfig');
  });
});

describe('unsupported parameters', () => {
  it.each([
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['parallel_tool_calls', { parallel_tool_calls: false }],
    ['audio', { audio: { voice: 'alloy', format: 'mp3' } }],
    ['functions', { functions: [{ name: 'f' }] }],
  ])('refuses %s with a bad_request naming it', (param, fields) => {
    expect(providerErrorOf(() => body(chatRequest(fields)))).toMatchObject({
      type: 'bad_request',
      code: 'unsupported_parameter',
      param,
    });
  });

  it('drops them when dropParams is on', () => {
    const request = chatRequest({
      logit_bias: { '50256': -100 },
      parallel_tool_calls: false,
      audio: { voice: 'alloy' },
      temperature: 1,
    });
    const result = body(request, geminiContext({}, true));
    expect(result).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      generationConfig: { temperature: 1 },
    });
  });

  it('accepts fields that do not change the answer, and empty or null ones', () => {
    const request = chatRequest({
      user: 'u-1',
      metadata: { team: 'search' },
      store: false,
      stream: true,
      stream_options: { include_usage: true },
      logit_bias: {},
      parallel_tool_calls: true,
      audio: null,
    });
    expect(() => body(request)).not.toThrow();
  });
});
