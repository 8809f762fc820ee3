import Anthropic, {
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
} from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens, startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';

/** Proof that the official @anthropic-ai/sdk (1.13) accepts what the simulator sends. */
describe('@anthropic-ai/sdk against provider-sim', () => {
  let sim: ProviderSimHandle;
  let client: Anthropic;

  beforeAll(async () => {
    sim = await startProviderSim({ scenario: { apiKeys: ['sk-ant-sim'] } });
    client = new Anthropic({
      apiKey: 'sk-ant-sim',
      baseURL: `${sim.url}/anthropic`,
      maxRetries: 0,
    });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const messages = [{ role: 'user' as const, content: 'Which platform for the night train?' }];
  const weatherTool = {
    name: 'get_platform',
    description: 'Looks up a platform',
    input_schema: {
      type: 'object' as const,
      properties: { train: { type: 'string' }, hour: { type: 'integer', minimum: 0 } },
      required: ['train', 'hour'],
    },
  };

  it('answers messages.create with usage', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages,
    });
    const block = message.content[0];
    expect(message.type).toBe('message');
    expect(message.stop_reason).toBe('end_turn');
    expect(block?.type).toBe('text');
    const text = block?.type === 'text' ? block.text : '';
    expect(text).toMatch(/^Simulated reply to: Which platform for the night train\?/);
    expect(message.usage.output_tokens).toBe(countTokens(text));
    expect(message.usage.input_tokens).toBe(3 + 7 + 3);
  });

  it('streams text events and a final message equal to the non-streaming one', async () => {
    const whole = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages,
    });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages,
    });
    let text = '';
    stream.on('text', (delta) => {
      text += delta;
    });
    const final = await stream.finalMessage();
    expect(final.content).toEqual(whole.content);
    expect(text).toBe(whole.content[0]?.type === 'text' ? whole.content[0].text : '');
    expect(final.usage.output_tokens).toBe(whole.usage.output_tokens);
    expect(final.stop_reason).toBe('end_turn');
  });

  it('uses a tool when tool_choice requires one, streaming or not', async () => {
    const request = {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages,
      tools: [weatherTool],
      tool_choice: { type: 'any' as const },
    };
    const message = await client.messages.create(request);
    expect(message.stop_reason).toBe('tool_use');
    const use = message.content.find((block) => block.type === 'tool_use');
    expect(use?.type === 'tool_use' ? use.input : undefined).toEqual({ train: 'text', hour: 0 });

    const streamed = await client.messages.stream(request).finalMessage();
    const streamedUse = streamed.content.find((block) => block.type === 'tool_use');
    expect(streamedUse?.type === 'tool_use' ? streamedUse.input : undefined).toEqual({
      train: 'text',
      hour: 0,
    });
  });

  it('stops at a stop sequence', async () => {
    const message = await client.messages.create({
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      messages,
      stop_sequences: ['night'],
    });
    expect(message.stop_reason).toBe('stop_sequence');
    expect(message.stop_sequence).toBe('night');
    expect(message.content[0]?.type === 'text' ? message.content[0].text : '').toBe(
      'Simulated reply to: Which platform for the ',
    );
  });

  it('maps faults to the SDK error classes', async () => {
    const fault = (value: string) => ({ headers: { 'x-sim-fault': value } });
    const request = { model: 'claude-sonnet-4-5', max_tokens: 100, messages };

    const limited = await client.messages
      .create(request, fault('rate_limit; retry_after=7'))
      .catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('7');
    expect((limited as RateLimitError).type).toBe('rate_limit_error');

    const long = await client.messages
      .create(request, fault('context_length; max=1000'))
      .catch((e: unknown) => e);
    expect(long).toBeInstanceOf(BadRequestError);
    expect((long as BadRequestError).apiMessage).toBe(
      'prompt is too long: 1001 tokens > 1000 maximum',
    );

    const overloaded = await client.messages
      .create(request, fault('overloaded'))
      .catch((e: unknown) => e);
    expect(overloaded).toBeInstanceOf(InternalServerError);
    expect(overloaded).toBeInstanceOf(Anthropic.OverloadedError);
    expect((overloaded as InternalServerError).status).toBe(529);
    expect((overloaded as InternalServerError).type).toBe('overloaded_error');
    expect((overloaded as InternalServerError).requestID).toMatch(/^req_/);

    const wrongKey = new Anthropic({
      apiKey: 'sk-ant-wrong',
      baseURL: `${sim.url}/anthropic`,
      maxRetries: 0,
    });
    const denied = await wrongKey.messages.create(request).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(AuthenticationError);
    expect((denied as AuthenticationError).apiMessage).toBe('invalid x-api-key');
  });

  it('reports an overload in the middle of a stream as the SDK error', async () => {
    const stream = client.messages.stream(
      { model: 'claude-sonnet-4-5', max_tokens: 100, messages },
      { headers: { 'x-sim-fault': 'overloaded; after=5' } },
    );
    const failure = await stream.finalMessage().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(Anthropic.APIError);
    expect((failure as InstanceType<typeof Anthropic.APIError>).message).toContain('Overloaded');
  });
});
