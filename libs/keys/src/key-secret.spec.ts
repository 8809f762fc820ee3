import { keyIdSchema } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import {
  generateKeyId,
  generateSecret,
  hashSecret,
  isWellFormedSecret,
  secretHint,
} from './key-secret';

describe('key secrets and ids', () => {
  it('issues sk-sy- secrets of 43 base64url characters, all different', () => {
    const secrets = Array.from({ length: 200 }, generateSecret);
    for (const secret of secrets) {
      expect(secret).toMatch(/^sk-sy-[A-Za-z0-9_-]{43}$/);
      expect(isWellFormedSecret(secret)).toBe(true);
    }
    expect(new Set(secrets).size).toBe(secrets.length);
  });

  it('issues key ids valid as keyIdSchema ids', () => {
    for (let i = 0; i < 200; i++) {
      const id = generateKeyId();
      expect(id).toMatch(/^key_[A-Za-z0-9]{16}$/);
      expect(keyIdSchema.safeParse(id).success).toBe(true);
    }
  });

  it('tells malformed secrets apart without a lookup', () => {
    expect(isWellFormedSecret('')).toBe(false);
    expect(isWellFormedSecret('sk-sy-short')).toBe(false);
    expect(isWellFormedSecret(`sk-xx-${'a'.repeat(43)}`)).toBe(false);
    expect(isWellFormedSecret(`sk-sy-${'a'.repeat(42)}!`)).toBe(false);
  });

  it('hashes with sha256 hex and hints with 8 + 4 characters', () => {
    expect(hashSecret('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const secret = `sk-sy-${'A'.repeat(39)}wxyz`;
    expect(secretHint(secret)).toBe('sk-sy-AA…wxyz');
  });
});
