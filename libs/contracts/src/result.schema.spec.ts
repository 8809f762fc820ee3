import { describe, expect, it } from 'vitest';
import { formatIssues } from './issues';
import { completionResultSchema } from './result.schema';
import { resultMeta, validResult } from './wire-fixtures';

function problems(value: unknown): string {
  const parsed = completionResultSchema.safeParse(value, { reportInput: true });
  return parsed.success ? 'ok' : formatIssues(parsed.error.issues);
}

describe('completionResultSchema', () => {
  it('parses a result with tool calls and full metadata', () => {
    expect(completionResultSchema.parse(validResult())).toEqual(validResult());
  });

  it('accepts a cache hit with zero attempts and an unknown price', () => {
    const meta = { ...resultMeta(), attempts: 0, cache_hit: true, cost_usd: null };
    expect(problems({ ...validResult(), switchyard: meta })).toBe('ok');
  });

  it('drops fields it does not know, so newer producers stay readable', () => {
    const parsed = completionResultSchema.parse({ ...validResult(), service_tier: 'default' });
    expect(parsed).not.toHaveProperty('service_tier');
  });

  it.each([
    [{ object: 'chat.completion.chunk' }, 'object: Invalid input: expected "chat.completion"'],
    [{ created: 1.5 }, 'created: Invalid input: expected int'],
    [{ usage: undefined }, 'usage: Invalid input: expected object, received undefined'],
    [
      { usage: { prompt_tokens: -1, completion_tokens: 0, total_tokens: 0 } },
      'usage.prompt_tokens: Too small',
    ],
    [
      {
        choices: [
          { index: 0, message: { role: 'assistant', content: 'x' }, finish_reason: 'done' },
        ],
      },
      'choices[0].finish_reason: Invalid option: expected one of "stop"|"length"|"tool_calls"|"content_filter"|"function_call"',
    ],
    [
      { choices: [{ index: 0, message: { role: 'user', content: 'x' }, finish_reason: 'stop' }] },
      'choices[0].message.role: Invalid input: expected "assistant"',
    ],
    [{ switchyard: { ...resultMeta(), v: 2 } }, 'switchyard.v: unsupported contract version 2'],
    [{ switchyard: { ...resultMeta(), fallback_path: [] } }, 'switchyard.fallback_path: Too small'],
    [{ switchyard: { ...resultMeta(), cost_usd: -1 } }, 'switchyard.cost_usd: Too small'],
    [{ switchyard: { ...resultMeta(), job_id: 'a b' } }, 'switchyard.job_id: must be 1 to 128'],
    [
      { switchyard: { ...resultMeta(), cache_hit: undefined } },
      'switchyard.cache_hit: Invalid input',
    ],
  ])('rejects %j', (patch, message) => {
    expect(problems({ ...validResult(), ...patch })).toContain(message);
  });
});
