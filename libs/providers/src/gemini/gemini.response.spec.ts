import { completionUsageSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { parseGeminiResponse } from './gemini.response';
import { thoughtSignatureOf } from './gemini.tool-call-id';
import { geminiContext, providerErrorOf } from './spec-helpers';
import textResponse from './fixtures/response-text.json';
import textStopResponse from './fixtures/response-text-stop.json';
import functionCallResponse from './fixtures/response-function-call.json';
import promptBlocked from './fixtures/response-prompt-blocked.json';
import safetyFinish from './fixtures/response-safety-finish.json';
import safetyCut from './fixtures/response-safety-cut.json';
import thoughtsCached from './fixtures/response-thoughts-cached.json';

const context = geminiContext();
const parse = (body: unknown) => parseGeminiResponse(body, context);

describe('parseGeminiResponse', () => {
  it('translates a text answer cut at the token limit', () => {
    const completion = parse(textResponse);
    expect(completion).toMatchObject({
      id: 'cS4WaZXcHp7nz7IPjcjT2Ao',
      object: 'chat.completion',
      model: 'gemini-2.5-flash',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: textResponse.candidates[0]?.content.parts[0]?.text,
          },
          finish_reason: 'length',
        },
      ],
    });
    expect(completion.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it('counts thoughts as completion tokens and as reasoning tokens', () => {
    expect(parse(textResponse).usage).toEqual({
      prompt_tokens: 7,
      completion_tokens: 157 + 41,
      total_tokens: 205,
      completion_tokens_details: { reasoning_tokens: 41 },
    });
  });

  it('translates a finished text answer, taking `created` from createTime', () => {
    const completion = parse(textStopResponse);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.created).toBe(Math.floor(Date.parse('2025-07-21T21:47:25.419720Z') / 1000));
    expect(completion.usage).toEqual({
      prompt_tokens: 151,
      completion_tokens: 76,
      total_tokens: 227,
    });
  });

  it('turns function calls into tool calls with ids that carry the thought signature', () => {
    const choice = parse(functionCallResponse).choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    const calls = choice?.message.tool_calls ?? [];
    expect(calls.map((call) => call.function)).toEqual([
      { name: 'set_light_values', arguments: '{"brightness":25,"color_temp":"warm"}' },
      { name: 'get_weather', arguments: '{"location":"Paris"}' },
    ]);
    expect(calls[0]?.id).toBe(
      'call_nAthaa6WEPfGz7IPsJybkAU_0__thought__CiQB0e2Kb3dRh+BYdbZvmulSN2Pwwc75DfQOcYxU+dxHj9nBpgE=',
    );
    expect(thoughtSignatureOf(calls[0]?.id ?? '')).toBe(
      functionCallResponse.candidates[0]?.content.parts[0]?.thoughtSignature,
    );
    expect(calls[1]?.id).toBe('call_nAthaa6WEPfGz7IPsJybkAU_1');
    expect(calls.every((call) => call.type === 'function')).toBe(true);
  });

  it('leaves thought parts out of the text and reports cached and reasoning tokens', () => {
    const completion = parse(thoughtsCached);
    expect(completion.choices[0]?.message.content).toBe(
      "Clause 14.2 allows termination with 30 days' notice.",
    );
    expect(completion.usage).toEqual({
      prompt_tokens: 2120,
      completion_tokens: 48 + 532,
      total_tokens: 2700,
      prompt_tokens_details: { cached_tokens: 2048 },
      completion_tokens_details: { reasoning_tokens: 532 },
    });
    expect(completionUsageSchema.safeParse(completion.usage).success).toBe(true);
  });

  it('fails a blocked prompt with content_policy / prompt_blocked_safety', () => {
    const error = providerErrorOf(() => parse(promptBlocked));
    expect(error).toMatchObject({ type: 'content_policy', code: 'prompt_blocked_safety' });
    expect(error.message).toContain('SAFETY');
  });

  it('fails a candidate withheld for safety with no content with content_policy', () => {
    const error = providerErrorOf(() => parse(safetyFinish));
    expect(error).toMatchObject({ type: 'content_policy', code: 'response_blocked_safety' });
  });

  it('returns content cut by the safety filter as content_filter, not as an error', () => {
    const choice = parse(safetyCut).choices[0];
    expect(choice?.finish_reason).toBe('content_filter');
    expect(choice?.message.content).toContain('first part of the answer');
  });

  it.each([
    ['RECITATION', 'content_policy', 'response_blocked_recitation'],
    ['PROHIBITED_CONTENT', 'content_policy', 'response_blocked_prohibited_content'],
    ['BLOCKLIST', 'content_policy', 'response_blocked_blocklist'],
    ['SPII', 'content_policy', 'response_blocked_spii'],
    ['MALFORMED_FUNCTION_CALL', 'server', 'malformed_function_call'],
  ])('fails an empty candidate finished with %s as %s / %s', (finishReason, type, code) => {
    const body = {
      candidates: [{ finishReason, index: 0, finishMessage: `stopped: ${finishReason}` }],
      responseId: 'r1',
    };
    const error = providerErrorOf(() => parse(body));
    expect(error).toMatchObject({ type, code, message: `stopped: ${finishReason}` });
  });

  it.each([
    ['STOP', 'stop'],
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['BLOCKLIST', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['SPII', 'content_filter'],
    ['LANGUAGE', 'stop'],
    ['OTHER', 'stop'],
    ['FINISH_REASON_UNSPECIFIED', 'stop'],
    ['SOMETHING_NEW', 'stop'],
  ])('maps the finish reason %s of a candidate with text to %s', (finishReason, expected) => {
    const body = {
      candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason }],
      responseId: 'r1',
    };
    expect(parse(body).choices[0]?.finish_reason).toBe(expected);
  });

  it('keeps a withheld candidate as content_filter when another candidate has content', () => {
    const body = {
      candidates: [
        { content: { parts: [{ text: 'One' }], role: 'model' }, finishReason: 'STOP', index: 0 },
        { finishReason: 'SAFETY', index: 1 },
      ],
      responseId: 'r2',
    };
    const completion = parse(body);
    expect(completion.choices.map((choice) => choice.finish_reason)).toEqual([
      'stop',
      'content_filter',
    ]);
    expect(completion.choices[1]?.message.content).toBe('');
  });

  it('numbers tool calls across candidates so every id is unique', () => {
    const call = { functionCall: { name: 'f', args: {} } };
    const body = {
      candidates: [
        { content: { parts: [call], role: 'model' }, finishReason: 'STOP', index: 0 },
        { content: { parts: [call], role: 'model' }, finishReason: 'STOP', index: 1 },
      ],
      responseId: 'r3',
    };
    const ids = parse(body).choices.map((choice) => choice.message.tool_calls?.[0]?.id);
    expect(ids).toEqual(['call_r3_0', 'call_r3_1']);
  });

  it('writes `{}` as the arguments of a call without args', () => {
    const body = {
      candidates: [
        {
          content: { parts: [{ functionCall: { name: 'beep' } }], role: 'model' },
          finishReason: 'STOP',
        },
      ],
      responseId: 'r4',
    };
    expect(parse(body).choices[0]?.message.tool_calls?.[0]?.function.arguments).toBe('{}');
  });

  it('translates logprobs', () => {
    const body = {
      candidates: [
        {
          content: { parts: [{ text: 'Hi' }], role: 'model' },
          finishReason: 'STOP',
          logprobsResult: {
            chosenCandidates: [{ token: 'Hi', logProbability: -0.1 }],
            topCandidates: [
              {
                candidates: [
                  { token: 'Hi', logProbability: -0.1 },
                  { token: 'Hé', logProbability: -2.5 },
                ],
              },
            ],
          },
        },
      ],
      responseId: 'r5',
    };
    expect(parse(body).choices[0]?.logprobs).toEqual({
      content: [
        {
          token: 'Hi',
          logprob: -0.1,
          bytes: [72, 105],
          top_logprobs: [
            { token: 'Hi', logprob: -0.1, bytes: [72, 105] },
            { token: 'Hé', logprob: -2.5, bytes: [72, 195, 169] },
          ],
        },
      ],
    });
  });

  it('uses the deployment model and a generated id when Gemini sends neither', () => {
    const completion = parse({
      candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'STOP' }],
    });
    expect(completion.model).toBe('gemini-2.5-flash');
    expect(completion.id).toMatch(/^[0-9a-f]{32}$/);
    expect(completion.usage).toEqual({ prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  });

  it('does not add thoughts twice when candidatesTokenCount already includes them', () => {
    const completion = parse({
      candidates: [{ content: { parts: [{ text: 'Hi' }], role: 'model' }, finishReason: 'STOP' }],
      usageMetadata: {
        promptTokenCount: 10,
        candidatesTokenCount: 30,
        thoughtsTokenCount: 20,
        totalTokenCount: 40,
      },
    });
    expect(completion.usage).toMatchObject({
      prompt_tokens: 10,
      completion_tokens: 30,
      total_tokens: 40,
    });
  });

  it.each([
    ['a string', 'not json'],
    ['null', null],
    ['candidates that are not an array', { candidates: 'x' }],
    [
      'a function call without a name',
      { candidates: [{ content: { parts: [{ functionCall: {} }] } }] },
    ],
    ['negative token counts', { candidates: [], usageMetadata: { promptTokenCount: -1 } }],
  ])('rejects %s as server / malformed_response', (_label, body) => {
    expect(providerErrorOf(() => parse(body))).toMatchObject({
      type: 'server',
      code: 'malformed_response',
    });
  });

  it('rejects a body with no candidates and no block reason', () => {
    expect(providerErrorOf(() => parse({ candidates: [] }))).toMatchObject({
      type: 'server',
      code: 'malformed_response',
    });
  });
});
