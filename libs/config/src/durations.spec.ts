import { describe, expect, it } from 'vitest';
import { parseBudgetDuration, secondsToMs } from './durations';

describe('parseBudgetDuration', () => {
  it.each([
    ['30s', 30_000],
    ['45', 45_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
    ['1mo', 2_592_000_000],
    [' 3d ', 259_200_000],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseBudgetDuration(text)).toBe(ms);
  });

  it.each(['', '0d', '1y', '1.5h', 'h', '-1d', '1 d', '10mos'])('rejects %j', (text) => {
    expect(parseBudgetDuration(text)).toBeUndefined();
  });
});

describe('secondsToMs', () => {
  it('rounds fractional seconds to whole milliseconds', () => {
    expect(secondsToMs(0.0015)).toBe(2);
    expect(secondsToMs(45.5)).toBe(45_500);
  });
});
