import type { CacheSettings } from '@switchyard/config';
import type { CompletionJob } from '@switchyard/contracts';
import { acquireLease, type RedisLease } from '@switchyard/limits';
import type { Redis } from 'ioredis';
import { cacheKeyFor } from './cache-key';
import { cachedAnswerSchema, type CachedAnswer } from './cached-answer';

/** What the cache does for one job: read an answer, store one, or both. */
export interface CachePlan {
  key: string;
  read: boolean;
  write: boolean;
  /** How long a stored answer lives: the job's `cache.ttl`, else `cache_params.ttl`. */
  ttlMs: number;
}

/**
 * A claim on computing a key's answer, so identical requests in flight make one call: a lease
 * renewed in the background while held; `release` gives it up.
 */
export type CacheClaim = RedisLease;

/** Options of {@link ResponseCache}. */
export interface ResponseCacheOptions {
  /**
   * How long a claim lives without renewal. The holder renews it every third of this while
   * its call runs, so a claim outlives a dead worker by at most this long.
   * @defaultValue 10_000
   */
  claimTtlMs?: number;
}

/** Thrown for an entry that is not a cached answer (written by something else, or corrupted). */
export class CorruptCacheEntryError extends Error {
  override readonly name = 'CorruptCacheEntryError';
}

/**
 * The exact-match response cache in Redis (`litellm_settings.cache`). Entries are keyed on the
 * tenant, the logical model and the canonical request (cacheKeyFor); per job, `cache.no_cache`
 * skips reading, `cache.no_store` skips writing and `cache.ttl` (seconds) overrides the
 * configured lifetime (`cache_params.ttl`, 1 hour by default). Every key it writes has a TTL.
 * With `cache_params.mode: default_off` only jobs with `cache.use_cache` are cached.
 */
export class ResponseCache {
  private readonly claimTtlMs: number;

  constructor(
    private readonly redis: Redis,
    private readonly settings: CacheSettings,
    private readonly keyPrefix: string,
    options: ResponseCacheOptions = {},
  ) {
    this.claimTtlMs = options.claimTtlMs ?? 10_000;
  }

  /** What to do for this job, or undefined when caching is off for it. */
  plan(job: CompletionJob): CachePlan | undefined {
    if (!this.settings.enabled) return undefined;
    if (this.settings.mode === 'default_off' && job.cache?.use_cache !== true) return undefined;
    const read = job.cache?.no_cache !== true;
    const write = job.cache?.no_store !== true;
    if (!read && !write) return undefined;
    const ttl = job.cache?.ttl;
    return {
      key: cacheKeyFor(job, this.keyPrefix, this.settings.namespace),
      read,
      write,
      ttlMs: ttl === undefined ? this.settings.ttlMs : ttl * 1000,
    };
  }

  /** The stored answer, or undefined. Throws CorruptCacheEntryError for an unreadable entry. */
  async get(key: string): Promise<CachedAnswer | undefined> {
    const text = await this.redis.get(key);
    if (text === null) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new CorruptCacheEntryError(`cache entry ${key} is not JSON`);
    }
    const answer = cachedAnswerSchema.safeParse(parsed);
    if (!answer.success) throw new CorruptCacheEntryError(`cache entry ${key} is not an answer`);
    return answer.data;
  }

  /** Removes an entry (a corrupt one). */
  async delete(key: string): Promise<void> {
    await this.redis.del(key);
  }

  /**
   * Claims the computing of `key`'s answer, or undefined when another worker holds it (an
   * identical request is in flight). The claim lives `claimTtlMs` and is renewed every third
   * of that until `release`, so a live call keeps it however long it runs and a dead worker's
   * claim expires within `claimTtlMs`.
   */
  claim(key: string): Promise<CacheClaim | undefined> {
    return acquireLease(this.redis, `${key}:computing`, this.claimTtlMs);
  }

  /** Gives a claim up (the call failed, or its answer is stored). */
  async release(claim: CacheClaim): Promise<void> {
    await claim.release();
  }

  /** Stores an answer for the plan's lifetime. */
  async put(plan: CachePlan, answer: CachedAnswer): Promise<void> {
    await this.redis.set(plan.key, JSON.stringify(answer), 'PX', plan.ttlMs);
  }
}
