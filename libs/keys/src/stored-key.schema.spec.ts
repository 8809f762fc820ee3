import { describe, expect, it } from 'vitest';
import { decodeStoredKey, encodeStoredKey } from './stored-key.schema';
import type { VirtualKey } from './virtual-key.types';

const key: VirtualKey = {
  id: 'key_abcdefghijklmnop',
  alias: 'search',
  tenant: 'acme',
  models: ['m'],
  rpm: 5,
  createdAt: 1_800_000_000_000,
  hint: 'sk-sy-ab…wxyz',
};

describe('stored key records', () => {
  it('round-trips a live and a revoked record', () => {
    expect(decodeStoredKey(encodeStoredKey(key))).toEqual(key);
    const revoked = { ...key, revokedAt: 1_800_000_000_500 };
    expect(decodeStoredKey(encodeStoredKey(revoked))).toEqual(revoked);
  });

  it('treats garbage as no key', () => {
    expect(decodeStoredKey(null)).toBeUndefined();
    expect(decodeStoredKey('{not json')).toBeUndefined();
    expect(decodeStoredKey('{"id":"key_x"}')).toBeUndefined();
    expect(decodeStoredKey('"a string"')).toBeUndefined();
    expect(
      decodeStoredKey(encodeStoredKey({ ...key, revokedAt: 'soon' as unknown as number })),
    ).toBeUndefined();
  });
});
