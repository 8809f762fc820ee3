import Anthropic from '@anthropic-ai/sdk';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import type { Message, MessageCreateParamsBase } from '@anthropic-ai/sdk/resources/messages';
import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../adapter';
import { anthropicAdapter } from './anthropic.adapter';
import type { AnthropicRequestBody } from './anthropic.types';
import { assemble, chatRequest, context, fixture, streamFixture } from './spec-helpers';

/** Compiles only while the adapter's request body is a valid `MessageCreateParams` of the SDK. */
function asSdkParams(body: AnthropicRequestBody): MessageCreateParamsBase {
  return body;
}

/** The SDK's own accumulation of a stream fixture into the final Message. */
async function sdkFinalMessage(events: readonly SseEvent[]): Promise<Message> {
  const lines = events.map((event) => `${event.data.replace(/\n/g, ' ')}\n`).join('');
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(lines));
      controller.close();
    },
  });
  return MessageStream.fromReadableStream(body).finalMessage();
}

const richRequest = chatRequest({
  messages: [
    { role: 'system', content: 'You are a weather assistant.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'What is the weather where this photo was taken?' },
        { type: 'image_url', image_url: { url: 'https://example.com/street.jpg' } },
      ],
    },
    {
      role: 'assistant',
      content: 'Let me check.',
      tool_calls: [
        {
          id: 'toolu_01',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"location":"Paris"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: 'toolu_01', content: '18°C, sunny' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        parameters: { type: 'object', properties: { location: { type: 'string' } } },
      },
    },
  ],
  tool_choice: 'required',
  parallel_tool_calls: false,
  stop: ['END'],
  user: 'user-1',
  max_tokens: 300,
});

describe('anthropicAdapter', () => {
  it('serves the anthropic provider', () => {
    expect(anthropicAdapter.providers).toEqual(['anthropic']);
  });

  it('builds a body the official SDK accepts and sends unchanged to POST /v1/messages', async () => {
    const http = anthropicAdapter.buildRequest(
      richRequest,
      context({ deployment: { providerModel: 'claude-sonnet-4-6' } }),
      { stream: false },
    );
    const body = JSON.parse(http.body) as AnthropicRequestBody;
    const sent: Array<{ url: string; body: unknown }> = [];
    const client = new Anthropic({
      apiKey: 'sk-ant-test',
      baseURL: 'http://anthropic.test',
      maxRetries: 0,
      fetch: (url: string | URL | Request, init?: RequestInit) => {
        const href = url instanceof Request ? url.url : url.toString();
        const text = typeof init?.body === 'string' ? init.body : '';
        sent.push({ url: href, body: JSON.parse(text) as unknown });
        return Promise.resolve(
          new Response(JSON.stringify(fixture('response-tool-use.json')), {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
        );
      },
    });
    const message = (await client.messages.create(asSdkParams(body))) as Message;
    expect(sent).toEqual([{ url: 'http://anthropic.test/v1/messages', body }]);
    expect(anthropicAdapter.parseResponse(message, context()).choices[0]?.finish_reason).toBe(
      'tool_calls',
    );
  });

  it.each(['stream-text.json', 'stream-tool-use.json'])(
    'decodes %s to what the SDK accumulates from the same events',
    async (name) => {
      const events = streamFixture(name);
      const decoder = anthropicAdapter.createStreamDecoder(context());
      const streamed = assemble(events.flatMap((event) => decoder.push(event)));
      const summary = decoder.end();
      const whole = anthropicAdapter.parseResponse(await sdkFinalMessage(events), context());
      const choice = whole.choices[0];
      expect(streamed.content).toBe(choice?.message.content);
      const parsedArguments = (text: string): unknown => JSON.parse(text);
      expect(
        streamed.toolCalls.map((call) => [call.id, call.name, parsedArguments(call.arguments)]),
      ).toEqual(
        (choice?.message.tool_calls ?? []).map((call) => [
          call.id,
          call.function.name,
          parsedArguments(call.function.arguments),
        ]),
      );
      expect(summary.finishReason).toBe(choice?.finish_reason);
      expect(summary.usage).toEqual(whole.usage);
    },
  );

  it('classifies errors through the adapter', () => {
    const error = anthropicAdapter.classifyError(
      529,
      JSON.stringify(fixture('errors/529-overloaded.json')),
      {
        'retry-after': '2',
      },
    );
    expect(error).toMatchObject({ type: 'overloaded', retryAfterMs: 2000, providerStatus: 529 });
  });
});
