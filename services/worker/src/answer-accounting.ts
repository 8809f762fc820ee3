import type { Deployment } from '@switchyard/config';
import {
  CONTRACT_VERSION,
  fallbackPath,
  usageEventId,
  type CompletionJob,
  type CompletionUsage,
  type ErrorType,
  type ResultMeta,
  type UsageEventInput,
} from '@switchyard/contracts';
import { costOf, priceForDeployment, tokenCountsOf, type TokenCounts } from '@switchyard/pricing';

/**
 * The one place where the worker says what an answer cost and where it came from: the
 * `switchyard` block of results and final chunks, and the usage events metering bills, for
 * answers served by a provider call and answers replayed from the response cache alike.
 */

/** Where an answer came from, as its metadata and usage event describe it. */
export interface AnswerOrigin {
  job: CompletionJob;
  /** The JetStream delivery count of the job (1-based). */
  attempt: number;
  /** Names the call in the usage event's id (newCallId). */
  callId: string;
  /** The deployment that made the answer (for a cache hit: the one that made the stored answer). */
  deployment: { id: string; provider: string; providerModel: string };
  /** Provider calls the job made, this one included (a cache hit makes none). */
  calls: number;
  /** When the worker took the job (epoch ms). */
  takenAt: number;
  /** When the provider call started and ended (a cache hit: both when it was served). */
  startedAt: number;
  endedAt: number;
  /** When the first content chunk arrived, for streams (epoch ms). */
  firstChunkAt?: number;
  cacheHit: boolean;
}

/** What an answer's usage event bills. */
export interface Billing {
  status: 'success' | 'error' | 'cache_hit';
  errorType?: ErrorType;
  /** The provider reported no usage: the tokens are the worker's count. */
  estimated?: boolean;
  counts: TokenCounts;
  /** What the call cost, null when the deployment's price is unknown. */
  costUsd: number | null;
  /** What a cache hit saved: what the stored answer cost when it was made. */
  costSavedUsd: number;
}

const nonNegative = (ms: number): number => Math.max(0, Math.round(ms));

/**
 * The `switchyard` block of a result (and of a final stream chunk): `attempts` counts every
 * provider call of the job across fallbacks, `fallback_path` is the route's models then this
 * one, `queue_ms` runs from submission to the worker taking the job, `cost_usd` is what the
 * answer cost (0 for a cache hit, null when the price is unknown).
 */
export function resultMeta(origin: AnswerOrigin, costUsd: number | null): ResultMeta {
  const { job, deployment } = origin;
  return {
    v: CONTRACT_VERSION,
    job_id: job.id,
    deployment: deployment.id,
    provider: deployment.provider,
    provider_model: deployment.providerModel,
    attempts: origin.calls,
    fallback_path: fallbackPath(job),
    queue_ms: nonNegative(origin.takenAt - job.submitted_at),
    provider_ms: nonNegative(origin.endedAt - origin.startedAt),
    total_ms: nonNegative(origin.endedAt - job.submitted_at),
    cache_hit: origin.cacheHit,
    cost_usd: costUsd,
  };
}

/**
 * The usage event of an answer. Its id names the call (`callId`), so publishing it again (a
 * retry, a replayed answer record) counts once.
 */
export function usageEvent(origin: AnswerOrigin, billing: Billing): UsageEventInput {
  const { job, deployment } = origin;
  const fallbackDepth = job.route.length;
  const ttft =
    origin.firstChunkAt === undefined
      ? {}
      : { ttft_ms: nonNegative(origin.firstChunkAt - job.submitted_at) };
  return {
    v: CONTRACT_VERSION,
    id: usageEventId({
      tenant: job.tenant,
      job_id: job.id,
      fallback_depth: fallbackDepth,
      attempt: origin.attempt,
      call_id: origin.callId,
    }),
    job_id: job.id,
    tenant: job.tenant,
    ...(job.key_id === undefined ? {} : { key_id: job.key_id }),
    tags: job.tags ?? [],
    model: job.model,
    deployment: deployment.id,
    provider: deployment.provider,
    provider_model: deployment.providerModel,
    status: billing.status,
    ...(billing.errorType === undefined ? {} : { error_type: billing.errorType }),
    ...(billing.estimated === true ? { estimated: true } : {}),
    ...billing.counts,
    cost_usd: billing.costUsd,
    cost_saved_usd: billing.costSavedUsd,
    queue_ms: nonNegative(origin.takenAt - job.submitted_at),
    provider_ms: nonNegative(origin.endedAt - origin.startedAt),
    total_ms: nonNegative(origin.endedAt - job.submitted_at),
    ...ttft,
    attempt: origin.attempt,
    fallback_depth: fallbackDepth,
    at: origin.endedAt,
  };
}

/** One provider call of one job delivery, as the worker measured it. */
export interface ProviderCall {
  /** Names this call in its usage event's id (newCallId). */
  callId: string;
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

function originOf(call: ProviderCall): AnswerOrigin {
  return {
    job: call.job,
    attempt: call.attempt,
    callId: call.callId,
    deployment: call.deployment,
    calls: call.earlierFailures + 1,
    takenAt: call.takenAt,
    startedAt: call.callStartedAt,
    endedAt: call.callEndedAt,
    ...(call.firstChunkAt === undefined ? {} : { firstChunkAt: call.firstChunkAt }),
    cacheHit: false,
  };
}

/** The deployment's price (config override, else the built-in table) applied to the tokens. */
function costOfCall(call: ProviderCall, counts: TokenCounts): number | null {
  return costOf(counts, priceForDeployment(call.deployment));
}

/** The `switchyard` block of a provider call's answer, with what the call cost. */
export function callResultMeta(call: ProviderCall, usage: CompletionUsage): ResultMeta {
  return resultMeta(originOf(call), costOfCall(call, tokenCountsOf(usage)));
}

/**
 * What a call's outcome adds to its usage event. `estimated`: the provider reported no usage
 * (a stream cut or cancelled midway, a call aborted), so the tokens are the worker's count of
 * the prompt and of the text that had arrived.
 */
export type UsageOutcome =
  | { status: 'success'; usage: CompletionUsage }
  | { status: 'error'; errorType: ErrorType; usage?: CompletionUsage; estimated?: boolean };

/** The usage event of one provider call, priced for its deployment (null when unknown). */
export function usageEventFor(call: ProviderCall, outcome: UsageOutcome): UsageEventInput {
  const counts =
    outcome.usage === undefined
      ? { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 }
      : tokenCountsOf(outcome.usage);
  return usageEvent(originOf(call), {
    status: outcome.status,
    ...(outcome.status === 'error' ? { errorType: outcome.errorType } : {}),
    ...(outcome.status === 'error' && outcome.estimated === true ? { estimated: true } : {}),
    counts,
    costUsd: costOfCall(call, counts),
    costSavedUsd: 0,
  });
}
