import type { CompletionUsage } from '@switchyard/contracts';

/** Anthropic's token counts of one message, each 0 when Anthropic did not report it. */
export interface AnthropicTokenCounts {
  /** Input tokens outside the prompt cache (`input_tokens`). */
  input: number;
  /** Input tokens written to the prompt cache (`cache_creation_input_tokens`). */
  cacheCreation: number;
  /** Input tokens read from the prompt cache (`cache_read_input_tokens`). */
  cacheRead: number;
  /** Output tokens, thinking included (`output_tokens`). */
  output: number;
  /** Output tokens spent thinking (`output_tokens_details.thinking_tokens`). */
  thinking: number;
}

/**
 * OpenAI usage from Anthropic's counts. Anthropic's `input_tokens` exclude the cache, so
 * `prompt_tokens` = input + cache writes + cache reads, of which `cached_tokens` = cache reads
 * (cache writes are counted as ordinary prompt tokens; the OpenAI shape has no place for them).
 * `completion_tokens` = output tokens; `reasoning_tokens` = Anthropic's thinking tokens, 0 when it
 * does not report them (thinking-block text is not returned to the caller, but is billed).
 */
export function toCompletionUsage(counts: AnthropicTokenCounts): CompletionUsage {
  const prompt = counts.input + counts.cacheCreation + counts.cacheRead;
  return {
    prompt_tokens: prompt,
    completion_tokens: counts.output,
    total_tokens: prompt + counts.output,
    prompt_tokens_details: { cached_tokens: counts.cacheRead },
    completion_tokens_details: { reasoning_tokens: counts.thinking },
  };
}
