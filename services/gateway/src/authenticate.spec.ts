import { describe, expect, it } from 'vitest';
import { presentedKey } from './authenticate';

describe('presentedKey', () => {
  it('reads Authorization: Bearer, then api-key, then x-api-key', () => {
    expect(presentedKey({ authorization: 'Bearer sk-1' })).toBe('sk-1');
    expect(presentedKey({ authorization: 'bearer   sk-2 ' })).toBe('sk-2');
    expect(presentedKey({ 'api-key': 'sk-3' })).toBe('sk-3');
    expect(presentedKey({ 'x-api-key': 'sk-4' })).toBe('sk-4');
    expect(presentedKey({ authorization: 'Bearer sk-1', 'x-api-key': 'sk-4' })).toBe('sk-1');
  });

  it('finds no key in empty or other schemes', () => {
    expect(presentedKey({})).toBeUndefined();
    expect(presentedKey({ authorization: 'Bearer ' })).toBeUndefined();
    expect(presentedKey({ authorization: 'Basic dXNlcjpwdw==' })).toBeUndefined();
    expect(presentedKey({ 'x-api-key': '  ' })).toBeUndefined();
  });
});
