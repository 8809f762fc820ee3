import { randomUUID } from 'node:crypto';
import type { CompletionJobInput } from '@switchyard/contracts';
import type { ChatCompletionCreateParams } from './chat-params';

/** What a job needs besides the call's parameters. */
export interface JobContext {
  tenant: string;
  /** Epoch ms of submission. @defaultValue Date.now() */
  now?: number;
}

/** A fresh job id: `job-` and a random UUID. */
export function newJobId(): string {
  return `job-${randomUUID()}`;
}

/**
 * The job a create call publishes: the body without `model` (the job names the logical
 * model; the provider layer sets the provider's) and without the `switchyard` extras, which
 * become the job's own fields. Pure apart from the default id and time.
 */
export function buildJob(
  params: ChatCompletionCreateParams,
  context: JobContext,
): CompletionJobInput & { id: string } {
  const { model, switchyard: extras = {}, ...request } = params;
  const { job_id, deadline, cache, fallbacks, tags, key_id } = extras;
  return {
    v: 1,
    id: job_id ?? newJobId(),
    tenant: context.tenant,
    ...(key_id === undefined ? {} : { key_id }),
    model,
    request,
    submitted_at: context.now ?? Date.now(),
    ...(deadline === undefined ? {} : { deadline }),
    ...(cache === undefined ? {} : { cache }),
    ...(fallbacks === undefined ? {} : { fallbacks }),
    ...(tags === undefined ? {} : { tags }),
  };
}
