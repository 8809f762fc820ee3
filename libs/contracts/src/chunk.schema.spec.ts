import { describe, expect, it } from 'vitest';
import { completionChunkSchema } from './chunk.schema';
import { formatIssues } from './issues';
import { contentChunk, finalChunk } from './wire-fixtures';

function problems(value: unknown): string {
  const parsed = completionChunkSchema.safeParse(value, { reportInput: true });
  return parsed.success ? 'ok' : formatIssues(parsed.error.issues);
}

describe('completionChunkSchema', () => {
  it('parses the chunks of a stream, the last one carrying usage and full metadata', () => {
    const stream = [contentChunk(0, 'Hel'), contentChunk(1, 'lo'), finalChunk(2)];
    const parsed = stream.map((chunk) => completionChunkSchema.parse(chunk));
    expect(parsed.map((chunk) => chunk.switchyard.seq)).toEqual([0, 1, 2]);
    const last = parsed[2];
    expect(last?.switchyard.final && last.switchyard.deployment).toBe('claude-sonnet-eu');
    expect(last?.usage?.total_tokens).toBe(25);
  });

  it('parses streamed tool-call pieces and an OpenAI-style usage: null', () => {
    const chunk = {
      ...contentChunk(4, ''),
      usage: null,
      choices: [
        {
          index: 0,
          delta: {
            role: 'assistant',
            tool_calls: [
              {
                index: 0,
                id: 'call_1',
                type: 'function',
                function: { name: 'lookup', arguments: '' },
              },
              { index: 0, function: { arguments: '{"id":' } },
            ],
          },
          finish_reason: null,
        },
      ],
    };
    expect(problems(chunk)).toBe('ok');
  });

  it('rejects a final chunk without usage', () => {
    expect(problems({ ...finalChunk(5), usage: undefined })).toBe(
      'usage: the final chunk must carry usage',
    );
  });

  it('rejects usage on a chunk that is not the last', () => {
    const chunk = { ...contentChunk(1, 'x'), usage: finalChunk(2).usage };
    expect(problems(chunk)).toBe('usage: only the final chunk carries usage');
  });

  it('rejects a final chunk missing the result metadata', () => {
    const chunk = { ...finalChunk(2), switchyard: { v: 1, job_id: 'j', seq: 2, final: true } };
    const text = problems(chunk);
    expect(text).toContain('switchyard.deployment: Invalid input: expected string');
    expect(text).toContain('switchyard.fallback_path: Invalid input: expected array');
  });

  it.each([
    [{ switchyard: { v: 1, job_id: 'j', seq: -1, final: false } }, 'switchyard.seq: Too small'],
    [
      { switchyard: { v: 1, job_id: 'j', seq: 0, final: 'no' } },
      "switchyard.final: Invalid discriminator value. Expected 'false' | 'true'",
    ],
    [
      { choices: [{ index: 0, delta: { tool_calls: [{ id: 'c' }] }, finish_reason: null }] },
      'choices[0].delta.tool_calls[0].index: Invalid input: expected number',
    ],
    [{ choices: [{ index: 0, delta: {} }] }, 'choices[0].finish_reason: Invalid option'],
  ])('rejects %j', (patch, message) => {
    expect(problems({ ...contentChunk(0, 'x'), ...patch })).toContain(message);
  });
});
