import { resultChoiceSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { parseAnthropicResponse } from './anthropic.response';
import { fixture, providerErrorOf } from './spec-helpers';

const now = Date.UTC(2026, 10, 25, 12, 0, 0);
const parse = (body: unknown) => parseAnthropicResponse(body, now);

function message(overrides: Record<string, unknown>) {
  return { ...(fixture('response-text.json') as Record<string, unknown>), ...overrides };
}

describe('parseAnthropicResponse', () => {
  it("reads the Messages API reference's example response (fixture)", () => {
    expect(parse(fixture('response-text.json'))).toEqual({
      id: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      object: 'chat.completion',
      created: now / 1000,
      model: 'claude-3-5-sonnet-20240620',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi! My name is Claude.' },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 2095,
        completion_tokens: 503,
        total_tokens: 2598,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it("reads the tool use guide's tool_use response (fixture)", () => {
    const completion = parse(fixture('response-tool-use.json'));
    const choice = completion.choices[0];
    expect(choice).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: "I'll check the current weather in San Francisco for you.",
        tool_calls: [
          {
            id: 'toolu_01A09q90qw90lq917835lq9',
            type: 'function',
            function: {
              name: 'get_weather',
              arguments: '{"location":"San Francisco, CA","unit":"celsius"}',
            },
          },
        ],
      },
      finish_reason: 'tool_calls',
    });
    expect(resultChoiceSchema.safeParse(choice).success).toBe(true);
  });

  it('counts cache reads and writes into prompt_tokens, and reads as cached_tokens (fixtures)', () => {
    expect(parse(fixture('response-cache-read.json')).usage).toEqual({
      prompt_tokens: 21 + 188_086,
      completion_tokens: 393,
      total_tokens: 21 + 188_086 + 393,
      prompt_tokens_details: { cached_tokens: 188_086 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    const full = parse(fixture('response-reference-full.json'));
    expect(full.usage).toEqual({
      prompt_tokens: 2095 + 2051 + 2051,
      completion_tokens: 503,
      total_tokens: 2095 + 2051 + 2051 + 503,
      prompt_tokens_details: { cached_tokens: 2051 },
      completion_tokens_details: { reasoning_tokens: 0 },
    });
    expect(full.choices[0]?.message).toEqual({
      role: 'assistant',
      content: 'Hi! My name is Claude.',
    });
  });

  it('reports thinking tokens as reasoning tokens and returns no thinking text', () => {
    const completion = parse(
      message({
        content: [
          {
            type: 'thinking',
            thinking: 'Let me add: 2 + 2 = 4.',
            signature: 'EqQBCgIYAhIM1gbcDa9G',
          },
          { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' },
          { type: 'text', text: '4' },
        ],
        usage: {
          input_tokens: 12,
          output_tokens: 40,
          output_tokens_details: { thinking_tokens: 31 },
        },
      }),
    );
    expect(completion.choices[0]?.message.content).toBe('4');
    expect(completion.usage.completion_tokens_details).toEqual({ reasoning_tokens: 31 });
  });

  it('joins text blocks, as citations split them', () => {
    const completion = parse(
      message({
        content: [
          { type: 'text', text: 'According to the document, ' },
          { type: 'text', text: 'the grass is green', citations: [{ type: 'char_location' }] },
          { type: 'text', text: '.' },
        ],
      }),
    );
    expect(completion.choices[0]?.message.content).toBe(
      'According to the document, the grass is green.',
    );
  });

  it('gives null content when the model only called tools', () => {
    const completion = parse(
      message({
        stop_reason: 'tool_use',
        content: [{ type: 'tool_use', id: 'toolu_1', name: 'now', input: {} }],
      }),
    );
    expect(completion.choices[0]?.message).toMatchObject({ content: null });
    expect(completion.choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe('{}');
  });

  it('returns the JSON-mode tool input as the content, finish_reason stop', () => {
    const completion = parse(
      message({
        stop_reason: 'tool_use',
        content: [
          {
            type: 'tool_use',
            id: 'toolu_01',
            name: 'json_response',
            input: { label: 'spam', confidence: 0.97 },
          },
        ],
      }),
    );
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: { role: 'assistant', content: '{"label":"spam","confidence":0.97}' },
      finish_reason: 'stop',
    });
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['refusal', 'content_filter'],
    ['a_reason_added_later', 'stop'],
  ])('stop_reason %s → finish_reason %s', (stopReason, finishReason) => {
    expect(parse(message({ stop_reason: stopReason })).choices[0]?.finish_reason).toBe(
      finishReason,
    );
  });

  it("carries a refusal's explanation as refusal", () => {
    const completion = parse(
      message({
        content: [],
        stop_reason: 'refusal',
        stop_details: {
          type: 'refusal',
          category: 'cyber',
          explanation: 'This request was declined because it conflicts with the Usage Policy.',
        },
      }),
    );
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: '',
        refusal: 'This request was declined because it conflicts with the Usage Policy.',
      },
      finish_reason: 'content_filter',
    });
  });

  it.each([
    ['the abbreviated guide example, without usage', fixture('response-tool-use-abbreviated.json')],
    ['null', null],
    ['an HTML page', '<html>Bad gateway</html>'],
    ['an error body', fixture('errors/529-overloaded.json')],
    ['content that is not a list', message({ content: 'Hi' })],
    ['a text block without text', message({ content: [{ type: 'text' }] })],
    [
      'a tool_use block without input',
      message({ content: [{ type: 'tool_use', id: 't', name: 'f' }] }),
    ],
    ['negative usage', message({ usage: { input_tokens: -1, output_tokens: 3 } })],
  ])('rejects %s as server / malformed_response', (_name, body) => {
    const error = providerErrorOf(() => parse(body));
    expect(error).toMatchObject({
      type: 'server',
      code: 'malformed_response',
      provider: 'anthropic',
    });
  });
});
