import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze';

describe('deepFreeze', () => {
  it('freezes nested objects, arrays and null-prototype records', () => {
    const record = Object.create(null) as Record<string, { n: number }>;
    record['a'] = { n: 1 };
    const value = deepFreeze({ list: [{ x: 1 }], record });
    expect(Object.isFrozen(value.list[0])).toBe(true);
    expect(Object.isFrozen(value.record['a'])).toBe(true);
    expect(() => {
      (value.list as unknown[]).push(2);
    }).toThrow(TypeError);
  });

  it('leaves primitives alone', () => {
    expect(deepFreeze(3)).toBe(3);
    expect(deepFreeze(null)).toBeNull();
  });
});
