import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { errorTypeSchema } from './error.schema';
import {
  jobIdSchema,
  keyIdSchema,
  logicalModelNameSchema,
  tagsSchema,
  tenantIdSchema,
} from './ids.schema';
import {
  costUsdSchema,
  durationMsSchema,
  epochMsSchema,
  tokenCountSchema,
  usdSchema,
} from './units.schema';
import { contractVersionSchema } from './version';

/**
 * What a metered event records: a provider call that answered (`success`), one that failed
 * (`error`, which may still have spent tokens), or an answer served from the cache
 * (`cache_hit`, at zero cost).
 */
export const usageStatusSchema = z.enum(['success', 'error', 'cache_hit']);
export type UsageStatus = z.infer<typeof usageStatusSchema>;

/**
 * One metered event, published on `llm.usage.<tenant>.<model>` for every provider call and
 * every cache hit. Metering counts each `id` once, however often the event is delivered.
 * - `attempt`: the 1-based delivery of the job that made this call (the JetStream delivery
 *   count); `fallback_depth`: 0 for the requested model, 1 for the first fallback, …
 * - `model` is the logical model of this hop; `deployment`, `provider`, `provider_model` say
 *   who was called (for a cache hit, who produced the cached answer).
 * - `cost_usd`: null when the price is unknown, 0 for a cache hit; `cost_saved_usd`: what a
 *   cache hit saved at the answering deployment's price, 0 for other events or an unknown
 *   price.
 * - `queue_ms`, `provider_ms`, `total_ms`, `ttft_ms`: as in a result's metadata, for this call.
 * - `estimated`: the provider reported no usage (a stream cut or cancelled midway, a call
 *   aborted), so the tokens are the worker's count of the prompt and of the text that arrived.
 */
export const usageEventSchema = z
  .object({
    v: contractVersionSchema,
    id: z.string().min(1),
    job_id: jobIdSchema,
    tenant: tenantIdSchema,
    key_id: keyIdSchema.optional(),
    tags: tagsSchema.default([]),
    model: logicalModelNameSchema,
    deployment: z.string().min(1),
    provider: z.string().min(1),
    provider_model: z.string().min(1),
    status: usageStatusSchema,
    error_type: errorTypeSchema.optional(),
    estimated: z.literal(true).optional(),
    prompt_tokens: tokenCountSchema,
    completion_tokens: tokenCountSchema,
    cached_tokens: tokenCountSchema,
    reasoning_tokens: tokenCountSchema,
    cost_usd: costUsdSchema,
    cost_saved_usd: usdSchema,
    queue_ms: durationMsSchema,
    provider_ms: durationMsSchema,
    total_ms: durationMsSchema,
    ttft_ms: durationMsSchema.optional(),
    attempt: z.int().min(1),
    fallback_depth: z.int().nonnegative(),
    at: epochMsSchema,
  })
  .superRefine((event, ctx) => {
    if (event.status === 'error' && event.error_type === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['error_type'],
        message: 'an error event needs error_type',
      });
    }
    if (event.status !== 'error' && event.error_type !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['error_type'],
        message: `a ${event.status} event has no error_type`,
      });
    }
    if (event.status === 'cache_hit' && event.cost_usd !== 0) {
      ctx.addIssue({ code: 'custom', path: ['cost_usd'], message: 'a cache hit costs 0' });
    }
    if (event.status !== 'cache_hit' && event.cost_saved_usd !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['cost_saved_usd'],
        message: 'only a cache hit saves cost',
      });
    }
  })
  .meta({ description: 'A metered Switchyard provider call or cache hit' });

/** A usage event as decoded: `tags` is always present. */
export type UsageEvent = z.infer<typeof usageEventSchema>;
/** A usage event as a worker writes it: `tags` may be left out. */
export type UsageEventInput = z.input<typeof usageEventSchema>;

/** The parts of a usage event's id. */
export interface UsageEventIdParts {
  tenant: string;
  job_id: string;
  fallback_depth: number;
  attempt: number;
  /** Random, made once per provider call or cache hit (see newCallId). */
  call_id: string;
}

/**
 * A fresh id for one provider call or cache hit: 16 hex digits of randomness (the random
 * digits of a v4 UUID: randomUUID draws from a cached entropy pool, where randomBytes asks
 * OpenSSL every time, ≈ 1.5 % of a busy worker's CPU). Made once when
 * the call is made and kept with its usage event, so publishing that event again (a retry, a
 * redelivered job answered from its recorded answer) keeps its id and is counted once, while
 * another call, even of the same job id later, is always counted.
 */
export function newCallId(): string {
  const uuid = randomUUID();
  return uuid.slice(0, 8) + uuid.slice(28);
}

/**
 * The id of a usage event: `<tenant>.<job_id>:<fallback_depth>:<attempt>:<call_id>`. The
 * tenant scopes the caller's job id, the hop and delivery make it readable, and the call id
 * makes it name exactly one call.
 */
export function usageEventId(parts: UsageEventIdParts): string {
  const { tenant, job_id, fallback_depth, attempt, call_id } = parts;
  return `${tenant}.${job_id}:${fallback_depth}:${attempt}:${call_id}`;
}
