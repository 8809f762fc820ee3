import { z } from 'zod';
import { completionUsageSchema } from './completion-usage.schema';
import { jobIdSchema } from './ids.schema';
import { choiceLogprobsSchema } from './logprobs.schema';
import { finishReasonSchema, resultMetaSchema } from './result.schema';
import { durationMsSchema, epochSecondsSchema } from './units.schema';
import { contractVersionSchema } from './version';

/** The position of a chunk in its job's stream: 0, 1, 2, … with no gaps. */
const seqSchema = z.int().nonnegative();

/**
 * Which delivery produced a chunk: `<hop>.<attempt>` (the job's fallback depth and JetStream
 * delivery count). Every chunk of one stream has the same generation; a chunk of another one
 * means the job was delivered again after its stream had started, and the reader must stop
 * with a `stream_cut` error rather than splice two generations of text.
 */
export const generationSchema = z.string().regex(/^\d+\.\d+$/, 'must be <hop>.<attempt>');

/** The generation of a delivery: `<hop>.<attempt>`. */
export function generationOf(hop: number, attempt: number): string {
  return `${hop}.${attempt}`;
}

/** The `switchyard` block of every chunk but the last. */
export const chunkMetaSchema = z.object({
  v: contractVersionSchema,
  job_id: jobIdSchema,
  seq: seqSchema,
  generation: generationSchema,
  final: z.literal(false),
});
export type ChunkMeta = z.infer<typeof chunkMetaSchema>;

/**
 * The `switchyard` block of the last chunk of a stream: everything a result's block says
 * (ResultMeta), plus its `seq` and, when known, `ttft_ms`, the time from submission to the
 * first content chunk.
 */
export const finalChunkMetaSchema = resultMetaSchema.extend({
  seq: seqSchema,
  generation: generationSchema,
  final: z.literal(true),
  ttft_ms: durationMsSchema.optional(),
});
export type FinalChunkMeta = z.infer<typeof finalChunkMetaSchema>;

/** A tool call being streamed: `index` says which call; name and arguments arrive in pieces. */
export const toolCallDeltaSchema = z.object({
  index: z.int().nonnegative(),
  id: z.string().min(1).optional(),
  type: z.literal('function').optional(),
  function: z
    .object({
      name: z.string().optional(),
      arguments: z.string().optional(),
    })
    .optional(),
});
export type ToolCallDelta = z.infer<typeof toolCallDeltaSchema>;

/** What a chunk adds to one choice. */
export const chunkChoiceSchema = z.object({
  index: z.int().nonnegative(),
  delta: z.object({
    role: z.literal('assistant').optional(),
    content: z.string().nullish(),
    tool_calls: z.array(toolCallDeltaSchema).optional(),
    refusal: z.string().nullish(),
  }),
  finish_reason: finishReasonSchema.nullable(),
  logprobs: choiceLogprobsSchema.nullish(),
});
export type ChunkChoice = z.infer<typeof chunkChoiceSchema>;

/**
 * One piece of a streamed completion: an OpenAI `chat.completion.chunk` plus a `switchyard`
 * block. `switchyard.seq` numbers a job's chunks from 0 so a reader can spot gaps and
 * duplicates. The last chunk has `switchyard.final: true`, carries `usage` and the full
 * metadata of a result (FinalChunkMeta); no other chunk carries usage.
 */
export const completionChunkSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('chat.completion.chunk'),
    created: epochSecondsSchema,
    model: z.string().min(1),
    choices: z.array(chunkChoiceSchema),
    usage: completionUsageSchema.nullish(),
    system_fingerprint: z.string().nullish(),
    switchyard: z.discriminatedUnion('final', [chunkMetaSchema, finalChunkMetaSchema]),
  })
  .superRefine((chunk, ctx) => {
    if (chunk.switchyard.final && chunk.usage == null) {
      ctx.addIssue({
        code: 'custom',
        path: ['usage'],
        message: 'the final chunk must carry usage',
      });
    }
    if (!chunk.switchyard.final && chunk.usage != null) {
      ctx.addIssue({
        code: 'custom',
        path: ['usage'],
        message: 'only the final chunk carries usage',
      });
    }
  })
  .meta({ description: 'A streamed Switchyard completion chunk (OpenAI chat.completion.chunk)' });
export type CompletionChunk = z.infer<typeof completionChunkSchema>;
