import { z } from 'zod';
import { tokenCountSchema } from './units.schema';

/**
 * Token counts of one completion, as OpenAI reports them. `cached_tokens` are prompt tokens
 * served from the provider's prompt cache; `reasoning_tokens` are completion tokens spent on
 * hidden reasoning.
 */
export const completionUsageSchema = z.object({
  prompt_tokens: tokenCountSchema,
  completion_tokens: tokenCountSchema,
  total_tokens: tokenCountSchema,
  prompt_tokens_details: z.object({ cached_tokens: tokenCountSchema.optional() }).optional(),
  completion_tokens_details: z.object({ reasoning_tokens: tokenCountSchema.optional() }).optional(),
});
export type CompletionUsage = z.infer<typeof completionUsageSchema>;
