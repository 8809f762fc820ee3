import {
  CONTRACT_VERSION,
  generationOf,
  newCallId,
  type CompletionChunk,
  type CompletionJob,
  type ReplyMessage,
  type UsageEventInput,
} from '@switchyard/contracts';
import { resultMeta, usageEvent, type AnswerOrigin } from '../answer-accounting';
import type { CachedAnswer } from './cached-answer';

/** One job answered from the cache, as the worker saw it. */
export interface CacheHit {
  job: CompletionJob;
  answer: CachedAnswer;
  /** The JetStream delivery count of the job. */
  attempt: number;
  /** Provider calls the job made on earlier hops (its route). */
  earlierCalls: number;
  /** When the worker took the job (epoch ms). */
  takenAt: number;
}

function originOf(hit: CacheHit, now: number): AnswerOrigin {
  const { answer } = hit;
  return {
    job: hit.job,
    attempt: hit.attempt,
    callId: newCallId(),
    deployment: {
      id: answer.deployment,
      provider: answer.provider,
      providerModel: answer.provider_model,
    },
    calls: hit.earlierCalls,
    takenAt: hit.takenAt,
    startedAt: now,
    endedAt: now,
    cacheHit: true,
  };
}

/**
 * The replies of a cache hit, each with its msg id: the whole result (a completion or an
 * embeddings list), or for a streaming
 * request the answer replayed as a stream — one chunk with every choice's content and tool
 * calls, then the final chunk with the finish reasons, the usage and the metadata.
 */
export function cacheHitReplies(hit: CacheHit, now = Date.now()): [ReplyMessage, string][] {
  const { job, answer } = hit;
  const completion = { ...answer.completion, model: job.model };
  const meta = resultMeta(originOf(hit, now), 0);
  if (completion.object === 'list' || job.request.stream !== true) {
    return [[{ ...completion, switchyard: meta }, `${job.id}:final`]];
  }
  const generation = generationOf(job.route.length, hit.attempt);
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk' as const,
    created: completion.created,
    model: job.model,
    system_fingerprint: completion.system_fingerprint,
  };
  const content: CompletionChunk = {
    ...base,
    choices: completion.choices.map(({ index, message, logprobs }) => ({
      index,
      delta: {
        role: 'assistant',
        content: message.content,
        ...(message.tool_calls === undefined
          ? {}
          : {
              tool_calls: message.tool_calls.map((call, position) => ({
                index: position,
                id: call.id,
                type: 'function' as const,
                function: { name: call.function.name, arguments: call.function.arguments },
              })),
            }),
        ...(message.refusal == null ? {} : { refusal: message.refusal }),
      },
      finish_reason: null,
      logprobs,
    })),
    usage: null,
    switchyard: { v: CONTRACT_VERSION, job_id: job.id, seq: 0, generation, final: false },
  };
  const final: CompletionChunk = {
    ...base,
    choices: completion.choices.map(({ index, finish_reason }) => ({
      index,
      delta: {},
      finish_reason,
    })),
    usage: completion.usage,
    switchyard: { ...meta, seq: 1, generation, final: true },
  };
  return [
    [content, `${job.id}:0`],
    [final, `${job.id}:final`],
  ];
}

/**
 * The usage event of a cache hit: no provider billed anything, so every token count and the
 * cost are 0, and `cost_saved_usd` is what the stored answer cost when it was made (0 when
 * that price was unknown).
 */
export function cacheHitUsageEvent(hit: CacheHit, now = Date.now()): UsageEventInput {
  return usageEvent(originOf(hit, now), {
    status: 'cache_hit',
    counts: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 },
    costUsd: 0,
    costSavedUsd: hit.answer.cost_usd ?? 0,
  });
}
