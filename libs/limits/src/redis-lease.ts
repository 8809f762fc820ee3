import { randomUUID } from 'node:crypto';
import { defineScript, type RedisClient } from './redis-script';

/** Deletes a lease only while it is still the caller's (it may have expired and been retaken). */
const releaseScript = defineScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`,
);

/** KEYS[1] the lease, ARGV token and TTL ms: extends the lease while it is still the caller's. */
const renewScript = defineScript(
  `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`,
);

/**
 * A Redis key held by one process at a time, renewed in the background while held: the
 * holder keeps it however long its work runs, and a holder that dies loses it within the TTL.
 */
export interface RedisLease {
  readonly key: string;
  readonly token: string;
  /** Aborted when a renewal finds the lease gone or someone else's: the work should stop. */
  readonly lost: AbortSignal;
  /** Stops renewing and deletes the lease if it is still this holder's. */
  release(): Promise<void>;
}

/**
 * Takes `key` for `ttlMs` (`SET NX PX`) and renews it every third of that until released;
 * undefined when another holder has it. A renewal that cannot reach Redis is retried at the
 * next interval (the lease expires if Redis stays away).
 */
export async function acquireLease(
  redis: RedisClient,
  key: string,
  ttlMs: number,
): Promise<RedisLease | undefined> {
  const token = randomUUID();
  if ((await redis.set(key, token, 'PX', ttlMs, 'NX')) !== 'OK') return undefined;
  const lost = new AbortController();
  const timer = setInterval(
    () => {
      renewScript.run(redis, [key], [token, ttlMs]).then(
        (renewed) => {
          if (renewed !== 0) return;
          clearInterval(timer);
          lost.abort(new Error(`lease ${key} was lost`));
        },
        () => undefined,
      );
    },
    Math.max(1, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    key,
    token,
    lost: lost.signal,
    async release() {
      clearInterval(timer);
      await releaseScript.run(redis, [key], [token]);
    },
  };
}
