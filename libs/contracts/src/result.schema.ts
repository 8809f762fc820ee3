import { z } from 'zod';
import { completionUsageSchema } from './completion-usage.schema';
import { jobIdSchema, logicalModelNameSchema } from './ids.schema';
import { choiceLogprobsSchema } from './logprobs.schema';
import { toolCallSchema } from './tool-call.schema';
import { costUsdSchema, durationMsSchema, epochSecondsSchema } from './units.schema';
import { contractVersionSchema } from './version';

/**
 * Why the model stopped: a natural end or a stop sequence (`stop`), the token limit
 * (`length`), to call tools (`tool_calls`), a provider content filter (`content_filter`), or
 * a legacy function call (`function_call`).
 */
export const finishReasonSchema = z.enum([
  'stop',
  'length',
  'tool_calls',
  'content_filter',
  'function_call',
]);
export type FinishReason = z.infer<typeof finishReasonSchema>;

/**
 * How Switchyard served a job, carried by a result and by the final stream chunk.
 * - `deployment`, `provider`, `provider_model`: who answered (for a cache hit, who produced
 *   the cached answer).
 * - `attempts`: provider calls made for this job across retries and fallbacks (0 for a cache
 *   hit).
 * - `fallback_path`: the logical models tried, in order; the first is the one requested, the
 *   last is the one that answered.
 * - `queue_ms`: from submission to a worker taking the job; `provider_ms`: the successful
 *   provider call; `total_ms`: from submission to the answer.
 * - `cost_usd`: the cost of this answer, 0 for a cache hit, null when the price is unknown.
 */
export const resultMetaSchema = z.object({
  v: contractVersionSchema,
  job_id: jobIdSchema,
  deployment: z.string().min(1),
  provider: z.string().min(1),
  provider_model: z.string().min(1),
  attempts: z.int().nonnegative(),
  fallback_path: z.array(logicalModelNameSchema).min(1),
  queue_ms: durationMsSchema,
  provider_ms: durationMsSchema,
  total_ms: durationMsSchema,
  cache_hit: z.boolean(),
  cost_usd: costUsdSchema,
});
export type ResultMeta = z.infer<typeof resultMetaSchema>;

/** The message the model wrote: text (or null when it only called tools), tool calls, refusal. */
export const resultMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string().nullable(),
  tool_calls: z.array(toolCallSchema).optional(),
  refusal: z.string().nullish(),
});
export type ResultMessage = z.infer<typeof resultMessageSchema>;

/** One of the `n` answers of a completion. */
export const resultChoiceSchema = z.object({
  index: z.int().nonnegative(),
  message: resultMessageSchema,
  finish_reason: finishReasonSchema,
  logprobs: choiceLogprobsSchema.nullish(),
});
export type ResultChoice = z.infer<typeof resultChoiceSchema>;

/**
 * A finished completion: an OpenAI `chat.completion` object, whose `model` is the logical
 * model that answered, plus the `switchyard` block saying how it was served.
 */
export const completionResultSchema = z
  .object({
    id: z.string().min(1),
    object: z.literal('chat.completion'),
    created: epochSecondsSchema,
    model: z.string().min(1),
    choices: z.array(resultChoiceSchema),
    usage: completionUsageSchema,
    system_fingerprint: z.string().nullish(),
    switchyard: resultMetaSchema,
  })
  .meta({ description: 'A finished Switchyard completion (OpenAI chat.completion + metadata)' });
export type CompletionResult = z.infer<typeof completionResultSchema>;
