import type { FinishReason } from '@switchyard/contracts';

/**
 * OpenAI's finish_reason for Anthropic's `stop_reason`: `end_turn`, `stop_sequence` and
 * `pause_turn` (a server-tool turn paused; no tool of the caller's to run) → `stop`;
 * `max_tokens` and `model_context_window_exceeded` → `length`; `refusal` (the streaming
 * classifiers stopped the answer) → `content_filter`; `tool_use` → `tool_calls` when the model
 * called one of the caller's tools, `stop` when it only answered through the JSON-mode tool. A
 * reason Anthropic adds later counts as `stop` (or `tool_calls` when tools were called).
 */
export function toFinishReason(
  stopReason: string | null | undefined,
  calledCallerTools: boolean,
): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'refusal':
      return 'content_filter';
    default:
      return calledCallerTools ? 'tool_calls' : 'stop';
  }
}
