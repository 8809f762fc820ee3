import { completionResultSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import type { ProviderCompletion } from '../adapter';
import { ProviderError } from '../provider-error';
import { testContext } from '../spec-helpers/deployment';
import { readJsonFixture } from '../spec-helpers/fixtures';
import { parseOpenAiResponse } from './openai.response';

const fixture = (name: string): unknown => readJsonFixture(import.meta.dirname, name);
const parse = (body: unknown, provider = 'openai'): ProviderCompletion =>
  parseOpenAiResponse(provider, body, testContext());

function thrown(action: () => unknown): ProviderError {
  try {
    action();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError');
}

/** The completion must be a valid CompletionResult once Switchyard adds its block. */
function assertContractShape(completion: ProviderCompletion): void {
  const result = completionResultSchema.safeParse({
    ...completion,
    switchyard: {
      v: 1,
      job_id: 'job-1',
      deployment: 'd',
      provider: 'openai',
      provider_model: 'm',
      attempts: 1,
      fallback_path: ['m'],
      queue_ms: 0,
      provider_ms: 0,
      total_ms: 0,
      cache_hit: false,
      cost_usd: null,
    },
  });
  expect(result.success, JSON.stringify(result.error?.issues)).toBe(true);
}

describe('parseOpenAiResponse', () => {
  it("reads OpenAI's published chat completion", () => {
    const completion = parse(fixture('completion.json'));
    expect(completion).toEqual({
      id: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      object: 'chat.completion',
      created: 1741569952,
      model: 'gpt-4.1-2025-04-14',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello! How can I assist you today?' },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: 19,
        completion_tokens: 10,
        total_tokens: 29,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    assertContractShape(completion);
  });

  it("reads OpenAI's published tool-call response", () => {
    const completion = parse(fixture('completion-tool-call.json'));
    expect(completion.choices[0]).toEqual({
      index: 0,
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_abc123',
            type: 'function',
            function: { name: 'get_current_weather', arguments: '{\n"location": "Boston, MA"\n}' },
          },
        ],
      },
      finish_reason: 'tool_calls',
      logprobs: null,
    });
    expect(completion.usage.prompt_tokens_details).toEqual({ cached_tokens: 0 });
    assertContractShape(completion);
  });

  it('keeps cached and reasoning tokens', () => {
    const { usage, system_fingerprint } = parse(fixture('completion-reasoning-cached.json'));
    expect(usage).toEqual({
      prompt_tokens: 2006,
      completion_tokens: 300,
      total_tokens: 2306,
      prompt_tokens_details: { cached_tokens: 1920 },
      completion_tokens_details: { reasoning_tokens: 256 },
    });
    expect(system_fingerprint).toBe('fp_ef58bd3122');
  });

  it("reads DeepSeek's prompt_cache_hit_tokens as cached tokens", () => {
    expect(parse(fixture('deepseek-completion-cache.json'), 'deepseek').usage).toMatchObject({
      prompt_tokens: 16,
      prompt_tokens_details: { cached_tokens: 12 },
    });
  });

  it('fixes an empty finish reason after tool calls and folds xAI reasoning tokens in', () => {
    const completion = parse(fixture('xai-completion-tool-call-empty-finish.json'), 'xai');
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.usage).toEqual({
      prompt_tokens: 100,
      completion_tokens: 70,
      total_tokens: 170,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 50 },
    });
  });

  it('turns tool-call arguments sent as an object (Ollama drift) into JSON text', () => {
    const completion = parse(fixture('ollama-completion-object-arguments.json'), 'ollama');
    expect(completion.choices[0]?.message.tool_calls?.[0]?.function).toEqual({
      name: 'calculate',
      arguments: '{"operation":"+","x":"5","y":"3"}',
    });
    assertContractShape(completion);
  });

  it('classifies an answer blocked by the Azure content filter as content_policy', () => {
    expect(
      thrown(() => parse(fixture('azure-completion-content-filter.json'), 'azure')),
    ).toMatchObject({
      type: 'content_policy',
      code: 'content_filter',
      provider: 'azure',
    });
  });

  it('returns a partly filtered answer as it is, with finish_reason content_filter', () => {
    const body = {
      id: 'x',
      object: 'chat.completion',
      created: 1,
      model: 'm',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The first part' },
          finish_reason: 'content_filter',
        },
      ],
    };
    expect(parse(body).choices[0]).toMatchObject({
      message: { content: 'The first part' },
      finish_reason: 'content_filter',
    });
  });

  it('fills what compatible servers leave out: id, created, model, usage, choice index', () => {
    const completion = parse({ choices: [{ message: { content: 'hi' }, finish_reason: 'eos' }] });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.model).toBe('gpt-4o-mini');
    expect(completion.created).toBeGreaterThan(1_700_000_000);
    expect(completion.choices[0]).toMatchObject({ index: 0, finish_reason: 'stop' });
    expect(completion.usage.total_tokens).toBe(0);
    assertContractShape(completion);
  });

  it('joins text content parts and drops logprobs it cannot read', () => {
    const completion = parse({
      id: 'x',
      model: 'm',
      created: 5,
      choices: [
        {
          index: 0,
          message: {
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
          finish_reason: 'length',
          logprobs: { tokens: ['a'], token_logprobs: [-0.1] },
        },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe('ab');
    expect(completion.choices[0]?.finish_reason).toBe('length');
    expect(completion.choices[0]).not.toHaveProperty('logprobs');
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an empty object', {}],
    ['choices that are not a list', { choices: 'none' }],
    ['a choice without message', { choices: [{ finish_reason: 'stop' }] }],
  ])('refuses %s as server / malformed_response', (_what, body) => {
    expect(thrown(() => parse(body))).toMatchObject({ type: 'server', code: 'malformed_response' });
  });
});
