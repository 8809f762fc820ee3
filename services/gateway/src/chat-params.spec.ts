import { describe, expect, it } from 'vitest';
import { clientCall } from './chat-params';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('clientCall', () => {
  it("merges the body's cache controls with the headers', the headers winning", () => {
    const call = clientCall(
      {
        model: 'fast',
        request: { messages },
        cache: { use_cache: true, no_store: true, ttl: 60 },
      },
      { cache: { no_store: false, ttl: 600 } },
      { tenant: 'default' },
      0,
    );
    expect(call.params.switchyard?.cache).toEqual({ use_cache: true, no_store: false, ttl: 600 });
    const none = clientCall({ model: 'fast', request: { messages } }, {}, { tenant: 'default' }, 0);
    expect(none.params.switchyard).toEqual({});
  });
});
