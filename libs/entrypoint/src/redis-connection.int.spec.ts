import { startTestRedis, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from './redis-connection';

describe('connectRedis against a real redis-server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestRedis();
  });
  afterAll(() => server?.stop());

  it('fails a command the server does not answer within the command timeout', async () => {
    const redis = await connectRedis(server.url, { commandTimeoutMs: 200 });
    const admin = await connectRedis(server.url, { commandTimeoutMs: 2_000 });
    try {
      expect(await redis.ping()).toBe('PONG');
      // The server stops answering every client for 3 s, as a black-holed Redis would: without
      // the timeout the GET would wait the 3 s out and then succeed.
      await admin.call('CLIENT', 'PAUSE', '3000', 'ALL');
      await expect(redis.get('anything')).rejects.toThrow(/Command timed out/);
    } finally {
      redis.disconnect();
      admin.disconnect();
    }
  });

  it('rejects, and leaves nothing open, when no Redis answers at the URL', async () => {
    await expect(
      connectRedis('redis://127.0.0.1:9', { commandTimeoutMs: 200 }, { reconnect: false }),
    ).rejects.toThrow();
  });
});
