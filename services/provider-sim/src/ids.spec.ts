import { describe, expect, it } from 'vitest';
import { uniqueId } from './ids';

describe('uniqueId', () => {
  it('has the prefix, the length and the alphabet asked for, and never repeats', () => {
    const ids = Array.from({ length: 5000 }, () => uniqueId('chatcmpl-', 29));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(/^chatcmpl-[0-9A-Za-z]{29}$/);
    expect(uniqueId('req_', 32, 'hex')).toMatch(/^req_[0-9a-f]{32}$/);
  });
});
