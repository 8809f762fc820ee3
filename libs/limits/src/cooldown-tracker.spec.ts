import type { Redis } from 'ioredis';
import { countsTowardsCooldown, errorTypeNames, isRetryable } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { createCooldownTracker } from './cooldown-tracker';

const unusedRedis = {} as Redis;

describe('countsTowardsCooldown', () => {
  it('counts every retryable failure and the deployment-level permanent ones', () => {
    const counted = errorTypeNames.filter(countsTowardsCooldown);
    expect(counted).toEqual([
      'rate_limit',
      'overloaded',
      'server',
      'timeout',
      'connection',
      'auth',
      'not_found',
    ]);
    for (const type of errorTypeNames.filter(isRetryable)) {
      expect(countsTowardsCooldown(type)).toBe(true);
    }
    expect(countsTowardsCooldown('auth')).toBe(true);
    expect(countsTowardsCooldown('not_found')).toBe(true);
    expect(countsTowardsCooldown('budget_exceeded')).toBe(false);
    expect(countsTowardsCooldown('context_window_exceeded')).toBe(false);
  });
});

describe('createCooldownTracker options', () => {
  it.each([
    { allowedFails: -1, cooldownMs: 1_000 },
    { allowedFails: 1.5, cooldownMs: 1_000 },
    { allowedFails: 1, cooldownMs: -1 },
    { allowedFails: 1, cooldownMs: 1_000, windowMs: 0 },
  ])('rejects %o', (options) => {
    expect(() => createCooldownTracker(unusedRedis, { keyPrefix: 'sy:', ...options })).toThrow(
      RangeError,
    );
  });
});
