import type { ProviderChunk } from '@switchyard/providers';
import { describe, expect, it } from 'vitest';
import { StreamAccumulator } from './stream-accumulator';

const chunk = (choices: ProviderChunk['choices']): ProviderChunk => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices,
});
const usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };

describe('StreamAccumulator', () => {
  it('puts content and tool calls back together by choice and call index', () => {
    const stream = new StreamAccumulator();
    stream.add(
      chunk([{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }]),
    );
    stream.add(chunk([{ index: 0, delta: { content: 'lo' }, finish_reason: null }]));
    stream.add(
      chunk([
        {
          index: 1,
          delta: {
            tool_calls: [
              {
                index: 0,
                id: 'call_1',
                type: 'function',
                function: { name: 'look', arguments: '{"q":' },
              },
            ],
          },
          finish_reason: null,
        },
      ]),
    );
    stream.add(
      chunk([
        {
          index: 1,
          delta: { tool_calls: [{ index: 0, function: { arguments: '1}' } }] },
          finish_reason: 'tool_calls',
        },
      ]),
    );
    stream.add(chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]));
    expect(stream.completion('fast-triage-model', usage)).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'fast-triage-model',
      usage,
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Hello' }, finish_reason: 'stop' },
        {
          index: 1,
          message: {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'look', arguments: '{"q":1}' } },
            ],
          },
          finish_reason: 'tool_calls',
        },
      ],
    });
  });

  it('has no completion for an empty stream or a choice that never finished', () => {
    expect(new StreamAccumulator().completion('m', usage)).toBeUndefined();
    const open = new StreamAccumulator();
    open.add(chunk([{ index: 0, delta: { content: 'x' }, finish_reason: null }]));
    expect(open.completion('m', usage)).toBeUndefined();
  });
});
