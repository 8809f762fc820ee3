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
  it('round-trips a record and adds revokedAt from its own hash', () => {
    const json = encodeStoredKey({ ...key, revokedAt: 1 });
    expect(JSON.parse(json)).not.toHaveProperty('revokedAt');
    expect(decodeStoredKey(json)).toEqual(key);
    expect(decodeStoredKey(json, '1800000000500')).toEqual({
      ...key,
      revokedAt: 1_800_000_000_500,
    });
  });

  it('treats garbage as no key', () => {
    expect(decodeStoredKey(null)).toBeUndefined();
    expect(decodeStoredKey('{not json')).toBeUndefined();
    expect(decodeStoredKey('{"id":"key_x"}')).toBeUndefined();
    expect(decodeStoredKey('"a string"')).toBeUndefined();
  });
});
