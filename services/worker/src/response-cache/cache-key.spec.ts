import type { ChatJob } from '@switchyard/contracts';
import { describe, expect, it } from 'vitest';
import { cacheKeyFor } from './cache-key';
import { canonicalJson } from './canonical-json';

const job = (overrides: Partial<ChatJob> = {}): ChatJob => ({
  v: 1,
  id: 'job-1',
  tenant: 'acme',
  model: 'fast-triage-model',
  request: { messages: [{ role: 'user', content: 'hi' }], temperature: 0 },
  submitted_at: 1,
  route: [],
  ...overrides,
});

describe('canonicalJson', () => {
  it('gives the same text whatever the key order, at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { e: 3, f: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: undefined, b: [undefined] })).toBe('{"b":[null]}');
  });
});

describe('cacheKeyFor', () => {
  const key = (j: ChatJob) => cacheKeyFor(j, 'sy:', 'ns');

  it('is the same for requests that differ only in how the answer is delivered or in job fields', () => {
    const base = key(job());
    expect(key(job({ id: 'job-2', submitted_at: 5, tags: ['x'] }))).toBe(base);
    expect(
      key(
        job({
          request: { ...job().request, stream: true, stream_options: { include_usage: true } },
        }),
      ),
    ).toBe(base);
    expect(base).toMatch(/^sy:cache:ns:acme:[0-9a-f]{64}$/);
  });

  it('differs by tenant, logical model and anything in the request that shapes the answer', () => {
    const base = key(job());
    expect(key(job({ tenant: 'other' }))).not.toBe(base);
    expect(key(job({ model: 'creative-writer-model' }))).not.toBe(base);
    expect(key(job({ request: { ...job().request, temperature: 1 } }))).not.toBe(base);
    expect(key(job({ request: { messages: [{ role: 'user', content: 'hi!' }] } }))).not.toBe(base);
  });
});
