import { UserError } from '@switchyard/entrypoint';
import { describe, expect, it } from 'vitest';
import {
  durationOption,
  formatDuration,
  integerOption,
  listOption,
  positiveNumberOption,
} from './cli-values';
import { isoTime, textTable } from './text-table';

describe('command-line values', () => {
  it('reads whole numbers within bounds', () => {
    expect(integerOption('60', '--rpm')).toBe(60);
    expect(() => integerOption('0', '--rpm')).toThrow(UserError);
    expect(() => integerOption('1.5', '--rpm')).toThrow('--rpm must be a whole number from 1 to');
    expect(() => integerOption('abc', '--rpm')).toThrow(/got "abc"/);
    expect(() => integerOption('11', '--limit', { max: 10 })).toThrow(/from 1 to 10,/);
  });

  it('reads positive amounts', () => {
    expect(positiveNumberOption('12.50', '--max-budget')).toBe(12.5);
    expect(() => positiveNumberOption('0', '--max-budget')).toThrow(/above 0/);
    expect(() => positiveNumberOption('1e3', '--max-budget')).toThrow(/got "1e3"/);
  });

  it('reads durations and writes them back', () => {
    expect(durationOption('30d', '--budget-duration')).toBe(30 * 86_400_000);
    expect(durationOption('12h', 'x')).toBe(43_200_000);
    expect(durationOption('90s', 'x')).toBe(90_000);
    expect(durationOption('500ms', 'x')).toBe(500);
    expect(durationOption('1w', 'x')).toBe(604_800_000);
    expect(() => durationOption('30', 'x')).toThrow(/such as 30d/);
    expect(() => durationOption('0s', 'x')).toThrow(/such as 30d/);
    expect(formatDuration(30 * 86_400_000)).toBe('30d');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1_500)).toBe('1500ms');
  });

  it('reads comma lists', () => {
    expect(listOption(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(listOption('')).toEqual([]);
  });

  it('lays out tables and times', () => {
    expect(
      textTable(
        ['A', 'LONG'],
        [
          ['xyz', '1'],
          ['q', ''],
        ],
      ),
    ).toEqual(['A    LONG', 'xyz  1', 'q']);
    expect(isoTime(Date.UTC(2026, 0, 31, 12, 0, 0, 123))).toBe('2026-01-31T12:00:00Z');
  });
});
