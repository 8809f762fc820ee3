import { z } from 'zod';
import { resultMetaSchema } from './result.schema';
import { tokenCountSchema } from './units.schema';

/** One vector of an embeddings answer: numbers, or base64 of little-endian float32s. */
export const embeddingItemSchema = z.object({
  object: z.literal('embedding'),
  index: z.int().nonnegative(),
  embedding: z.union([z.array(z.number()), z.string()]),
});
export type EmbeddingItem = z.infer<typeof embeddingItemSchema>;

/** Token counts of an embeddings call: prompt tokens only. */
export const embeddingsUsageSchema = z.object({
  prompt_tokens: tokenCountSchema,
  total_tokens: tokenCountSchema,
});
export type EmbeddingsUsage = z.infer<typeof embeddingsUsageSchema>;

/**
 * A finished embeddings job: OpenAI's `list` of `embedding` objects, whose `model` is the
 * logical model that answered, plus the `switchyard` block (as on a chat result).
 */
export const embeddingsResultSchema = z
  .object({
    object: z.literal('list'),
    data: z.array(embeddingItemSchema),
    model: z.string().min(1),
    usage: embeddingsUsageSchema,
    switchyard: resultMetaSchema,
  })
  .meta({ description: 'A finished Switchyard embeddings answer (OpenAI list + metadata)' });
export type EmbeddingsResult = z.infer<typeof embeddingsResultSchema>;
