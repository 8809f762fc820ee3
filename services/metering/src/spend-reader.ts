import {
  makeError,
  resolveSpendTime,
  type SpendQuery,
  type SpendReply,
  type SpendRow,
} from '@switchyard/contracts';
import type { Redis } from 'ioredis';
import { ALL_TENANTS, meteringKeys } from './aggregate-keys';
import { AggregateFields as F } from './aggregate-fields';
import { MAX_QUERY_BUCKETS, spendBuckets } from './spend-buckets';

type Totals = Map<string, bigint>;

const PICOS_PER_USD = 1_000_000_000_000n;

function picosToUsd(picos: bigint): number {
  return Number(picos / PICOS_PER_USD) + Number(picos % PICOS_PER_USD) / 1e12;
}

function rowOf(key: string, totals: Totals): SpendRow {
  const int = (field: string) => Number(totals.get(field) ?? 0n);
  const errorsByType: Record<string, number> = {};
  for (const [field, value] of totals) {
    if (field.startsWith('error:')) errorsByType[field.slice('error:'.length)] = Number(value);
  }
  const cost = totals.get(F.costPicos) ?? 0n;
  const saved = totals.get(F.costSavedPicos) ?? 0n;
  return {
    key,
    requests: int(F.requests),
    errors: int(F.errors),
    errors_by_type: errorsByType,
    cache_hits: int(F.cacheHits),
    prompt_tokens: int(F.promptTokens),
    completion_tokens: int(F.completionTokens),
    cached_tokens: int(F.cachedTokens),
    reasoning_tokens: int(F.reasoningTokens),
    cost_usd: picosToUsd(cost),
    cost_picos: cost.toString(),
    cost_saved_usd: picosToUsd(saved),
    cost_saved_picos: saved.toString(),
    unknown_cost_requests: int(F.unknownCost),
  };
}

/**
 * Answers a validated spend query from the aggregates: the hour and day buckets covering the
 * window (see spendBuckets), every value of the dimension found in them, summed exactly
 * (BigInt), as rows by descending cost then key. A window that is empty or longer than
 * MAX_QUERY_BUCKETS buckets is a `bad_request` reply.
 */
export async function readSpend(
  redis: Redis,
  keyPrefix: string,
  query: SpendQuery,
  now: number,
): Promise<SpendReply> {
  const since = resolveSpendTime(query.since, now);
  const until = query.until === undefined ? now : resolveSpendTime(query.until, now);
  if (until <= since) {
    return refuse(
      `until (${new Date(until).toISOString()}) is not after since (${new Date(since).toISOString()})`,
    );
  }
  const plan = spendBuckets(since, until);
  if (plan.buckets.length > MAX_QUERY_BUCKETS) {
    return refuse(`the window is too long: at most about a year can be queried at once`);
  }
  const keys = meteringKeys(keyPrefix);
  const scope = query.tenant ?? ALL_TENANTS;
  const indexes = redis.pipeline();
  for (const { kind, start } of plan.buckets)
    indexes.smembers(keys.index(scope, query.by, kind, start));
  const members = ((await indexes.exec()) ?? []).map(([error, value]) => {
    if (error) throw error;
    return value as string[];
  });
  const reads = redis.pipeline();
  const order: string[] = [];
  plan.buckets.forEach(({ kind, start }, i) => {
    for (const value of members[i] ?? []) {
      reads.hgetall(keys.aggregate(scope, query.by, kind, start, value));
      order.push(value);
    }
  });
  const hashes = order.length === 0 ? [] : ((await reads.exec()) ?? []);
  const byValue = new Map<string, Totals>();
  hashes.forEach(([error, hash], i) => {
    if (error) throw error;
    const value = order[i] as string;
    const totals = byValue.get(value) ?? new Map<string, bigint>();
    for (const [field, count] of Object.entries(hash as Record<string, string>)) {
      totals.set(field, (totals.get(field) ?? 0n) + BigInt(count));
    }
    byValue.set(value, totals);
  });
  const rows = [...byValue]
    .map(([value, totals]) => rowOf(value, totals))
    .sort((a, b) => {
      const diff = BigInt(b.cost_picos) - BigInt(a.cost_picos);
      return diff === 0n ? a.key.localeCompare(b.key) : diff > 0n ? 1 : -1;
    });
  return {
    ok: true,
    by: query.by,
    ...(query.tenant === undefined ? {} : { tenant: query.tenant }),
    since: plan.since,
    until: plan.until,
    rows,
  };
}

function refuse(message: string): SpendReply {
  return { ok: false, error: makeError('bad_request', 'invalid_spend_query', message) };
}
