import { EventStreamCodec } from '@smithy/core/event-streams';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import type { SimChoice, SimFinish } from '../engine';
import type { ServedUsage } from '../stats';
import { groupPieces } from '../tokens';
import type { AnswerContext, StreamFrame } from './provider';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const stopReasons: Record<SimFinish, string> = {
  stop: 'end_turn',
  stop_sequence: 'stop_sequence',
  length: 'max_tokens',
  tool_calls: 'tool_use',
};

/** Converse's usage: `inputTokens` leave out what was read from or written to the cache. */
function converseUsage(usage: ServedUsage): Record<string, number> {
  const input = usage.promptTokens - usage.cachedTokens - usage.cacheWriteTokens;
  return {
    inputTokens: input,
    outputTokens: usage.completionTokens,
    totalTokens: usage.promptTokens + usage.completionTokens,
    ...(usage.cachedTokens > 0 ? { cacheReadInputTokens: usage.cachedTokens } : {}),
    ...(usage.cacheWriteTokens > 0 ? { cacheWriteInputTokens: usage.cacheWriteTokens } : {}),
  };
}

function contentBlocks(choice: SimChoice): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (choice.text !== null) blocks.push({ text: choice.text.text });
  if (choice.toolCall !== undefined) {
    blocks.push({
      toolUse: {
        toolUseId: choice.toolCall.id,
        name: choice.toolCall.name,
        input: JSON.parse(choice.toolCall.arguments) as unknown,
      },
    });
  }
  return blocks;
}

/** The non-streaming Converse answer. */
export function bedrockBody(context: AnswerContext): string {
  const choice = context.choices[0];
  if (choice === undefined) return '{}';
  return JSON.stringify({
    output: { message: { role: 'assistant', content: contentBlocks(choice) } },
    stopReason: stopReasons[choice.finish],
    usage: converseUsage(context.usage),
    metrics: { latencyMs: 1 },
  });
}

/**
 * One binary event-stream frame (`application/vnd.amazon.eventstream`): headers
 * `:event-type` (or `:exception-type`), `:content-type: application/json` and `:message-type`,
 * the JSON payload, and the prelude and message CRC32s.
 */
export function eventStreamFrame(
  name: string,
  payload: unknown,
  messageType: 'event' | 'exception' = 'event',
): Uint8Array {
  const nameHeader = messageType === 'event' ? ':event-type' : ':exception-type';
  return codec.encode({
    headers: {
      [nameHeader]: { type: 'string', value: name },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: messageType },
    },
    body: fromUtf8(JSON.stringify(payload)),
  });
}

function frame(name: string, payload: Record<string, unknown>, tokens = 0): StreamFrame {
  // Bedrock pads each event with a `p` field of random length against traffic analysis.
  return { text: '', bytes: eventStreamFrame(name, { ...payload, p: 'abcdefgh' }), tokens };
}

/**
 * ConverseStream: messageStart, then per content block contentBlockStart (tool calls only),
 * contentBlockDelta pieces (text, or the tool input JSON in pieces) and contentBlockStop, then
 * messageStop (stopReason) and metadata (usage, metrics).
 */
export function bedrockFrames(context: AnswerContext): StreamFrame[] {
  const choice = context.choices[0];
  if (choice === undefined) return [];
  const frames: StreamFrame[] = [frame('messageStart', { role: 'assistant' })];
  let index = 0;
  if (choice.text !== null) {
    for (const group of groupPieces(choice.text.pieces, context.chunkTokens)) {
      frames.push(
        frame(
          'contentBlockDelta',
          { contentBlockIndex: index, delta: { text: group.text } },
          group.tokens,
        ),
      );
    }
    frames.push(frame('contentBlockStop', { contentBlockIndex: index }));
    index++;
  }
  const call = choice.toolCall;
  if (call !== undefined) {
    frames.push(
      frame('contentBlockStart', {
        contentBlockIndex: index,
        start: { toolUse: { toolUseId: call.id, name: call.name } },
      }),
    );
    for (const group of groupPieces(call.argumentPieces, context.chunkTokens)) {
      frames.push(
        frame(
          'contentBlockDelta',
          { contentBlockIndex: index, delta: { toolUse: { input: group.text } } },
          group.tokens,
        ),
      );
    }
    frames.push(frame('contentBlockStop', { contentBlockIndex: index }));
  }
  frames.push(frame('messageStop', { stopReason: stopReasons[choice.finish] }));
  frames.push(
    frame('metadata', { usage: converseUsage(context.usage), metrics: { latencyMs: 1 } }),
  );
  return frames;
}

/** A frame whose JSON payload is cut in half, its framing and CRCs still right. */
export function corruptBedrockFrame(original: StreamFrame): StreamFrame {
  if (original.bytes === undefined) return original;
  const message = codec.decode(original.bytes);
  const body = message.body.subarray(0, Math.max(Math.floor(message.body.length / 2), 1));
  return { ...original, bytes: codec.encode({ headers: message.headers, body }) };
}
