import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script run with EVALSHA, loaded with EVAL the first time a server does not know it. */
export interface RedisScript {
  run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown>;
}

/**
 * Wraps Lua source as a {@link RedisScript} (the same scheme as libs/limits): EVALSHA sends only
 * the hash, and on NOSCRIPT (first use, restart, SCRIPT FLUSH) the call is repeated with EVAL.
 */
export function defineScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
