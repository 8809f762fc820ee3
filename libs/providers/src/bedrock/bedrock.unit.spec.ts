import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import type { AdapterContext } from '../adapter';
import { EventStreamReader } from '../eventstream/event-stream-reader';
import { classifyBedrockError } from './bedrock.errors';
import { buildBedrockRequest } from './bedrock.request';
import { signBedrockRequest } from './bedrock.sign';
import { BedrockStreamDecoder } from './bedrock.stream';

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const frame = (name: string, payload: unknown, type: 'event' | 'exception' = 'event') =>
  codec.encode({
    headers: {
      [type === 'event' ? ':event-type' : ':exception-type']: { type: 'string', value: name },
      ':message-type': { type: 'string', value: type },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });

const context: AdapterContext = {
  dropParams: false,
  deployment: (() => {
    const yaml = [
      'model_list:',
      '  - model_name: m',
      '    litellm_params: { model: bedrock/converse/anthropic.claude-3-5-haiku-20241022-v1:0, aws_access_key_id: AKIDSIMULATOR, aws_secret_access_key: sim-secret, aws_region_name: eu-west-1 }',
    ].join('\n');
    const deployment = parseConfig(yaml, { env: {} }).config.models['m']?.deployments[0];
    if (deployment === undefined) throw new Error('no deployment');
    return deployment;
  })(),
};

describe('the event-stream reader', () => {
  it('reads frames split anywhere, and refuses a frame with a wrong CRC', () => {
    const bytes = Buffer.concat([
      frame('messageStart', { role: 'assistant' }),
      frame('messageStop', { stopReason: 'end_turn' }),
    ]);
    const reader = new EventStreamReader('bedrock');
    const events = [...bytes].flatMap((byte) => reader.push(Uint8Array.of(byte)));
    expect(events).toEqual([
      { event: 'messageStart', data: '{"role":"assistant"}' },
      { event: 'messageStop', data: '{"stopReason":"end_turn"}' },
    ]);
    const broken = frame('messageStart', { role: 'assistant' });
    broken[broken.length - 1] = (broken.at(-1) ?? 0) ^ 0xff;
    expect(() => new EventStreamReader('bedrock').push(broken)).toThrow(
      /unreadable event-stream frame/,
    );
  });
});

describe('the Bedrock stream decoder', () => {
  it('turns tool use into tool_calls deltas and an exception frame into a classified error', () => {
    const decoder = new BedrockStreamDecoder(context);
    const reader = new EventStreamReader('bedrock');
    const chunks = reader
      .push(
        Buffer.concat([
          frame('messageStart', { role: 'assistant' }),
          frame('contentBlockStart', {
            contentBlockIndex: 0,
            start: { toolUse: { toolUseId: 't1', name: 'get_weather' } },
          }),
          frame('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { toolUse: { input: '{"city":' } },
          }),
          frame('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { toolUse: { input: '"Oslo"}' } },
          }),
          frame('messageStop', { stopReason: 'tool_use' }),
        ]),
      )
      .flatMap((event) => decoder.push(event));
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(calls[0]).toMatchObject({ index: 0, id: 't1', function: { name: 'get_weather' } });
    expect(calls.map((call) => call.function?.arguments).join('')).toBe('{"city":"Oslo"}');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(() => decoder.end()).toThrow(/before its metadata event/);

    const [exception] = reader.push(
      frame('throttlingException', { message: 'slow down' }, 'exception'),
    );
    expect(() => decoder.push(exception ?? { data: '' })).toThrow(
      expect.objectContaining({ type: 'rate_limit', message: 'slow down' }),
    );
  });
});

describe('Bedrock errors', () => {
  it.each([
    ['ThrottlingException', 429, 'Too many requests', 'rate_limit'],
    [
      'ValidationException',
      400,
      'Input is too long for requested model.',
      'context_window_exceeded',
    ],
    ['ValidationException', 400, 'Output blocked by content filtering policy', 'content_policy'],
    ['ValidationException', 400, 'messages: field required', 'bad_request'],
    ['AccessDeniedException', 403, 'denied', 'auth'],
    [
      'UnrecognizedClientException',
      403,
      'The security token included in the request is invalid.',
      'auth',
    ],
    ['ResourceNotFoundException', 404, 'no model', 'not_found'],
    ['ModelNotReadyException', 429, 'not ready', 'overloaded'],
    ['ServiceUnavailableException', 503, 'unavailable', 'overloaded'],
    ['InternalServerException', 500, 'oops', 'server'],
    ['ModelTimeoutException', 408, 'slow', 'timeout'],
    ['ModelErrorException', 424, 'model failed', 'server'],
  ])('classifies %s (%i, "%s") as %s', (className, status, message, type) => {
    const error = classifyBedrockError(status, JSON.stringify({ message }), {
      'x-amzn-errortype': `${className}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
    });
    expect(error).toMatchObject({ type, message, provider: 'bedrock', providerStatus: status });
  });
});

describe('the Bedrock request', () => {
  it('maps an OpenAI request to Converse, then signs it with SigV4 for the region', async () => {
    const built = buildBedrockRequest(
      {
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'user', content: 'Weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 't1', type: 'function', function: { name: 'w', arguments: '{"c":1}' } },
            ],
          },
          { role: 'tool', tool_call_id: 't1', content: '{"t":4}' },
        ],
        tools: [{ type: 'function', function: { name: 'w', parameters: { type: 'object' } } }],
        tool_choice: 'required',
        max_tokens: 50,
        stop: 'END',
      },
      context,
      { stream: false },
    );
    expect(built.url).toBe(
      'https://bedrock-runtime.eu-west-1.amazonaws.com/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse',
    );
    expect(JSON.parse(built.body)).toEqual({
      system: [{ text: 'Be terse.' }],
      messages: [
        { role: 'user', content: [{ text: 'Weather?' }] },
        {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: 't1', name: 'w', input: { c: 1 } } }],
        },
        {
          role: 'user',
          content: [{ toolResult: { toolUseId: 't1', content: [{ json: { t: 4 } }] } }],
        },
      ],
      inferenceConfig: { maxTokens: 50, stopSequences: ['END'] },
      toolConfig: {
        tools: [{ toolSpec: { name: 'w', inputSchema: { json: { type: 'object' } } } }],
        toolChoice: { any: {} },
      },
    });
    const signed = await signBedrockRequest(built, context);
    expect(signed.headers['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDSIMULATOR\/\d{8}\/eu-west-1\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-date[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(signed.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(signed.body).toBe(built.body);
  });
});
