import type { CompletionUsage, FinishReason } from '@switchyard/contracts';
import type { ConverseUsage } from './bedrock.types';

/**
 * OpenAI usage from Converse's: `inputTokens` leave out the prompt cache, so `prompt_tokens` =
 * input + cache reads + cache writes, of which `cached_tokens` = cache reads.
 */
export function toCompletionUsage(usage: ConverseUsage | undefined): CompletionUsage {
  const cacheRead = usage?.cacheReadInputTokens ?? 0;
  const prompt = (usage?.inputTokens ?? 0) + cacheRead + (usage?.cacheWriteInputTokens ?? 0);
  const completion = usage?.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead },
  };
}

/**
 * OpenAI's finish_reason for Converse's `stopReason`: `end_turn` and `stop_sequence` → `stop`;
 * `max_tokens` and `model_context_window_exceeded` → `length`; `guardrail_intervened` and
 * `content_filtered` → `content_filter`; `tool_use` → `tool_calls` when the model called one of
 * the caller's tools, `stop` when it only answered through the JSON-mode tool. A reason Bedrock
 * adds later counts as `stop` (or `tool_calls` when tools were called).
 */
export function toFinishReason(stopReason: string, calledCallerTools: boolean): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'guardrail_intervened':
    case 'content_filtered':
      return 'content_filter';
    default:
      return calledCallerTools ? 'tool_calls' : 'stop';
  }
}
