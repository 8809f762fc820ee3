import { createHash } from 'node:crypto';
import type { UsageEvent } from '@switchyard/contracts';
import type { Redis } from 'ioredis';
import {
  bucketStart,
  BucketSizes,
  dimensionValues,
  meteringKeys,
  type BucketKind,
} from './aggregate-keys';
import { aggregateIncrements } from './aggregate-fields';
import { applyUsageLua } from './apply-usage.script';

const day = 86_400_000;

/** How long metering keeps what, in milliseconds. */
export const RetentionDefaults = {
  /**
   * How long an applied event id is remembered. It must outlast every way the same event
   * can come back: JetStream redelivery (seconds), a republish beyond the stream's 2-minute
   * duplicate window, and a replay of LLM_USAGE (kept 7 days) by a new durable. 8 days.
   */
  seenTtlMs: 8 * day,
  /** Hour buckets: 35 days. */
  hourTtlMs: 35 * day,
  /** Day buckets: 400 days. */
  dayTtlMs: 400 * day,
} as const;

/** Options of {@link createUsageApplier}. */
export interface UsageApplierOptions {
  /** `switchyard.redis.keyPrefix`. */
  keyPrefix: string;
  /** Overrides of {@link RetentionDefaults}. */
  retention?: Partial<typeof RetentionDefaults>;
}

/** What applying one event did. */
export type ApplyOutcome = 'applied' | 'duplicate';

/** Applies usage events to the aggregates in Redis, each exactly once. */
export interface UsageApplier {
  /**
   * Applies the events with one script call each, pipelined in one round trip. Resolves when
   * every script has returned (committed); rejects when Redis fails (then some events may
   * be applied: applying them again is a no-op).
   */
  apply(events: readonly UsageEvent[]): Promise<ApplyOutcome[]>;
}

const sha = createHash('sha1').update(applyUsageLua).digest('hex');

/** The script's KEYS and ARGV for one event. */
export function scriptCall(
  event: UsageEvent,
  keys: ReturnType<typeof meteringKeys>,
  retention: typeof RetentionDefaults,
): { keys: string[]; args: (string | number)[] } {
  const increments = aggregateIncrements(event);
  const callKeys = [keys.seen(event.id)];
  const members: (string | number)[] = [];
  const ttlSeconds = (ms: number) => Math.ceil(ms / 1000);
  const ttlOf: Record<BucketKind, number> = {
    h: ttlSeconds(retention.hourTtlMs),
    d: ttlSeconds(retention.dayTtlMs),
  };
  for (const kind of Object.keys(BucketSizes) as BucketKind[]) {
    const start = bucketStart(kind, event.at);
    for (const [scope, dim, value] of dimensionValues(event)) {
      callKeys.push(
        keys.aggregate(scope, dim, kind, start, value),
        keys.index(scope, dim, kind, start),
      );
      members.push(value, ttlOf[kind]);
    }
  }
  return {
    keys: callKeys,
    args: [ttlSeconds(retention.seenTtlMs), increments.length, ...increments.flat(), ...members],
  };
}

/** Creates the applier: one Lua script per event (see apply-usage.script.ts). */
export function createUsageApplier(redis: Redis, options: UsageApplierOptions): UsageApplier {
  const keys = meteringKeys(options.keyPrefix);
  const retention = { ...RetentionDefaults, ...options.retention };
  let loaded = false;
  return {
    async apply(events) {
      if (events.length === 0) return [];
      if (!loaded) {
        await redis.script('LOAD', applyUsageLua);
        loaded = true;
      }
      const pipeline = redis.pipeline();
      for (const event of events) {
        const call = scriptCall(event, keys, retention);
        pipeline.evalsha(sha, call.keys.length, ...call.keys, ...call.args);
      }
      const results = (await pipeline.exec()) ?? [];
      return results.map(([error, reply]) => {
        if (error) {
          if (error.message.startsWith('NOSCRIPT')) loaded = false;
          throw error;
        }
        return reply === 1 ? 'applied' : 'duplicate';
      });
    },
  };
}
