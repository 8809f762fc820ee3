import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/** The Redis connections this package accepts: a single server or a cluster. */
export type RedisClient = Redis | Cluster;

/** A value a script receives in KEYS or ARGV. */
export type ScriptArg = string | number;

/** A Lua script run with EVALSHA, loaded with EVAL the first time a server does not know it. */
export interface RedisScript {
  /** The script's SHA-1, as `SCRIPT LOAD` reports it. */
  readonly sha: string;
  /** Runs the script atomically on the server holding `keys` and resolves to its reply. */
  run(redis: RedisClient, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown>;
}

function isNoScriptError(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Wraps Lua source as a {@link RedisScript}. EVALSHA sends only the hash; when the server
 * answers NOSCRIPT (first use, restart, SCRIPT FLUSH) the call is repeated once with EVAL,
 * which also caches the script for the next EVALSHA.
 */
export function defineScript(source: string): RedisScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return {
    sha,
    async run(redis, keys, args) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!isNoScriptError(error)) throw error;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  };
}
