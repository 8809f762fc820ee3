import {
  failedCallsInRoute,
  type CompletionJob,
  type UsageEventInput,
} from '@switchyard/contracts';
import type { JobDelivery } from '@switchyard/messaging';
import type { Logger } from '@switchyard/telemetry';
import type { JobReplies } from '../job-replies';
import type { JobSettler } from '../job-settler';
import type { JobOutcome } from '../worker-metrics';
import { cacheHitReplies, cacheHitUsageEvent } from './cache-hit';
import type { Deployment } from '@switchyard/config';
import type { CachedAnswer } from './cached-answer';
import {
  CorruptCacheEntryError,
  type CacheClaim,
  type CachePlan,
  type ResponseCache,
} from './response-cache';

/**
 * What a job that was not answered from the cache does with it after the provider call:
 * store the answer (when the plan writes) and give its claim up. Both only log failures.
 */
export interface CacheTicket {
  /** Whether the call should return the whole completion, for `store`. */
  readonly keepCompletion: boolean;
  store(
    completion: CachedAnswer['completion'] | undefined,
    deployment: Deployment,
    costUsd: number | null,
  ): Promise<void>;
  release(): Promise<void>;
}

/** The ticket of a job the cache does nothing for. */
export const noCacheTicket: CacheTicket = {
  keepCompletion: false,
  store: () => Promise.resolve(),
  release: () => Promise.resolve(),
};

function ticketFor(
  cache: ResponseCache,
  plan: CachePlan,
  claim: CacheClaim | undefined,
  log: Logger,
): CacheTicket {
  const logged = async (what: string, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      log.error({ err: error }, `${what} failed`);
    }
  };
  return {
    keepCompletion: true,
    async store(completion, deployment, costUsd) {
      if (completion === undefined) return;
      await logged('storing the answer in the cache', () =>
        cache.put(plan, {
          completion,
          deployment: deployment.id,
          provider: deployment.provider,
          provider_model: deployment.providerModel,
          cost_usd: costUsd,
          stored_at: Date.now(),
        }),
      );
    },
    async release() {
      if (claim !== undefined)
        await logged('releasing the cache claim', () => cache.release(claim));
    },
  };
}

/** What the cache needs from the worker. */
export interface CacheStepContext {
  cache: ResponseCache;
}

/** How long a job whose identical twin is being computed waits before it looks again. */
export const coalesceWaitMs = 100;

/** What the cache step did with a job. */
export type CacheStepResult =
  | { answered: true; outcome: JobOutcome; hit?: UsageEventInput }
  | { answered: false; ticket: CacheTicket };

/**
 * The cache's part of a job, before any deployment is leased:
 * - `answered`: served from the cache (a stream's content chunk sent, then the final answer
 *   settled like any answer: recorded, sent, metered, acked; `hit` is the usage event), or
 *   handed back for `coalesceWaitMs` because an identical request is in flight elsewhere, so
 *   it is answered from the cache once that one is stored;
 * - otherwise the ticket that stores the answer and releases the claim after the call.
 * A Redis failure or a corrupt entry is logged and the job goes on as a miss.
 */
export async function cacheStep(
  context: CacheStepContext,
  delivery: JobDelivery,
  job: CompletionJob,
  replies: JobReplies,
  settler: JobSettler,
  takenAt: number,
  log: Logger,
): Promise<CacheStepResult> {
  const plan = context.cache.plan(job);
  if (plan === undefined) return { answered: false, ticket: noCacheTicket };
  const miss = (error: unknown) => {
    log.error({ err: error }, 'the response cache failed; serving the job without it');
    return { answered: false as const, ticket: noCacheTicket };
  };
  let answer: CachedAnswer | undefined;
  try {
    if (plan.read) answer = await readEntry(context.cache, plan.key, log);
  } catch (error) {
    return miss(error);
  }
  if (answer !== undefined) {
    const hit = {
      job,
      answer,
      attempt: delivery.attempt,
      earlierCalls: failedCallsInRoute(job.route),
      takenAt,
    };
    const messages = cacheHitReplies(hit);
    const final = messages.pop();
    if (final === undefined) throw new Error('a cache hit has no final reply');
    for (const [reply, msgId] of messages) await replies.send(reply, msgId);
    const usage = cacheHitUsageEvent(hit);
    const outcome = await settler.answer({ reply: final[0], msgId: final[1], usage: [usage] });
    return { answered: true, outcome: outcome === 'answered' ? 'cache_hit' : outcome, hit: usage };
  }
  if (!plan.write) return { answered: false, ticket: noCacheTicket };
  try {
    const claim = await context.cache.claim(plan.key);
    if (claim === undefined && plan.read) {
      delivery.control.nak(coalesceWaitMs);
      return { answered: true, outcome: 'waiting' };
    }
    return { answered: false, ticket: ticketFor(context.cache, plan, claim, log) };
  } catch (error) {
    return miss(error);
  }
}

async function readEntry(cache: ResponseCache, key: string, log: Logger) {
  try {
    return await cache.get(key);
  } catch (error) {
    if (!(error instanceof CorruptCacheEntryError)) throw error;
    log.warn({ key }, `${error.message}: deleted, serving as a miss`);
    await cache.delete(key);
    return undefined;
  }
}
