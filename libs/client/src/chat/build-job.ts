import { randomUUID } from 'node:crypto';
import {
  requestHash,
  type ChatJobInput,
  type CompletionJobInput,
  type EmbeddingsRequest,
} from '@switchyard/contracts';
import type { ChatCompletionCreateParams, SwitchyardJobOptions } from './chat-params';

/** What a job needs besides the call's parameters. */
export interface JobContext {
  tenant: string;
  /** Epoch ms of submission. @defaultValue Date.now() */
  now?: number;
  /**
   * How long the caller waits for the answer: the job's deadline is `now` plus this, unless the
   * call sets an earlier one, so a job nobody waits for any more is never sent to a provider.
   * Absent for jobs whose answer is collected later (a batch's results subject).
   */
  waitMs?: number;
}

/** A fresh job id: `job-` and a random UUID. */
export function newJobId(): string {
  return `job-${randomUUID()}`;
}

/**
 * The job a create call publishes: the body without `model` (the job names the logical
 * model; the provider layer sets the provider's) and without the `switchyard` extras, which
 * become the job's own fields. The deadline is the earlier of the call's and the end of the
 * caller's wait. A job id the caller chose is an idempotency key: the job carries the
 * fingerprint of its model and request (`request_hash`), which its answer record keeps. Pure
 * apart from the default id and time.
 */
export function buildJob(
  params: ChatCompletionCreateParams,
  context: JobContext,
): CompletionJobInput & { id: string } {
  const { model, switchyard: extras = {}, ...request } = params;
  return { ...jobEnvelope(model, request, extras, context), request };
}

/**
 * The body of `client.embeddings.create`: an OpenAI embeddings body whose `model` is a
 * Switchyard logical model, plus the optional `switchyard` extras.
 */
export type EmbeddingsCreateParams = EmbeddingsRequest & {
  model: string;
  switchyard?: SwitchyardJobOptions;
};

/** The embeddings job an embeddings create call publishes (as buildJob, `endpoint: embeddings`). */
export function buildEmbeddingsJob(
  params: EmbeddingsCreateParams,
  context: JobContext,
): CompletionJobInput & { id: string } {
  const { model, switchyard: extras = {}, ...request } = params;
  return {
    ...jobEnvelope(model, request, extras, context),
    endpoint: 'embeddings',
    request,
  };
}

/** The fields of a job besides its request and endpoint. */
function jobEnvelope(
  model: string,
  request: unknown,
  extras: SwitchyardJobOptions,
  context: JobContext,
): Omit<ChatJobInput, 'request' | 'endpoint'> & { id: string } {
  const { job_id, cache, fallbacks, tags, key_id, priority } = extras;
  const submittedAt = context.now ?? Date.now();
  const waitEnds = context.waitMs === undefined ? undefined : submittedAt + context.waitMs;
  const deadline =
    extras.deadline === undefined || waitEnds === undefined
      ? (extras.deadline ?? waitEnds)
      : Math.min(extras.deadline, waitEnds);
  return {
    v: 1,
    id: job_id ?? newJobId(),
    tenant: context.tenant,
    ...(key_id === undefined ? {} : { key_id }),
    model,
    submitted_at: submittedAt,
    ...(deadline === undefined ? {} : { deadline }),
    ...(cache === undefined ? {} : { cache }),
    ...(fallbacks === undefined ? {} : { fallbacks }),
    ...(tags === undefined ? {} : { tags }),
    ...(priority === undefined ? {} : { priority }),
    ...(job_id === undefined ? {} : { request_hash: requestHash(model, request) }),
  };
}
