import { describe, expect, it } from 'vitest';
import { redisOptions } from './redis-connection';

describe('redisOptions', () => {
  it('gives every client the command timeout, one retry and a connect timeout', () => {
    expect(redisOptions({ commandTimeoutMs: 2_000 })).toEqual({
      commandTimeout: 2_000,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      lazyConnect: true,
    });
  });

  it('turns reconnecting off for one-shot clients', () => {
    const options = redisOptions({ commandTimeoutMs: 500 }, { reconnect: false });
    expect(options).toMatchObject({ commandTimeout: 500 });
    expect(options.retryStrategy?.(1)).toBeNull();
  });
});
