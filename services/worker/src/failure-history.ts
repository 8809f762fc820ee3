import type { CompletionJob, DeploymentAttempt } from '@switchyard/contracts';
import { deploymentAttemptSchema } from '@switchyard/contracts';
import { jobMessageId } from '@switchyard/messaging';
import type { Redis } from 'ioredis';

/**
 * The provider failures of one job on its current model (one hop), kept in Redis so that
 * every worker replica sees them: they decide whether the retry budget is spent (JetStream's
 * delivery count also counts deliveries handed back while the deployments were rate-limited,
 * which are not retries) and become the route hop of a dead letter.
 */
export interface FailureHistory {
  /** Appends a failure and returns every failure of this hop so far, oldest first. */
  record(job: CompletionJob, failure: DeploymentAttempt): Promise<DeploymentAttempt[]>;
  /** The failures of this hop so far, oldest first. */
  list(job: CompletionJob): Promise<DeploymentAttempt[]>;
  /** Forgets the hop (it was answered or dead-lettered). */
  clear(job: CompletionJob): Promise<void>;
}

/** How long a hop's failures are kept after the last one. @defaultValue one day */
const historyTtlSeconds = 24 * 60 * 60;

/**
 * A FailureHistory in Redis under `<keyPrefix>worker:failures:<job id>#<hop>` (a list of
 * JSON DeploymentAttempts, expiring a day after its last failure).
 */
export function createFailureHistory(redis: Redis, keyPrefix: string): FailureHistory {
  const keyOf = (job: CompletionJob) => `${keyPrefix}worker:failures:${jobMessageId(job)}`;
  const read = (items: string[]): DeploymentAttempt[] =>
    items.flatMap((item) => {
      const parsed = deploymentAttemptSchema.safeParse(JSON.parse(item));
      return parsed.success ? [parsed.data] : [];
    });
  return {
    async record(job, failure) {
      const key = keyOf(job);
      const results = await redis
        .multi()
        .rpush(key, JSON.stringify(failure))
        .expire(key, historyTtlSeconds)
        .lrange(key, 0, -1)
        .exec();
      const list = results?.[2]?.[1];
      return Array.isArray(list) ? read(list as string[]) : [failure];
    },
    async list(job) {
      return read(await redis.lrange(keyOf(job), 0, -1));
    },
    async clear(job) {
      await redis.del(keyOf(job));
    },
  };
}
