import type { SimChoice, SimFinish } from '../engine';
import type { ServedUsage } from '../stats';
import { groupPieces } from '../tokens';
import type { AnswerContext, StreamFrame } from './provider';

const finishReasons: Record<SimFinish, string> = {
  stop: 'COMPLETE',
  stop_sequence: 'STOP_SEQUENCE',
  length: 'MAX_TOKENS',
  tool_calls: 'TOOL_CALL',
};

/**
 * Cohere's usage: `billed_units` (what is charged) and `tokens` (what the model saw) — the same
 * counts here, since the simulator adds no prompt template — and `cached_tokens`.
 */
export function cohereUsage(usage: ServedUsage): Record<string, unknown> {
  const counts = { input_tokens: usage.promptTokens, output_tokens: usage.completionTokens };
  return { billed_units: counts, tokens: counts, cached_tokens: usage.cachedTokens };
}

function toolCall(choice: SimChoice, args: string): Record<string, unknown> | undefined {
  const call = choice.toolCall;
  if (call === undefined) return undefined;
  return { id: call.id, type: 'function', function: { name: call.name, arguments: args } };
}

/** The non-streaming `/v2/chat` body: the text as one content item, or the tool plan and call. */
export function cohereBody(context: AnswerContext): string {
  const choice = context.choices[0];
  if (choice === undefined) return '{}';
  const call = toolCall(choice, choice.toolCall?.arguments ?? '{}');
  const message: Record<string, unknown> = { role: 'assistant' };
  if (call !== undefined) {
    if (choice.text !== null) message['tool_plan'] = choice.text.text;
    message['tool_calls'] = [call];
  } else {
    message['content'] = [{ type: 'text', text: choice.text?.text ?? '' }];
  }
  return JSON.stringify({
    id: context.id,
    message,
    finish_reason: finishReasons[choice.finish],
    usage: cohereUsage(context.usage),
  });
}

/** One SSE event: `event: <type>` and the JSON with its `type`. */
export function cohereEvent(
  type: string,
  payload: Record<string, unknown>,
  tokens = 0,
): StreamFrame {
  return { text: `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`, tokens };
}

function textFrames(choice: SimChoice, context: AnswerContext): StreamFrame[] {
  const pieces = choice.text?.pieces ?? [];
  return [
    cohereEvent('content-start', {
      index: 0,
      delta: { message: { content: { type: 'text', text: '' } } },
    }),
    ...groupPieces(pieces, context.chunkTokens).map((group) =>
      cohereEvent(
        'content-delta',
        { index: 0, delta: { message: { content: { text: group.text } } } },
        group.tokens,
      ),
    ),
    cohereEvent('content-end', { index: 0 }),
  ];
}

function toolFrames(choice: SimChoice, context: AnswerContext): StreamFrame[] {
  const call = choice.toolCall;
  if (call === undefined) return [];
  const plan = groupPieces(choice.text?.pieces ?? [], context.chunkTokens).map((group) =>
    cohereEvent('tool-plan-delta', { delta: { message: { tool_plan: group.text } } }, group.tokens),
  );
  return [
    ...plan,
    cohereEvent('tool-call-start', {
      index: 0,
      delta: { message: { tool_calls: toolCall(choice, '') } },
    }),
    ...groupPieces(call.argumentPieces, context.chunkTokens).map((group) =>
      cohereEvent(
        'tool-call-delta',
        { index: 0, delta: { message: { tool_calls: { function: { arguments: group.text } } } } },
        group.tokens,
      ),
    ),
    cohereEvent('tool-call-end', { index: 0 }),
  ];
}

/**
 * The `/v2/chat` stream: message-start, then content-start / content-delta… / content-end for
 * text, or tool-plan-delta… / tool-call-start / tool-call-delta… / tool-call-end for a tool
 * call, then message-end (finish reason and usage) and `data: [DONE]`.
 */
export function cohereFrames(context: AnswerContext): StreamFrame[] {
  const choice = context.choices[0];
  if (choice === undefined) return [];
  return [
    cohereEvent('message-start', {
      id: context.id,
      delta: {
        message: { role: 'assistant', content: [], tool_plan: '', tool_calls: [], citations: [] },
      },
    }),
    ...(choice.toolCall === undefined ? textFrames(choice, context) : toolFrames(choice, context)),
    cohereEvent('message-end', {
      delta: { finish_reason: finishReasons[choice.finish], usage: cohereUsage(context.usage) },
    }),
    { text: 'data: [DONE]\n\n', tokens: 0 },
  ];
}
