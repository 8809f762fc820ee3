import type { SimChoice, SimFinish } from '../engine';
import type { ServedUsage } from '../stats';
import { groupPieces } from '../tokens';
import type { AnswerContext, BlockedAnswer, StreamFrame } from './provider';

const stopReasons: Record<SimFinish, string> = {
  stop: 'end_turn',
  stop_sequence: 'stop_sequence',
  length: 'max_tokens',
  tool_calls: 'tool_use',
};

/**
 * Anthropic's usage: `input_tokens` excludes what was read from or written to the cache, so
 * input + cache_read + cache_creation is the whole prompt.
 */
export function anthropicUsage(usage: ServedUsage, outputTokens: number): Record<string, unknown> {
  return {
    input_tokens: usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: usage.cacheWriteTokens,
      ephemeral_1h_input_tokens: 0,
    },
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

function contentBlocks(choice: SimChoice): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (choice.text !== null) blocks.push({ type: 'text', text: choice.text.text });
  if (choice.toolCall !== undefined) {
    blocks.push({
      type: 'tool_use',
      id: choice.toolCall.id,
      name: choice.toolCall.name,
      input: JSON.parse(choice.toolCall.arguments) as unknown,
    });
  }
  return blocks;
}

function message(
  context: AnswerContext,
  content: Record<string, unknown>[],
  stop: { reason: string | null; sequence: string | null },
  outputTokens: number,
): Record<string, unknown> {
  return {
    id: context.id,
    type: 'message',
    role: 'assistant',
    model: context.request.model,
    content,
    stop_reason: stop.reason,
    stop_sequence: stop.sequence,
    usage: anthropicUsage(context.usage, outputTokens),
  };
}

/** The non-streaming `message` body. */
export function anthropicBody(context: AnswerContext): string {
  const choice = context.choices[0];
  if (choice === undefined) return '{}';
  return JSON.stringify(
    message(
      context,
      contentBlocks(choice),
      { reason: stopReasons[choice.finish], sequence: choice.stopSequence ?? null },
      context.usage.completionTokens,
    ),
  );
}

function event(name: string, payload: Record<string, unknown>, tokens = 0): StreamFrame {
  return {
    text: `event: ${name}\ndata: ${JSON.stringify({ type: name, ...payload })}\n\n`,
    tokens,
  };
}

function head(context: AnswerContext): StreamFrame {
  return event('message_start', {
    message: message(
      context,
      [],
      { reason: null, sequence: null },
      Math.min(1, context.usage.completionTokens),
    ),
  });
}

function tail(context: AnswerContext, reason: string, sequence: string | null): StreamFrame[] {
  const usage = anthropicUsage(context.usage, context.usage.completionTokens);
  return [
    event('message_delta', {
      delta: { stop_reason: reason, stop_sequence: sequence },
      usage: {
        input_tokens: usage['input_tokens'],
        cache_creation_input_tokens: usage['cache_creation_input_tokens'],
        cache_read_input_tokens: usage['cache_read_input_tokens'],
        output_tokens: usage['output_tokens'],
      },
    }),
    event('message_stop', {}),
  ];
}

/**
 * The stream: message_start (usage with output_tokens 1), then per content block
 * content_block_start, deltas (text_delta, or input_json_delta starting with an empty
 * partial_json), content_block_stop — with a ping after the first block start — then
 * message_delta (stop_reason, cumulative usage) and message_stop.
 */
export function anthropicFrames(context: AnswerContext): StreamFrame[] {
  const choice = context.choices[0];
  if (choice === undefined) return [];
  const frames: StreamFrame[] = [head(context)];
  let index = 0;
  if (choice.text !== null) {
    frames.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    frames.push(event('ping', {}));
    for (const group of groupPieces(choice.text.pieces, context.chunkTokens)) {
      frames.push(
        event(
          'content_block_delta',
          { index, delta: { type: 'text_delta', text: group.text } },
          group.tokens,
        ),
      );
    }
    frames.push(event('content_block_stop', { index }));
    index++;
  }
  const call = choice.toolCall;
  if (call !== undefined) {
    frames.push(
      event('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    if (index === 0) frames.push(event('ping', {}));
    frames.push(
      event('content_block_delta', {
        index,
        delta: { type: 'input_json_delta', partial_json: '' },
      }),
    );
    for (const group of groupPieces(call.argumentPieces, context.chunkTokens)) {
      frames.push(
        event(
          'content_block_delta',
          { index, delta: { type: 'input_json_delta', partial_json: group.text } },
          group.tokens,
        ),
      );
    }
    frames.push(event('content_block_stop', { index }));
  }
  frames.push(...tail(context, stopReasons[choice.finish], choice.stopSequence ?? null));
  return frames;
}

/**
 * A refusal (`content_policy; mode=refusal`): HTTP 200, no content, stop_reason `refusal` —
 * what Claude's streaming classifiers return. Without `mode=refusal` the 400 error is used.
 */
export function anthropicRefusal(
  context: AnswerContext,
  mode: string | undefined,
): BlockedAnswer | undefined {
  if (mode !== 'refusal') return undefined;
  const refused: AnswerContext = {
    ...context,
    usage: { ...context.usage, completionTokens: 0 },
  };
  return {
    body: JSON.stringify(message(refused, [], { reason: 'refusal', sequence: null }, 0)),
    frames: [head(refused), ...tail(refused, 'refusal', null)],
  };
}
