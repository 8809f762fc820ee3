import { z } from 'zod';

/** The most inputs one embeddings request may carry, as OpenAI allows. */
export const MAX_EMBEDDING_INPUTS = 2048;

const tokenIdSchema = z.int().nonnegative();

/**
 * What to embed, in any of OpenAI's four shapes: one text, a list of texts, one text as token
 * ids, or a list of token-id lists. Every form is non-empty.
 */
export const embeddingsInputSchema = z.union([
  z.string().min(1),
  z.array(z.string().min(1)).min(1).max(MAX_EMBEDDING_INPUTS),
  z.array(tokenIdSchema).min(1),
  z.array(z.array(tokenIdSchema).min(1)).min(1).max(MAX_EMBEDDING_INPUTS),
]);
export type EmbeddingsInput = z.infer<typeof embeddingsInputSchema>;

/** How the vectors come back: arrays of numbers, or base64 of little-endian float32s. */
export const embeddingEncodingSchema = z.enum(['float', 'base64']);
export type EmbeddingEncoding = z.infer<typeof embeddingEncodingSchema>;

/**
 * The body of an OpenAI `POST /v1/embeddings` request, as carried inside an embeddings job.
 * `model` is optional: the job names the logical model and the provider layer sets the
 * provider's. Loose like the chat request: the provider layer decides about unknown fields.
 */
export const embeddingsRequestSchema = z
  .looseObject({
    model: z.string().min(1).optional(),
    input: embeddingsInputSchema,
    encoding_format: embeddingEncodingSchema.optional(),
    dimensions: z.int().positive().max(65_536).optional(),
    user: z.string().optional(),
  })
  .meta({ description: 'OpenAI embeddings request body carried by a Switchyard job' });
export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

/**
 * The inputs of a request as a list, one entry per vector the answer holds: texts stay texts,
 * token-id lists stay lists.
 */
export function embeddingInputs(input: EmbeddingsInput): (string | number[])[] {
  if (typeof input === 'string') return [input];
  if (input.every((item) => typeof item === 'number')) return [input];
  return input;
}
