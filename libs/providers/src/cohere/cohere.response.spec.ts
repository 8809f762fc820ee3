import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { parseCohereResponse } from './cohere.response';
import { cohereContext, cohereFixture } from './spec-helpers';

const parse = (body: unknown) => parseCohereResponse(body, cohereContext());

function failureOf(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

describe('parseCohereResponse', () => {
  it('reads a text answer, usage from the billed units', () => {
    const completion = parse(cohereFixture('response-text.json'));
    expect(completion).toMatchObject({
      id: 'c14c80c3-18eb-4519-9460-6c92edd8cfb4',
      object: 'chat.completion',
      model: 'command-a-03-2025',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'LLMs are neural networks trained on large amounts of text.',
          },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 12, total_tokens: 17 },
    });
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('reads tool calls, with the tool plan as content and cached tokens', () => {
    const completion = parse(cohereFixture('response-tool-call.json'));
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: 'I will look up the weather in Toronto.',
        tool_calls: [
          {
            id: 'get_weather_1byjy32y4hvq',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"location":"Toronto"}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(completion.usage).toEqual({
      prompt_tokens: 37,
      completion_tokens: 28,
      total_tokens: 65,
      prompt_tokens_details: { cached_tokens: 16 },
    });
  });

  it('maps MAX_TOKENS to length and counts tokens when no billed units came', () => {
    expect(parse(cohereFixture('response-max-tokens.json')).choices[0]?.finish_reason).toBe(
      'length',
    );
    const usage = parse({
      id: 'x',
      finish_reason: 'STOP_SEQUENCE',
      message: { role: 'assistant', content: [{ type: 'text', text: 'a' }] },
      usage: { tokens: { input_tokens: 70, output_tokens: 1 } },
    }).usage;
    expect(usage).toEqual({ prompt_tokens: 70, completion_tokens: 1, total_tokens: 71 });
  });

  it('leaves thinking content out of the answer', () => {
    const completion = parse({
      id: 'x',
      finish_reason: 'COMPLETE',
      message: {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Let me think.' },
          { type: 'text', text: 'Four.' },
        ],
      },
    });
    expect(completion.choices[0]?.message.content).toBe('Four.');
  });

  it('throws for ERROR and TIMEOUT finishes and for bodies that are not chat responses', () => {
    const answer = (finish_reason: string) => ({
      id: 'x',
      finish_reason,
      message: { role: 'assistant', content: [] },
    });
    expect(failureOf(() => parse(answer('ERROR')))).toMatchObject({
      type: 'server',
      code: 'generation_error',
    });
    expect(failureOf(() => parse(answer('TIMEOUT')))).toMatchObject({
      type: 'timeout',
      code: 'generation_timeout',
    });
    expect(failureOf(() => parse({ text: 'v1 shape' }))).toMatchObject({
      type: 'server',
      code: 'malformed_response',
    });
  });
});
