import { Cohere, CohereClientV2, type CohereError } from 'cohere-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens, startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';

/** Proof that the official cohere-ai SDK (8.1, CohereClientV2) accepts what the simulator sends. */
describe('cohere-ai (CohereClientV2) against provider-sim', () => {
  let sim: ProviderSimHandle;
  let client: CohereClientV2;

  const clientFor = (token: string): CohereClientV2 =>
    new CohereClientV2({ token, environment: `${sim.url}/cohere`, maxRetries: 0 });

  beforeAll(async () => {
    sim = await startProviderSim({ scenario: { apiKeys: ['co-sim-key'] } });
    client = clientFor('co-sim-key');
  });
  afterAll(async () => {
    await sim.stop();
  });

  const model = 'command-a-03-2025';
  const messages = [
    { role: 'user' as const, content: 'Which gate does the night bus leave from?' },
  ];
  const faulted = (fault: string) => ({ headers: { 'x-sim-fault': fault } });
  /** The `{id, message}` body of an SDK error. */
  const bodyOf = (error: unknown) =>
    (error as CohereError).body as { id?: unknown; message?: unknown };

  it('answers a chat with text, finish reason and usage', async () => {
    const response = await client.chat({ model, messages });
    const text =
      response.message.content?.[0]?.type === 'text' ? response.message.content[0].text : '';
    expect(text).toMatch(/^Simulated reply to: Which gate does the night bus leave from/);
    expect(response.finishReason).toBe('COMPLETE');
    expect(response.usage?.billedUnits?.outputTokens).toBe(countTokens(text));
    expect(response.usage?.tokens?.inputTokens).toBe(response.usage?.billedUnits?.inputTokens);
    expect(response.usage?.billedUnits?.inputTokens).toBeGreaterThan(0);
  });

  it('streams content deltas that add up to the same answer, then message-end with usage', async () => {
    const whole = await client.chat({ model, messages });
    const wholeText =
      whole.message.content?.[0]?.type === 'text' ? whole.message.content[0].text : '';
    const stream = await client.chatStream({ model, messages });
    let text = '';
    const types: string[] = [];
    let end: Cohere.V2ChatStreamResponse | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content-delta') text += event.delta?.message?.content?.text ?? '';
      if (event.type === 'message-end') end = event;
    }
    expect(text).toBe(wholeText);
    expect(types[0]).toBe('message-start');
    expect(types.at(-1)).toBe('message-end');
    expect(end?.type === 'message-end' ? end.delta?.finishReason : undefined).toBe('COMPLETE');
    expect(
      end?.type === 'message-end' ? end.delta?.usage?.billedUnits?.outputTokens : undefined,
    ).toBe(whole.usage?.billedUnits?.outputTokens);
  });

  it('calls a tool when tool_choice is REQUIRED, arguments following its schema', async () => {
    const response = await client.chat({
      model,
      messages,
      tools: [
        {
          type: 'function',
          function: {
            name: 'bus_gate',
            description: 'Looks up the gate of a bus',
            parameters: {
              type: 'object',
              properties: { line: { type: 'string' }, night: { type: 'boolean' } },
              required: ['line', 'night'],
            },
          },
        },
      ],
      toolChoice: 'REQUIRED',
    });
    expect(response.finishReason).toBe('TOOL_CALL');
    const call = response.message.toolCalls?.[0];
    expect(call?.function?.name).toBe('bus_gate');
    expect(JSON.parse(call?.function?.arguments ?? 'null')).toEqual({ line: 'text', night: false });
    expect(response.message.toolPlan).toMatch(/bus/);
  });

  it('answers JSON that follows a json_schema response format', async () => {
    const response = await client.chat({
      model,
      messages,
      responseFormat: {
        type: 'json_object',
        jsonSchema: {
          type: 'object',
          properties: { gate: { type: 'string' } },
          required: ['gate'],
        },
      },
    });
    const text =
      response.message.content?.[0]?.type === 'text' ? response.message.content[0].text : '';
    expect(JSON.parse(text)).toEqual({ gate: 'text' });
  });

  it('reports a rate limit as TooManyRequestsError, a wrong key as UnauthorizedError', async () => {
    const limited = await client
      .chat({ model, messages }, faulted('rate_limit; retry_after=9'))
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Cohere.TooManyRequestsError);
    expect((limited as CohereError).statusCode).toBe(429);
    expect((limited as CohereError).rawResponse?.headers.get('retry-after')).toBe('9');
    expect(bodyOf(limited).message).toMatch(/limit/);

    const wrongKey = await clientFor('not-a-key')
      .chat({ model, messages })
      .catch((error: unknown) => error);
    expect(wrongKey).toBeInstanceOf(Cohere.UnauthorizedError);
    expect(bodyOf(wrongKey).message).toBe('invalid api token');
    expect(typeof bodyOf(wrongKey).id).toBe('string');
  });

  it('reports a prompt over the context window as BadRequestError, an outage as ServiceUnavailableError', async () => {
    const tooLong = await client
      .chat({ model, messages }, faulted('context_length'))
      .catch((error: unknown) => error);
    expect(tooLong).toBeInstanceOf(Cohere.BadRequestError);
    expect(bodyOf(tooLong).message).toMatch(
      /^too many tokens: total number of tokens in the prompt cannot exceed 256000/,
    );
    const down = await client
      .chat({ model, messages }, faulted('unavailable'))
      .catch((error: unknown) => error);
    expect(down).toBeInstanceOf(Cohere.ServiceUnavailableError);
    const missing = await client
      .chat({ model, messages }, faulted('not_found'))
      .catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(Cohere.NotFoundError);
  });
});
