import { z } from 'zod';
import {
  completionResultSchema,
  costUsdSchema,
  embeddingsResultSchema,
} from '@switchyard/contracts';

/**
 * What the cache keeps of an answer: the provider's completion or embeddings list (its `model`
 * already the logical model, no `switchyard` block), who produced it, and what that call cost, so a hit
 * can report the cost it saved.
 */
export const cachedAnswerSchema = z.object({
  completion: z.discriminatedUnion('object', [
    completionResultSchema.omit({ switchyard: true }),
    embeddingsResultSchema.omit({ switchyard: true }),
  ]),
  deployment: z.string().min(1),
  provider: z.string().min(1),
  provider_model: z.string().min(1),
  cost_usd: costUsdSchema,
  stored_at: z.int().nonnegative(),
});
export type CachedAnswer = z.infer<typeof cachedAnswerSchema>;
