import { BucketSizes, type BucketKind } from './aggregate-keys';

/** The buckets covering a window, and the window they cover exactly. */
export interface BucketPlan {
  since: number;
  until: number;
  buckets: { kind: BucketKind; start: number }[];
}

/** Buckets a query may read at most (a year of days plus the hours at either end). */
export const MAX_QUERY_BUCKETS = 366 + 2 * 24;

/**
 * The fewest buckets that cover [since, until) in whole hours: `since` rounded down and
 * `until` up to the hour, whole UTC days as day buckets, the hours at either end as hour
 * buckets. Every hour of the window is counted once.
 */
export function spendBuckets(since: number, until: number): BucketPlan {
  const { h, d } = BucketSizes;
  const from = Math.floor(since / h) * h;
  const to = Math.ceil(until / h) * h;
  const buckets: BucketPlan['buckets'] = [];
  let at = from;
  while (at < to) {
    if (at % d === 0 && at + d <= to) {
      buckets.push({ kind: 'd', start: at });
      at += d;
    } else {
      buckets.push({ kind: 'h', start: at });
      at += h;
    }
  }
  return { since: from, until: to, buckets };
}
