import { describe, expect, it } from 'vitest';
import { parseDurationMs, retryAfterMs } from './retry-after';

const now = Date.parse('2025-03-01T12:00:00Z');

describe('parseDurationMs', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['30s', 30_000],
    ['0.5s', 500],
    ['30.123456789s', 30_123.456789],
    ['0s', 0],
    ['1m30.5s', 90_500],
    ['250us', 0.25],
    ['  2s ', 2000],
  ])('reads %s as %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBeCloseTo(ms, 6);
  });

  it.each(['', '12', 's', '1x', '1s2', '-1s', 'soon', '1 s'])('refuses %j', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});

describe('retryAfterMs', () => {
  it('reads Retry-After as seconds', () => {
    expect(retryAfterMs({ 'retry-after': '20' }, now)).toBe(20_000);
    expect(retryAfterMs({ 'retry-after': '1.5' }, now)).toBe(1500);
  });

  it('reads Retry-After as an HTTP date, counted from now', () => {
    expect(retryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 12:00:30 GMT' }, now)).toBe(30_000);
  });

  it('never returns a negative delay for a date in the past', () => {
    expect(retryAfterMs({ 'retry-after': 'Sat, 01 Mar 2025 11:00:00 GMT' }, now)).toBe(0);
  });

  it('prefers retry-after-ms over Retry-After', () => {
    expect(retryAfterMs({ 'retry-after-ms': '1234', 'retry-after': '20' }, now)).toBe(1234);
  });

  it('ignores garbage and negative values and falls through to the next header', () => {
    expect(retryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '3' }, now)).toBe(3000);
    expect(retryAfterMs({ 'retry-after': '-5' }, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'whenever' }, now)).toBeUndefined();
  });

  it('uses the exhausted OpenAI window (x-ratelimit-remaining-* = 0)', () => {
    const headers = {
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '499',
      'x-ratelimit-reset-requests': '120ms',
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '6m0s',
    };
    expect(retryAfterMs(headers, now)).toBe(360_000);
  });

  it('takes the later reset when both OpenAI windows are exhausted', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '20ms',
    };
    expect(retryAfterMs(headers, now)).toBe(1000);
  });

  it('takes the earliest OpenAI reset when nothing says which window is spent', () => {
    const headers = { 'x-ratelimit-reset-requests': '1s', 'x-ratelimit-reset-tokens': '6m0s' };
    expect(retryAfterMs(headers, now)).toBe(1000);
  });

  it('says nothing when the OpenAI windows all have room left', () => {
    const headers = {
      'x-ratelimit-remaining-requests': '10',
      'x-ratelimit-reset-requests': '1s',
      'x-ratelimit-remaining-tokens': '500',
      'x-ratelimit-reset-tokens': '2s',
    };
    expect(retryAfterMs(headers, now)).toBeUndefined();
  });

  it('reads Anthropic reset times (RFC 3339) of the exhausted window', () => {
    const headers = {
      'anthropic-ratelimit-requests-remaining': '12',
      'anthropic-ratelimit-requests-reset': '2025-03-01T12:00:05Z',
      'anthropic-ratelimit-input-tokens-remaining': '0',
      'anthropic-ratelimit-input-tokens-reset': '2025-03-01T12:00:42Z',
      'anthropic-ratelimit-output-tokens-remaining': '8000',
      'anthropic-ratelimit-output-tokens-reset': '2025-03-01T12:00:01Z',
    };
    expect(retryAfterMs(headers, now)).toBe(42_000);
  });

  it('reads the Anthropic tokens-reset window and fractional seconds', () => {
    const headers = {
      'anthropic-ratelimit-tokens-remaining': '0',
      'anthropic-ratelimit-tokens-reset': '2025-03-01T12:00:01.500Z',
    };
    expect(retryAfterMs(headers, now)).toBe(1500);
  });

  it('lets Anthropic retry-after win over its reset headers', () => {
    const headers = {
      'retry-after': '7',
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2025-03-01T12:01:00Z',
    };
    expect(retryAfterMs(headers, now)).toBe(7000);
  });

  it('returns undefined when there is nothing to go on', () => {
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'content-type': 'application/json' }, now)).toBeUndefined();
  });
});
