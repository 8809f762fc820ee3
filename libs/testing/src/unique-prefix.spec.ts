import { describe, expect, it } from 'vitest';
import { uniquePrefix } from './unique-prefix';

describe('uniquePrefix', () => {
  it('starts with T_ and the label, and holds only stream-name and subject-token characters', () => {
    const prefix = uniquePrefix('dedup');
    expect(prefix).toMatch(/^T_dedup_[0-9a-f]{10}$/);
  });

  it('replaces characters that NATS names or subjects do not allow', () => {
    const prefix = uniquePrefix('llm.jobs > tenant/*');
    expect(prefix).toMatch(/^T_llm_jobs_tenant_[0-9a-f]{10}$/);
  });

  it('uses a fallback label when nothing usable is left, and caps its length', () => {
    expect(uniquePrefix('...')).toMatch(/^T_test_[0-9a-f]{10}$/);
    expect(uniquePrefix('x'.repeat(100)).length).toBeLessThanOrEqual(2 + 24 + 1 + 10);
  });

  it('differs on every call', () => {
    const prefixes = new Set(Array.from({ length: 1000 }, () => uniquePrefix('same')));
    expect(prefixes.size).toBe(1000);
  });
});
