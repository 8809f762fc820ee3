import OpenAI, {
  AuthenticationError,
  AzureOpenAI,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens, startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';

/** Proof that the official openai SDK (6.49) accepts what the simulator sends. */
describe('openai SDK against provider-sim', () => {
  let sim: ProviderSimHandle;
  let client: OpenAI;

  beforeAll(async () => {
    sim = await startProviderSim({ scenario: { apiKeys: ['sk-sim-valid'] } });
    client = new OpenAI({ apiKey: 'sk-sim-valid', baseURL: `${sim.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const question = [{ role: 'user' as const, content: 'Where is the blue train going?' }];

  it('answers a chat completion with exact usage', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
    });
    const text = completion.choices[0]?.message.content ?? '';
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(text).toMatch(/^Simulated reply to: Where is the blue train going\?/);
    expect(completion.usage?.completion_tokens).toBe(countTokens(text));
    // 3 per message + 7 tokens of content + 3 reply priming
    expect(completion.usage?.prompt_tokens).toBe(3 + 7 + 3);
  });

  it('calls a tool with arguments that satisfy its schema', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      tools: [
        {
          type: 'function',
          function: {
            name: 'find_train',
            parameters: {
              type: 'object',
              properties: {
                colour: { type: 'string', enum: ['blue', 'red'] },
                cars: { type: 'integer', minimum: 2 },
              },
              required: ['colour', 'cars'],
            },
          },
        },
      ],
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(call?.type).toBe('function');
    if (call?.type !== 'function') throw new Error('expected a function call');
    expect(call.function.name).toBe('find_train');
    expect(JSON.parse(call.function.arguments)).toEqual({ colour: 'blue', cars: 2 });
  });

  it('answers JSON that matches a json_schema response format', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
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

  it('streams chunks that concatenate to the same text, with usage at the end', async () => {
    const whole = await client.chat.completions.create({ model: 'gpt-4o', messages: question });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(finish).toBe('stop');
    expect(usage).toEqual(whole.usage);
  });

  it('stops at max_tokens with finish_reason length', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: question,
      max_tokens: 4,
    });
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.usage?.completion_tokens).toBe(4);
  });

  it('maps faults to the SDK error classes', async () => {
    const fault = (value: string) => ({ headers: { 'x-sim-fault': value } });
    const rateLimited = await client.chat.completions
      .create({ model: 'gpt-4o', messages: question }, fault('rate_limit; retry_after=3'))
      .catch((error: unknown) => error);
    expect(rateLimited).toBeInstanceOf(RateLimitError);
    expect((rateLimited as RateLimitError).status).toBe(429);
    expect((rateLimited as RateLimitError).headers.get('retry-after')).toBe('3');
    expect((rateLimited as RateLimitError).code).toBe('rate_limit_exceeded');

    const context = await client.chat.completions
      .create({ model: 'gpt-4o', messages: question }, fault('context_length'))
      .catch((error: unknown) => error);
    expect(context).toBeInstanceOf(BadRequestError);
    expect((context as BadRequestError).code).toBe('context_length_exceeded');

    const missing = await client.chat.completions
      .create({ model: 'gpt-9', messages: question }, fault('not_found'))
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe('model_not_found');

    for (const [kind, status] of [
      ['server_error', 500],
      ['unavailable', 503],
      ['overloaded', 503],
    ] as const) {
      const failed = await client.chat.completions
        .create({ model: 'gpt-4o', messages: question }, fault(kind))
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(InternalServerError);
      expect((failed as InternalServerError).status).toBe(status);
    }

    const wrongKey = new OpenAI({
      apiKey: 'sk-wrong-key-1234',
      baseURL: `${sim.url}/v1`,
      maxRetries: 0,
    });
    const denied = await wrongKey.chat.completions
      .create({ model: 'gpt-4o', messages: question })
      .catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect((denied as AuthenticationError).code).toBe('invalid_api_key');
  });

  it('serves Azure deployments through AzureOpenAI', async () => {
    const azure = new AzureOpenAI({
      endpoint: `${sim.url}/d/azure-east`,
      apiKey: 'sk-sim-valid',
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o-prod',
      maxRetries: 0,
    });
    const completion = await azure.chat.completions.create({
      model: 'gpt-4o-prod',
      messages: question,
    });
    expect(completion.choices[0]?.message.content).toMatch(/^Simulated reply to:/);
    const stream = await azure.chat.completions.create({
      model: 'gpt-4o-prod',
      messages: question,
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe(completion.choices[0]?.message.content);
    expect(sim.stats().deployments['azure-east']?.completed).toBe(2);
  });
});
