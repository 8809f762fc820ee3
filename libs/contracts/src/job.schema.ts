import { z } from 'zod';
import { chatCompletionRequestSchema } from './chat-request.schema';
import { jobPrioritySchema } from './priority';
import { requestHashSchema } from './request-hash';
import { deploymentAttemptSchema } from './error.schema';
import {
  jobIdSchema,
  keyIdSchema,
  logicalModelNameSchema,
  tagsSchema,
  tenantIdSchema,
} from './ids.schema';
import { epochMsSchema } from './units.schema';
import { contractVersionSchema } from './version';

/**
 * Per-request cache controls: `no_cache` skips reading the cache, `no_store` skips writing
 * the answer to it, `ttl` (seconds) overrides how long a stored answer lives, and `use_cache`
 * opts in where the cache is off unless asked (`cache_params.mode: default_off`).
 */
export const cacheControlSchema = z.object({
  use_cache: z.boolean().optional(),
  no_cache: z.boolean().optional(),
  no_store: z.boolean().optional(),
  ttl: z.int().positive().optional(),
});
export type CacheControl = z.infer<typeof cacheControlSchema>;

/** One logical model the job has been sent to, with the deployments that failed it there. */
export const routeHopSchema = z.object({
  model: logicalModelNameSchema,
  deployments: z.array(deploymentAttemptSchema),
});
export type RouteHop = z.infer<typeof routeHopSchema>;

/**
 * A completion job, the message published on `llm.jobs.<tenant>.<model>`.
 * - `id`: the idempotency key (sent as `Nats-Msg-Id`).
 * - `tenant`, `model`: equal to the subject's tenant and (decoded) model token.
 * - `request`: the OpenAI chat-completions body.
 * - `submitted_at`, `deadline`: epoch ms; a job past its deadline is failed, never sent.
 * - `key_id`: the virtual key the job was submitted with (its id, never the secret), if any.
 * - `fallbacks`: logical models to try, in order, before the configured fallbacks.
 * - `route`: the models this job has already been through with the failures there, appended
 *   by the fallback router on each hop; empty for a fresh job.
 * - `priority`: the lane the job waits in (`interactive` when absent, or `batch`); it decides
 *   the subject (`…<model>` or `…<model>.batch`) and so the model's consumer that serves it.
 * - `request_hash`: set when the producer chose the job id as an idempotency key
 *   (requestHash of the model and request); the job's answer record keeps it, so the same id
 *   submitted again with another request is refused instead of answered with this one's.
 */
export const completionJobSchema = z
  .object({
    v: contractVersionSchema,
    id: jobIdSchema,
    tenant: tenantIdSchema,
    key_id: keyIdSchema.optional(),
    model: logicalModelNameSchema,
    request: chatCompletionRequestSchema,
    submitted_at: epochMsSchema,
    deadline: epochMsSchema.optional(),
    cache: cacheControlSchema.optional(),
    fallbacks: z.array(logicalModelNameSchema).max(16).optional(),
    tags: tagsSchema.optional(),
    route: z.array(routeHopSchema).default([]),
    request_hash: requestHashSchema.optional(),
    priority: jobPrioritySchema.optional(),
  })
  .refine((job) => job.deadline === undefined || job.deadline > job.submitted_at, {
    message: 'deadline must be later than submitted_at',
    path: ['deadline'],
  })
  .meta({ description: 'A Switchyard completion job' });

/** A job as decoded: `route` is always present. */
export type CompletionJob = z.infer<typeof completionJobSchema>;
/** A job as a producer writes it: `route` may be left out. */
export type CompletionJobInput = z.input<typeof completionJobSchema>;
