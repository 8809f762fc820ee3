import type { SpendDimension, UsageEvent } from '@switchyard/contracts';

/** Aggregation buckets: an hour or a UTC day, named by their start in epoch ms. */
export const BucketSizes = { h: 3_600_000, d: 86_400_000 } as const;
export type BucketKind = keyof typeof BucketSizes;

/** The value a dimension takes when the event has none (no virtual key, no tags). */
export const NONE = '(none)';

/** The scope of the aggregates of every tenant together; a tenant's own scope is its id. */
export const ALL_TENANTS = '*';

/** The start of the bucket holding `at`. */
export function bucketStart(kind: BucketKind, at: number): number {
  return Math.floor(at / BucketSizes[kind]) * BucketSizes[kind];
}

/** Where metering keeps its state in Redis, under the installation's key prefix. */
export function meteringKeys(keyPrefix: string) {
  const base = `${keyPrefix}meter:`;
  return {
    /**
     * The marker of metering's state in this Redis (a hash: the stream and consumer it was
     * built from, and `status` ready or rebuilding); its absence means the state was lost or
     * never built.
     */
    state: `${base}state`,
    /** Held by the one replica rebuilding the state (SET NX PX, renewed while it runs). */
    rebuildLock: `${base}rebuild-lock`,
    /** Marks an event id as applied (SET NX with a TTL). */
    seen: (eventId: string) => `${base}seen:${eventId}`,
    /** The aggregate hash of one dimension value in one bucket of one scope. */
    aggregate: (
      scope: string,
      dim: SpendDimension,
      kind: BucketKind,
      start: number,
      value: string,
    ) => `${base}agg:${scope}:${dim}:${kind}:${start}:${value}`,
    /** The set of dimension values that have an aggregate in one bucket of one scope. */
    index: (scope: string, dim: SpendDimension, kind: BucketKind, start: number) =>
      `${base}idx:${scope}:${dim}:${kind}:${start}`,
  };
}
export type MeteringKeys = ReturnType<typeof meteringKeys>;

/**
 * The (scope, dimension, value) triples one event is counted under: every dimension across
 * all tenants, and every dimension but the tenant within its own tenant's scope. An event
 * with several tags counts once under each.
 */
export function dimensionValues(event: UsageEvent): [string, SpendDimension, string][] {
  const own: [SpendDimension, string][] = [
    ['model', event.model],
    ['key', event.key_id ?? NONE],
    ['deployment', event.deployment],
    ['provider', event.provider],
    ...(event.tags.length === 0 ? [NONE] : [...new Set(event.tags)]).map(
      (tag): [SpendDimension, string] => ['tag', tag],
    ),
  ];
  return [
    [ALL_TENANTS, 'tenant', event.tenant],
    ...own.map(([dim, value]): [string, SpendDimension, string] => [ALL_TENANTS, dim, value]),
    ...own.map(([dim, value]): [string, SpendDimension, string] => [event.tenant, dim, value]),
  ];
}
