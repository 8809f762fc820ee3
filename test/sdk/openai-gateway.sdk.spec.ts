import OpenAI, {
  AuthenticationError,
  BadRequestError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack } from '../gateway/gateway-stack.test-support';
import { directAnswer, questionMessages } from '../pipeline/pipeline-harness.test-support';

/** The official openai SDK against the gateway, through real workers and the simulator. */
describe('openai SDK against the gateway', () => {
  let stack: GatewayStack;
  let client: OpenAI;
  let secret: string;

  beforeAll(async () => {
    stack = await startGatewayStack(
      'gw-sdk',
      { models: { 'fast-triage-model': 'openai', 'creative-writer-model': 'anthropic' } },
      ['openai', 'anthropic'],
    );
    ({ secret } = await stack.keys.create({ tenant: 'acme', models: ['fast-triage-model'] }));
    client = new OpenAI({ apiKey: secret, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('creates a completion with a virtual key', async () => {
    const completion = await client.chat.completions.create({
      model: 'fast-triage-model',
      messages: questionMessages,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.choices[0]?.message.content).toBe(
      await directAnswer(stack.servers, 'openai'),
    );
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  it('streams with include_usage: usage on the last chunk only', async () => {
    const stream = await client.chat.completions.create({
      model: 'fast-triage-model',
      messages: questionMessages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage == null)).toBe(true);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(await directAnswer(stack.servers, 'openai'));
    expect(chunks.some((chunk) => chunk.choices[0]?.finish_reason === 'stop')).toBe(true);
  });

  it('round-trips a tool call', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'find_train',
          parameters: {
            type: 'object',
            properties: { colour: { type: 'string', enum: ['blue', 'red'] } },
            required: ['colour'],
          },
        },
      },
    ];
    const first = await client.chat.completions.create({
      model: 'fast-triage-model',
      messages: questionMessages,
      tools,
    });
    const call = first.choices[0]?.message.tool_calls?.[0];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(JSON.parse(call.function.arguments)).toEqual({ colour: 'blue' });
    const second = await client.chat.completions.create({
      model: 'fast-triage-model',
      tools,
      messages: [
        ...questionMessages,
        { role: 'assistant', content: null, tool_calls: [call] },
        { role: 'tool', tool_call_id: call.id, content: '{"destination":"Edinburgh"}' },
      ],
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(second.choices[0]?.message.content).toEqual(expect.any(String));
  });

  it('answers JSON matching a json_schema response format', async () => {
    const completion = await client.chat.completions.create({
      model: 'fast-triage-model',
      messages: questionMessages,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'destination',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' }, eta_minutes: { type: 'number' } },
            required: ['city', 'eta_minutes'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({
      city: 'text',
      eta_minutes: 0,
    });
  });

  it('raises AuthenticationError for an unknown key', async () => {
    const stranger = new OpenAI({
      apiKey: 'sk-sy-unknown',
      baseURL: `${stack.gateway.url}/v1`,
      maxRetries: 0,
    });
    const error = await stranger.chat.completions
      .create({ model: 'fast-triage-model', messages: questionMessages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).status).toBe(401);
  });

  it('raises PermissionDeniedError for a model the key may not use', async () => {
    const error = await client.chat.completions
      .create({ model: 'creative-writer-model', messages: questionMessages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as PermissionDeniedError).code).toBe('model_not_allowed');
  });

  it('raises NotFoundError for a model that is not configured', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-5', messages: questionMessages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).code).toBe('model_not_found');
  });

  it('raises BadRequestError naming an invalid field', async () => {
    const error = await client.chat.completions
      .create({ model: 'fast-triage-model', messages: questionMessages, temperature: 5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('temperature');
  });

  it("raises RateLimitError once the key's rpm is spent", async () => {
    const limited = await stack.keys.create({ tenant: 'acme', rpm: 1 });
    const sdk = new OpenAI({
      apiKey: limited.secret,
      baseURL: `${stack.gateway.url}/v1`,
      maxRetries: 0,
    });
    let error: unknown;
    // Two calls can straddle the edge of a rate window; a third cannot also be admitted.
    for (let call = 0; call < 3 && error === undefined; call += 1) {
      error = await sdk.chat.completions
        .create({ model: 'fast-triage-model', messages: questionMessages })
        .then(() => undefined)
        .catch((e: unknown) => e);
    }
    expect(error).toBeInstanceOf(RateLimitError);
    expect(Number((error as RateLimitError).headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
