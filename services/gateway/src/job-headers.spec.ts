import { describe, expect, it } from 'vitest';
import { GatewayError } from './gateway-error';
import { readJobHeaders } from './job-headers';

function refusal(headers: Record<string, string>): GatewayError {
  try {
    readJobHeaders(headers);
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('readJobHeaders', () => {
  it('reads nothing from a request without Switchyard headers', () => {
    expect(readJobHeaders({ 'content-type': 'application/json' })).toEqual({});
  });

  it('reads tags, the relative deadline and the cache controls', () => {
    expect(
      readJobHeaders({
        'x-switchyard-tags': ' team:search , pipeline-7,,',
        'x-switchyard-deadline-ms': '2500',
        'cache-control': 'No-Cache, no-store',
        'x-switchyard-cache-ttl': '600',
      }),
    ).toEqual({
      tags: ['team:search', 'pipeline-7'],
      deadlineMs: 2500,
      cache: { no_cache: true, no_store: true, ttl: 600 },
    });
    expect(readJobHeaders({ 'cache-control': 'max-age=0' })).toEqual({});
    expect(readJobHeaders({ 'cache-control': 'no-store' })).toEqual({ cache: { no_store: true } });
    expect(readJobHeaders({ 'x-switchyard-tags': ' , ' })).toEqual({});
  });

  it('joins a repeated header', () => {
    expect(readJobHeaders({ 'x-switchyard-tags': ['a', 'b'] })).toEqual({
      tags: ['a', 'b'],
    });
  });

  it.each([
    ['x-switchyard-deadline-ms', '0'],
    ['x-switchyard-deadline-ms', '-5'],
    ['x-switchyard-deadline-ms', '1.5'],
    ['x-switchyard-deadline-ms', 'soon'],
    ['x-switchyard-deadline-ms', '86400001'],
    ['x-switchyard-cache-ttl', 'forever'],
    ['x-switchyard-tags', 'x'.repeat(65)],
    ['x-switchyard-tags', Array.from({ length: 33 }, (_, i) => `t${i}`).join(',')],
  ])('refuses %s: %s with a 400 naming the header', (name, value) => {
    const error = refusal({ [name]: value });
    expect(error.status).toBe(400);
    expect(error.param).toBe(name);
    expect(error.message).toContain(name);
  });
});
