import {
  FunctionCallingConfigMode,
  GoogleGenAI,
  Type,
  type Content,
  type GenerateContentConfig,
} from '@google/genai';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { geminiAdapter } from './gemini.adapter';
import { geminiContext } from './spec-helpers';
import textResponse from './fixtures/response-text.json';
import functionCallResponse from './fixtures/response-function-call.json';
import thoughtsCached from './fixtures/response-thoughts-cached.json';
import streamText from './fixtures/stream-text.json';

/*
 * Proof against Google's official SDK (@google/genai): the SDK, given the same conversation,
 * sends the same URL, key header and JSON body this adapter builds, and reads the same text
 * and function calls out of the fixtures as this adapter does. fetch is stubbed: nothing
 * leaves the machine.
 */

interface Captured {
  url: string;
  headers: Headers;
  body: unknown;
}

function stubFetch(reply: () => Response): Captured[] {
  const captured: Captured[] = [];
  vi.stubGlobal('fetch', (url: string | URL, init?: RequestInit) => {
    if (typeof init?.body !== 'string') throw new Error('expected a JSON text body');
    captured.push({
      url: url.toString(),
      headers: new Headers(init.headers),
      body: JSON.parse(init.body) as unknown,
    });
    return Promise.resolve(reply());
  });
  return captured;
}

const jsonReply = (body: unknown) => () =>
  new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

const sseReply = (events: readonly unknown[]) => () =>
  new Response(events.map((event) => `data: ${JSON.stringify(event)}\r\n\r\n`).join(''), {
    headers: { 'content-type': 'text/event-stream' },
  });

const sdk = () => new GoogleGenAI({ apiKey: 'test-key' });

afterEach(() => {
  vi.unstubAllGlobals();
});

const signature = 'c2lnbmF0dXJl';

const openAiRequest: ChatCompletionRequest = {
  messages: [
    { role: 'system', content: 'You are a travel assistant.' },
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Where was this taken, and what is the weather there?' },
        { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQSkZJRg==' } },
      ],
    },
    {
      role: 'assistant',
      content: 'That is the Eiffel Tower.',
      tool_calls: [
        {
          id: `call_r1_0__thought__${signature}`,
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
        },
      ],
    },
    { role: 'tool', tool_call_id: `call_r1_0__thought__${signature}`, content: '{"temp_c":21}' },
  ],
  tools: [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather',
        parameters: {
          type: 'object',
          properties: { city: { type: 'string', description: 'City name' } },
          required: ['city'],
          additionalProperties: false,
        },
      },
    },
  ],
  tool_choice: 'auto',
  temperature: 0.4,
  top_p: 0.95,
  max_completion_tokens: 512,
  stop: ['\n\n'],
  seed: 11,
  presence_penalty: 0.1,
  frequency_penalty: 0.2,
  response_format: {
    type: 'json_schema',
    json_schema: {
      name: 'answer',
      schema: { type: 'object', properties: { place: { type: 'string' } }, required: ['place'] },
    },
  },
  reasoning_effort: 'low',
};

const sdkContents: Content[] = [
  {
    role: 'user',
    parts: [
      { text: 'Where was this taken, and what is the weather there?' },
      { inlineData: { mimeType: 'image/jpeg', data: '/9j/4AAQSkZJRg==' } },
    ],
  },
  {
    role: 'model',
    parts: [
      { text: 'That is the Eiffel Tower.' },
      {
        functionCall: { name: 'get_weather', args: { city: 'Paris' } },
        thoughtSignature: signature,
      },
    ],
  },
  {
    role: 'user',
    parts: [{ functionResponse: { name: 'get_weather', response: { temp_c: 21 } } }],
  },
];

const sdkConfig: GenerateContentConfig = {
  systemInstruction: { parts: [{ text: 'You are a travel assistant.' }] },
  tools: [
    {
      functionDeclarations: [
        {
          name: 'get_weather',
          description: 'Current weather',
          parameters: {
            type: Type.OBJECT,
            properties: { city: { type: Type.STRING, description: 'City name' } },
            required: ['city'],
          },
        },
      ],
    },
  ],
  toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.AUTO } },
  temperature: 0.4,
  topP: 0.95,
  maxOutputTokens: 512,
  stopSequences: ['\n\n'],
  seed: 11,
  presencePenalty: 0.1,
  frequencyPenalty: 0.2,
  responseMimeType: 'application/json',
  responseSchema: {
    type: Type.OBJECT,
    properties: { place: { type: Type.STRING } },
    required: ['place'],
  },
  thinkingConfig: { thinkingBudget: 1024 },
};

describe('requests match what @google/genai sends', () => {
  it('generateContent: same URL, key header and body', async () => {
    const captured = stubFetch(jsonReply(textResponse));
    await sdk().models.generateContent({
      model: 'gemini-2.5-flash',
      contents: sdkContents,
      config: sdkConfig,
    });
    const ours = geminiAdapter.buildRequest(openAiRequest, geminiContext(), { stream: false });
    const theirs = captured[0];
    expect(ours.url).toBe(theirs?.url);
    expect(ours.headers['x-goog-api-key']).toBe(theirs?.headers.get('x-goog-api-key'));
    expect(JSON.parse(ours.body)).toEqual(theirs?.body);
  });

  it('streamGenerateContent: same URL and body', async () => {
    const captured = stubFetch(sseReply(streamText));
    const stream = await sdk().models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: sdkContents,
      config: sdkConfig,
    });
    const texts: (string | undefined)[] = [];
    for await (const chunk of stream) texts.push(chunk.text);
    expect(texts).toHaveLength(streamText.length);
    const ours = geminiAdapter.buildRequest(openAiRequest, geminiContext(), { stream: true });
    expect(ours.url).toBe(captured[0]?.url);
    expect(JSON.parse(ours.body)).toEqual(captured[0]?.body);
  });
});

describe('responses read as @google/genai reads them', () => {
  it.each([
    ['a text answer', textResponse],
    ['an answer with thoughts', thoughtsCached],
  ])('%s: same text', async (_label, fixture) => {
    stubFetch(jsonReply(fixture));
    const theirs = await sdk().models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    const ours = geminiAdapter.parseResponse(fixture, geminiContext());
    expect(ours.choices[0]?.message.content).toBe(theirs.text);
  });

  it('function calls: same names and arguments', async () => {
    stubFetch(jsonReply(functionCallResponse));
    const theirs = await sdk().models.generateContent({ model: 'gemini-2.5-flash', contents: 'x' });
    const ours = geminiAdapter.parseResponse(functionCallResponse, geminiContext());
    expect(
      ours.choices[0]?.message.tool_calls?.map((call) => ({
        name: call.function.name,
        args: JSON.parse(call.function.arguments) as unknown,
      })),
    ).toEqual(theirs.functionCalls?.map(({ name, args }) => ({ name, args })));
  });

  it('a stream: same text, event by event', async () => {
    stubFetch(sseReply(streamText));
    const theirs: (string | undefined)[] = [];
    const stream = await sdk().models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'x',
    });
    for await (const chunk of stream) theirs.push(chunk.text);
    const decoder = geminiAdapter.createStreamDecoder(geminiContext());
    const ours = streamText.flatMap((event) =>
      decoder.push({ data: JSON.stringify(event) }).map((chunk) => chunk.choices[0]?.delta.content),
    );
    expect(ours).toEqual(theirs);
  });
});
