import { z } from 'zod';
import { chatCompletionRequestSchema } from './chat-request.schema';
import { embeddingsRequestSchema, type EmbeddingsRequest } from './embeddings-request.schema';
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

/** The fields every job has, whatever it asks for. */
const jobEnvelopeShape = {
  v: contractVersionSchema,
  id: jobIdSchema,
  tenant: tenantIdSchema,
  key_id: keyIdSchema.optional(),
  model: logicalModelNameSchema,
  submitted_at: epochMsSchema,
  deadline: epochMsSchema.optional(),
  cache: cacheControlSchema.optional(),
  fallbacks: z.array(logicalModelNameSchema).max(16).optional(),
  tags: tagsSchema.optional(),
  route: z.array(routeHopSchema).default([]),
  request_hash: requestHashSchema.optional(),
  priority: jobPrioritySchema.optional(),
};

/**
 * What a job asks for: a chat completion (`chat`, also when `endpoint` is absent, so every job
 * written before embeddings existed still reads as chat) or embeddings (`embeddings`).
 */
export const jobEndpointSchema = z.enum(['chat', 'embeddings']);
export type JobEndpoint = z.infer<typeof jobEndpointSchema>;

/** A chat-completions job: `request` is the OpenAI chat-completions body. */
export const chatJobSchema = z.object({
  ...jobEnvelopeShape,
  endpoint: z.literal('chat').optional(),
  request: chatCompletionRequestSchema,
});

/** An embeddings job: `request` is the OpenAI embeddings body. */
export const embeddingsJobSchema = z.object({
  ...jobEnvelopeShape,
  endpoint: z.literal('embeddings'),
  request: embeddingsRequestSchema,
});

/**
 * A job, the message published on `llm.jobs.<tenant>.<model>`, told apart by `endpoint`
 * (absent: chat).
 * - `id`: the idempotency key (sent as `Nats-Msg-Id`).
 * - `tenant`, `model`: equal to the subject's tenant and (decoded) model token.
 * - `endpoint`, `request`: the OpenAI chat-completions body (`chat`, the default) or the OpenAI
 *   embeddings body (`embeddings`).
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
  .discriminatedUnion('endpoint', [chatJobSchema, embeddingsJobSchema])
  .refine((job) => job.deadline === undefined || job.deadline > job.submitted_at, {
    message: 'deadline must be later than submitted_at',
    path: ['deadline'],
  })
  .meta({ description: 'A Switchyard job (chat completion or embeddings)' });

/** A job as decoded: `route` is always present. */
export type CompletionJob = z.infer<typeof completionJobSchema>;
/** A job as a producer writes it: `route` may be left out. */
export type CompletionJobInput = z.input<typeof completionJobSchema>;
/** A chat-completions job as decoded. */
export type ChatJob = z.infer<typeof chatJobSchema>;
/** A chat-completions job as a producer writes it (`endpoint` may be left out). */
export type ChatJobInput = z.input<typeof chatJobSchema>;
/** An embeddings job as decoded. */
export type EmbeddingsJob = z.infer<typeof embeddingsJobSchema>;

/** The body a job carries: a chat-completions or an embeddings request. */
export type JobRequest = CompletionJob['request'];

/**
 * Whether a job's body is an embeddings request (it has `input` and no `messages`), for code
 * that holds the body without its job.
 */
export function isEmbeddingsRequest(request: JobRequest): request is EmbeddingsRequest {
  return !Array.isArray(request['messages']) && request['input'] !== undefined;
}

/** Whether a job asks for embeddings (else it is a chat completion). */
export function isEmbeddingsJob(job: CompletionJob): job is EmbeddingsJob {
  return job.endpoint === 'embeddings';
}
