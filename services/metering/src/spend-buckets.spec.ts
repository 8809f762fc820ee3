import { describe, expect, it } from 'vitest';
import { spendBuckets } from './spend-buckets';

const hour = 3_600_000;
const day = 24 * hour;

describe('spendBuckets', () => {
  it('covers whole days with day buckets and the ends with hour buckets, each hour once', () => {
    const since = 10 * day + 22 * hour + 15 * 60_000;
    const until = 12 * day + 2 * hour + 1;
    const plan = spendBuckets(since, until);
    expect(plan.since).toBe(10 * day + 22 * hour);
    expect(plan.until).toBe(12 * day + 3 * hour);
    expect(plan.buckets).toEqual([
      { kind: 'h', start: 10 * day + 22 * hour },
      { kind: 'h', start: 10 * day + 23 * hour },
      { kind: 'd', start: 11 * day },
      { kind: 'h', start: 12 * day },
      { kind: 'h', start: 12 * day + hour },
      { kind: 'h', start: 12 * day + 2 * hour },
    ]);
    const covered = plan.buckets.reduce((sum, b) => sum + (b.kind === 'd' ? day : hour), 0);
    expect(covered).toBe(plan.until - plan.since);
  });

  it('reads a window inside one hour as that hour, and an empty window as none', () => {
    expect(spendBuckets(5 * hour + 1, 5 * hour + 2).buckets).toEqual([
      { kind: 'h', start: 5 * hour },
    ]);
    expect(spendBuckets(5 * hour, 5 * hour).buckets).toEqual([]);
  });
});
