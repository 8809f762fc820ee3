import { createHash } from 'node:crypto';
import type { UsageEvent } from '@switchyard/contracts';
import type { Redis } from 'ioredis';
import {
  bucketStart,
  BucketSizes,
  dimensionValues,
  meteringKeys,
  type BucketKind,
  type MeteringKeys,
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
   * Applies the events with one script call (one round trip). Resolves when it returned
   * (committed); rejects when Redis fails (the script may have run all the same: applying its
   * events again is a no-op).
   */
  apply(events: readonly UsageEvent[]): Promise<ApplyOutcome[]>;
}

const sha = createHash('sha1').update(applyUsageLua).digest('hex');

/**
 * The script's KEYS and ARGV for a batch (the layout is in apply-usage.script.ts): each
 * aggregate hash the events count under is named once, and each event lists its increments
 * and the numbers of its hashes.
 */
export function batchScriptCall(
  events: readonly UsageEvent[],
  keys: MeteringKeys,
  retention: typeof RetentionDefaults,
): { keys: string[]; args: (string | number)[] } {
  const ttlSeconds = (ms: number) => Math.ceil(ms / 1000);
  const ttlOf: Record<BucketKind, number> = {
    h: ttlSeconds(retention.hourTtlMs),
    d: ttlSeconds(retention.dayTtlMs),
  };
  const hashNumbers = new Map<string, number>();
  const hashKeys: string[] = [];
  const members: (string | number)[] = [];
  const perEvent: (string | number)[] = [];
  for (const event of events) {
    const increments = aggregateIncrements(event);
    perEvent.push(increments.length, ...increments.flat());
    const numbers: number[] = [];
    for (const kind of Object.keys(BucketSizes) as BucketKind[]) {
      const start = bucketStart(kind, event.at);
      for (const [scope, dim, value] of dimensionValues(event)) {
        const hash = keys.aggregate(scope, dim, kind, start, value);
        let number = hashNumbers.get(hash);
        if (number === undefined) {
          number = hashNumbers.size + 1;
          hashNumbers.set(hash, number);
          hashKeys.push(hash, keys.index(scope, dim, kind, start));
          members.push(value, ttlOf[kind]);
        }
        numbers.push(number);
      }
    }
    perEvent.push(numbers.length, ...numbers);
  }
  return {
    keys: [...events.map((event) => keys.seen(event.id)), ...hashKeys],
    args: [
      ttlSeconds(retention.seenTtlMs),
      events.length,
      hashNumbers.size,
      ...members,
      ...perEvent,
    ],
  };
}

/** Creates the applier: one Lua script per batch (see apply-usage.script.ts). */
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
      const call = batchScriptCall(events, keys, retention);
      let reply: unknown;
      try {
        reply = await redis.evalsha(sha, call.keys.length, ...call.keys, ...call.args);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) loaded = false;
        throw error;
      }
      if (!Array.isArray(reply) || reply.length !== events.length) {
        throw new Error(`the usage script answered ${JSON.stringify(reply)}`);
      }
      return reply.map((applied) => (applied === 1 ? 'applied' : 'duplicate'));
    },
  };
}
