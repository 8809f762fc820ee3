import { describe, expect, it } from 'vitest';
import { isAtLeast, parseServerVersion, ServerFeatures } from './server-version';

describe('server versions', () => {
  it('reads release, pre-release and v-prefixed versions', () => {
    expect(parseServerVersion('2.9.10')).toEqual([2, 9, 10]);
    expect(parseServerVersion('2.11.0-RC.1')).toEqual([2, 11, 0]);
    expect(parseServerVersion('v2.10.22')).toEqual([2, 10, 22]);
    expect(parseServerVersion('nightly')).toBeNull();
  });

  it('compares numerically, not as text', () => {
    expect(isAtLeast([2, 10, 0], [2, 9, 10])).toBe(true);
    expect(isAtLeast([2, 9, 10], [2, 10, 0])).toBe(false);
    expect(isAtLeast([2, 10, 0], [2, 10, 0])).toBe(true);
    expect(isAtLeast([3, 0, 0], [2, 11, 5])).toBe(true);
  });

  it('keeps every optional feature off for nats-server 2.9', () => {
    for (const minimum of Object.values(ServerFeatures)) {
      expect(isAtLeast([2, 9, 10], minimum)).toBe(false);
    }
  });
});
