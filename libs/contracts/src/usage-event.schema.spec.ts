import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIssues } from './issues';
import { newCallId, usageEventId, usageEventSchema } from './usage-event.schema';
import { validUsageEvent } from './wire-fixtures';

function problems(value: unknown): string {
  const parsed = usageEventSchema.safeParse(value, { reportInput: true });
  return parsed.success ? 'ok' : formatIssues(parsed.error.issues);
}

describe('usageEventSchema', () => {
  it('parses a successful call', () => {
    expect(usageEventSchema.parse(validUsageEvent())).toEqual(validUsageEvent());
  });

  it('defaults tags to none', () => {
    expect(usageEventSchema.parse({ ...validUsageEvent(), tags: undefined }).tags).toEqual([]);
  });

  it('parses a failed call that spent tokens and a cache hit that saved money', () => {
    const failed = { ...validUsageEvent(), status: 'error', error_type: 'content_policy' };
    const hit = { ...validUsageEvent(), status: 'cache_hit', cost_usd: 0, cost_saved_usd: 0.0025 };
    expect(problems(failed)).toBe('ok');
    expect(problems(hit)).toBe('ok');
  });

  it('accepts an unknown price as null', () => {
    expect(problems({ ...validUsageEvent(), cost_usd: null })).toBe('ok');
  });

  it.each([
    [{ status: 'error' }, 'error_type: an error event needs error_type'],
    [{ error_type: 'server' }, 'error_type: a success event has no error_type'],
    [{ status: 'cache_hit', cost_usd: 0.01 }, 'cost_usd: a cache hit costs 0'],
    [{ cost_saved_usd: 0.5 }, 'cost_saved_usd: only a cache hit saves cost'],
    [{ completion_tokens: 1.5 }, 'completion_tokens: Invalid input: expected int'],
    [{ cached_tokens: -1 }, 'cached_tokens: Too small'],
    [{ attempt: 0 }, 'attempt: Too small'],
    [{ fallback_depth: -1 }, 'fallback_depth: Too small'],
    [{ status: 'ok' }, 'status: Invalid option: expected one of "success"|"error"|"cache_hit"'],
    [{ tenant: 'a.b' }, 'tenant: must be 1 to 64 characters'],
    [{ v: 0 }, 'v: unsupported contract version 0'],
  ])('rejects %j', (patch, message) => {
    expect(problems({ ...validUsageEvent(), ...patch })).toContain(message);
  });
});

describe('usageEventId', () => {
  it('is <tenant>.<job_id>:<fallback_depth>:<attempt>:<call_id>', () => {
    const id = usageEventId({
      tenant: 'acme',
      job_id: 'batch-7:msg-0001',
      fallback_depth: 1,
      attempt: 2,
      call_id: '00ff00ff00ff00ff',
    });
    expect(id).toBe('acme.batch-7:msg-0001:1:2:00ff00ff00ff00ff');
  });

  it('gives every call a call id of its own', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newCallId()));
    expect(ids.size).toBe(10_000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });

  it('never gives two distinct calls the same id, even when job ids contain colons and dots', () => {
    const call = fc.record({
      tenant: fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/),
      job_id: fc.stringMatching(/^[A-Za-z0-9_\-:.]{1,12}$/),
      fallback_depth: fc.nat(3),
      attempt: fc.integer({ min: 1, max: 3 }),
      call_id: fc.stringMatching(/^[0-9a-f]{16}$/),
    });
    fc.assert(
      fc.property(call, call, (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(usageEventId(a)).not.toBe(usageEventId(b));
      }),
      { numRuns: 3000 },
    );
  });
});
