import { randomUUID } from 'node:crypto';
import type { CompletionUsage, FinishReason, ToolCall } from '@switchyard/contracts';
import { generationFailure } from './cohere.errors';
import type { CohereResponseToolCall, CohereUsage } from './cohere.types';

/**
 * OpenAI's finish_reason for Cohere's: `MAX_TOKENS` → `length`; `TOOL_CALL` → `tool_calls`;
 * `COMPLETE`, `STOP_SEQUENCE` and reasons Cohere adds later → `stop`, or `tool_calls` when the
 * model called tools. `ERROR` and `TIMEOUT` are failures, not answers: they throw (see
 * generationFailure), with Cohere's error message when it sent one.
 */
export function toFinishReason(
  reason: string | null | undefined,
  calledTools: boolean,
  errorMessage?: string,
): FinishReason {
  if (reason === 'ERROR' || reason === 'TIMEOUT') throw generationFailure(reason, errorMessage);
  if (reason === 'MAX_TOKENS') return 'length';
  return calledTools ? 'tool_calls' : 'stop';
}

/**
 * OpenAI usage for Cohere's. Prompt and completion tokens are the `billed_units` (what Cohere
 * charges; `tokens` also counts the prompt template Cohere adds around the messages), else
 * `tokens` when Cohere sent no billed units. `cached_tokens` (prompt tokens served from
 * Cohere's cache) becomes `prompt_tokens_details.cached_tokens` when Cohere reports it.
 */
export function toCompletionUsage(usage: CohereUsage | null | undefined): CompletionUsage {
  const prompt = usage?.billed_units?.input_tokens ?? usage?.tokens?.input_tokens ?? 0;
  const completion = usage?.billed_units?.output_tokens ?? usage?.tokens?.output_tokens ?? 0;
  const result: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  const cached = usage?.cached_tokens;
  if (cached != null) {
    result.prompt_tokens_details = { cached_tokens: Math.min(cached, prompt) };
  }
  return result;
}

/** A Cohere tool call as an OpenAI one; a call without an id gets one made up. */
export function toToolCall(call: CohereResponseToolCall): ToolCall {
  return {
    id: call.id ?? `call_${randomUUID().replaceAll('-', '')}`,
    type: 'function',
    function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
  };
}

/** The id of a response: Cohere's `id`, else a made-up one. */
export function responseIdOf(id: string | null | undefined): string {
  return id ?? randomUUID();
}
