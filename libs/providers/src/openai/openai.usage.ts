import type { CompletionUsage, FinishReason } from '@switchyard/contracts';
import type { OpenAiUsage } from './openai.wire';

const whole = (value: number | null | undefined): number =>
  value == null || !Number.isFinite(value) ? 0 : Math.max(0, Math.round(value));

/** Usage of a provider that reported none (metering records zero, not a guess). */
export const zeroUsage: CompletionUsage = {
  prompt_tokens: 0,
  completion_tokens: 0,
  total_tokens: 0,
  prompt_tokens_details: { cached_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0 },
};

/**
 * Usage in the contract's form, with `cached_tokens` (from `prompt_tokens_details`, or
 * DeepSeek's `prompt_cache_hit_tokens`) and `reasoning_tokens` (from
 * `completion_tokens_details`) always present, 0 when absent. Where reasoning tokens are
 * counted outside `completion_tokens` but inside `total_tokens` (xAI), they are folded into
 * `completion_tokens`, as OpenAI counts them.
 */
export function normalizeUsage(usage: OpenAiUsage | null | undefined): CompletionUsage {
  if (usage == null) return zeroUsage;
  const prompt = whole(usage.prompt_tokens);
  let completion = whole(usage.completion_tokens);
  const reasoning = whole(usage.completion_tokens_details?.reasoning_tokens);
  const reportedTotal = usage.total_tokens == null ? undefined : whole(usage.total_tokens);
  if (reasoning > 0 && reportedTotal === prompt + completion + reasoning) completion += reasoning;
  const cached = whole(usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: Math.max(reportedTotal ?? 0, prompt + completion),
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

const finishReasons: Readonly<Record<string, FinishReason>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  function_call: 'function_call',
  eos: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_length: 'length',
  tool_use: 'tool_calls',
};

/**
 * The contract's finish reason for what a compatible server wrote. An empty or missing reason
 * (xAI sends `""` after tool calls) means `tool_calls` when the choice called tools, else
 * `stop`; an unknown reason counts as `stop`.
 */
export function normalizeFinishReason(
  reason: string | null | undefined,
  calledTools: boolean,
): FinishReason {
  if (reason == null || reason === '') return calledTools ? 'tool_calls' : 'stop';
  return finishReasons[reason] ?? 'stop';
}
