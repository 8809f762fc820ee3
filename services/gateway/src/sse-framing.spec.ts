import type { CompletionChunk } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { openAiChunks, SSE_DONE, sseData } from './sse-framing';

const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk' as const, created: 1, model: 'm' };
const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
const finalMeta = {
  v: 1 as const,
  job_id: 'job-1',
  deployment: 'm/0',
  provider: 'openai',
  provider_model: 'gpt-4o',
  attempts: 1,
  fallback_path: ['m'],
  queue_ms: 1,
  provider_ms: 2,
  total_ms: 3,
  cache_hit: false,
  cost_usd: null,
  seq: 1,
  generation: '0.1',
  final: true as const,
};
const textChoice = { index: 0, delta: { content: 'Hi' }, finish_reason: null };
const middle: CompletionChunk = {
  ...head,
  choices: [textChoice],
  switchyard: { v: 1, job_id: 'job-1', seq: 0, generation: '0.1', final: false },
};
const last: CompletionChunk = {
  ...head,
  choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
  usage,
  switchyard: finalMeta,
};

describe('SSE framing', () => {
  it('frames one JSON value per event and ends with [DONE]', () => {
    expect(sseData({ a: 1 })).toBe('data: {"a":1}\n\n');
    expect(SSE_DONE).toBe('data: [DONE]\n\n');
  });

  it('sends chunks without usage or Switchyard blocks when usage was not asked for', () => {
    expect(openAiChunks(middle, false)).toEqual([{ ...head, choices: [textChoice] }]);
    expect(openAiChunks(last, false)).toEqual([{ ...head, choices: last.choices }]);
  });

  it('with include_usage: usage null on each chunk, then the usage chunk with no choices', () => {
    expect(openAiChunks(middle, true)).toEqual([{ ...head, choices: [textChoice], usage: null }]);
    expect(openAiChunks(last, true)).toEqual([
      { ...head, choices: last.choices, usage: null },
      { ...head, choices: [], usage, switchyard: finalMeta },
    ]);
  });

  it('sends a final chunk without choices as the usage chunk alone, or nothing', () => {
    const bare: CompletionChunk = { ...last, choices: [] };
    expect(openAiChunks(bare, true)).toEqual([
      { ...head, choices: [], usage, switchyard: finalMeta },
    ]);
    expect(openAiChunks(bare, false)).toEqual([]);
  });
});
