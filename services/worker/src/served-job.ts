import type { Deployment } from '@switchyard/config';
import {
  CONTRACT_VERSION,
  usageEventId,
  type CompletionJob,
  type CompletionUsage,
  type DeploymentAttempt,
  type ErrorType,
  type ResultMeta,
  type UsageEventInput,
} from '@switchyard/contracts';
import { costOf, priceForDeployment } from '@switchyard/pricing';

/** One provider call of one job delivery, as the worker measured it. */
export interface ProviderCall {
  job: CompletionJob;
  deployment: Deployment;
  /** The JetStream delivery count of the job (1-based). */
  attempt: number;
  /** Failed provider calls of this job on earlier models and on this one before this call. */
  earlierFailures: number;
  /** When the worker took the job (epoch ms). */
  takenAt: number;
  /** When the provider call started and ended (epoch ms). */
  callStartedAt: number;
  callEndedAt: number;
  /** When the first content chunk arrived, for streams (epoch ms). */
  firstChunkAt?: number;
}

const nonNegative = (ms: number): number => Math.max(0, Math.round(ms));

/** Failed provider calls recorded in the job's route (earlier fallback hops). */
export function failuresInRoute(job: CompletionJob): number {
  return job.route.reduce((sum, hop) => sum + hop.deployments.length, 0);
}

/** Every deployment that failed the job so far, across hops, oldest first. */
export function deploymentsTried(
  job: CompletionJob,
  onThisModel: readonly DeploymentAttempt[] = [],
): DeploymentAttempt[] {
  return [...job.route.flatMap((hop) => hop.deployments), ...onThisModel];
}

/**
 * The `switchyard` block of a result (and of a final stream chunk) for a successful call:
 * `attempts` counts every provider call of the job across fallbacks, `fallback_path` is the
 * route's models then this one, `queue_ms` runs from submission to the worker taking the job.
 */
export function resultMeta(call: ProviderCall): ResultMeta {
  const { job, deployment } = call;
  return {
    v: CONTRACT_VERSION,
    job_id: job.id,
    deployment: deployment.id,
    provider: deployment.provider,
    provider_model: deployment.providerModel,
    attempts: call.earlierFailures + 1,
    fallback_path: [...job.route.map((hop) => hop.model), job.model],
    queue_ms: nonNegative(call.takenAt - job.submitted_at),
    provider_ms: nonNegative(call.callEndedAt - call.callStartedAt),
    total_ms: nonNegative(call.callEndedAt - job.submitted_at),
    cache_hit: false,
    cost_usd: null,
  };
}

/** What a call's outcome adds to its usage event. */
export type UsageOutcome =
  | { status: 'success'; usage: CompletionUsage }
  | { status: 'error'; errorType: ErrorType; usage?: CompletionUsage };

/** The id of a call's usage event: its job, hop, delivery and deployment. */
export function usageEventIdOf(call: Pick<ProviderCall, 'job' | 'deployment' | 'attempt'>): string {
  return usageEventId({
    job_id: call.job.id,
    fallback_depth: call.job.route.length,
    attempt: call.attempt,
    deployment: call.deployment.id,
  });
}

/**
 * The usage event of one provider call. Its id names this job hop, delivery and deployment,
 * so publishing it again (a redelivered job) counts once. `cost_usd` is the deployment's
 * price (config override, else the built-in table) applied to the tokens, null when unknown.
 */
export function usageEventFor(call: ProviderCall, outcome: UsageOutcome): UsageEventInput {
  const { job, deployment } = call;
  const fallbackDepth = job.route.length;
  const usage = outcome.usage;
  const counts = {
    prompt_tokens: usage?.prompt_tokens ?? 0,
    completion_tokens: usage?.completion_tokens ?? 0,
    cached_tokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
  const ttft =
    call.firstChunkAt === undefined
      ? {}
      : { ttft_ms: nonNegative(call.firstChunkAt - job.submitted_at) };
  return {
    v: CONTRACT_VERSION,
    id: usageEventIdOf(call),
    job_id: job.id,
    tenant: job.tenant,
    ...(job.key_id === undefined ? {} : { key_id: job.key_id }),
    tags: job.tags ?? [],
    model: job.model,
    deployment: deployment.id,
    provider: deployment.provider,
    provider_model: deployment.providerModel,
    status: outcome.status,
    ...(outcome.status === 'error' ? { error_type: outcome.errorType } : {}),
    ...counts,
    cost_usd: costOf(counts, priceForDeployment(deployment)),
    cost_saved_usd: 0,
    queue_ms: nonNegative(call.takenAt - job.submitted_at),
    provider_ms: nonNegative(call.callEndedAt - call.callStartedAt),
    total_ms: nonNegative(call.callEndedAt - job.submitted_at),
    ...ttft,
    attempt: call.attempt,
    fallback_depth: fallbackDepth,
    at: call.callEndedAt,
  };
}
