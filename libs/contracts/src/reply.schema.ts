import { z } from 'zod';
import { completionChunkSchema } from './chunk.schema';
import { embeddingsResultSchema } from './embeddings-result.schema';
import { switchyardErrorSchema } from './error.schema';
import { jobIdSchema } from './ids.schema';
import { completionResultSchema } from './result.schema';
import { contractVersionSchema } from './version';

/**
 * The answer to a job that failed. `switchyard.job_id` is null when the job could not be read
 * far enough to know its id (malformed JSON, an invalid id).
 */
export const errorReplySchema = z
  .object({
    object: z.literal('error'),
    error: switchyardErrorSchema,
    switchyard: z.object({
      v: contractVersionSchema,
      job_id: jobIdSchema.nullable(),
    }),
  })
  .meta({ description: 'The failure of a Switchyard job' });
export type ErrorReply = z.infer<typeof errorReplySchema>;

/**
 * Anything that arrives on a job's reply subject, told apart by `object`: a finished result
 * (`chat.completion`), one chunk of a stream (`chat.completion.chunk`), an embeddings answer
 * (`list`) or an error (`error`).
 * A non-streaming job gets one result or one error; a streaming job gets chunks ending with a
 * final chunk, or an error, which may come after some chunks.
 */
export const replyMessageSchema = z
  .discriminatedUnion('object', [
    completionResultSchema,
    completionChunkSchema,
    embeddingsResultSchema,
    errorReplySchema,
  ])
  .meta({ description: "A message on a Switchyard job's reply subject" });
export type ReplyMessage = z.infer<typeof replyMessageSchema>;
