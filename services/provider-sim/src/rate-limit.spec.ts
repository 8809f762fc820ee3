import { describe, expect, it } from 'vitest';
import { DeploymentLimiter, TokenBucket, goDuration, rfc3339 } from './rate-limit';

describe('goDuration', () => {
  it.each([
    [0, '0ms'],
    [20, '20ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [360_000, '6m0s'],
    [90_250, '1m30.25s'],
    [3_723_000, '1h2m3s'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(goDuration(ms)).toBe(text);
  });
});

describe('rfc3339', () => {
  it('writes whole seconds in UTC, rounding up', () => {
    expect(rfc3339(Date.UTC(2025, 7, 21, 12, 40, 59, 1))).toBe('2025-08-21T12:41:00Z');
    expect(rfc3339(Date.UTC(2025, 7, 21, 12, 40, 59))).toBe('2025-08-21T12:40:59Z');
  });
});

describe('TokenBucket', () => {
  it('refills continuously over a minute', () => {
    const bucket = new TokenBucket(60, 0);
    expect(bucket.take(60, 0)).toBe(true);
    expect(bucket.take(1, 0)).toBe(false);
    expect(bucket.msUntil(1, 0)).toBe(1000);
    expect(bucket.remaining(30_000)).toBe(30);
    expect(bucket.msUntilFull(30_000)).toBe(30_000);
  });
});

describe('DeploymentLimiter', () => {
  it('enforces configured requests per minute with the wait until the next one', () => {
    const limiter = new DeploymentLimiter({ rpm: 2 }, 0);
    expect(limiter.admit(10, 0)).toEqual({ ok: true });
    expect(limiter.admit(10, 0)).toEqual({ ok: true });
    expect(limiter.admit(10, 0)).toEqual({
      ok: false,
      scope: 'requests',
      retryAfterMs: 30_000,
      requested: 1,
    });
    expect(limiter.admit(10, 30_000)).toEqual({ ok: true });
  });

  it('enforces tokens per minute', () => {
    const limiter = new DeploymentLimiter({ tpm: 100 }, 0);
    expect(limiter.admit(80, 0).ok).toBe(true);
    expect(limiter.admit(30, 0)).toMatchObject({ ok: false, scope: 'tokens', requested: 30 });
  });

  it('only reports nominal limits when none are configured', () => {
    const limiter = new DeploymentLimiter(undefined, 0);
    for (let i = 0; i < 20_000; i++) expect(limiter.admit(1000, 0).ok).toBe(true);
    expect(limiter.snapshot(0)).toMatchObject({ limitRequests: 10_000, remainingRequests: 0 });
  });
});
