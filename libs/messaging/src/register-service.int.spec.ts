import type { NatsConnection } from '@nats-io/nats-core';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeNats, connectNats } from './connection';
import { discoverServices, registerService } from './register-service';

const logger = createLogger({ name: 'register-service-spec', level: 'silent' });

describe('registerService / discoverServices against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let other: NatsConnection;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'svc-a', logger });
    other = await connectNats({ servers: server.url, name: 'svc-b', logger });
  });
  afterAll(async () => {
    await Promise.all([nc && closeNats(nc), other && closeNats(other)]);
    await server?.stop();
  });

  it('answers $SRV.INFO and $SRV.STATS per replica with metadata and live stats', async () => {
    const name = uniquePrefix('svc').replace(/-/g, '_');
    let inFlight = 3;
    const a = await registerService(nc, {
      name,
      version: '0.1.0',
      description: 'test pool',
      metadata: { provider: 'openai' },
      stats: () => ({ inFlight }),
    });
    const b = await registerService(other, {
      name,
      version: '0.1.0',
      metadata: { provider: 'anthropic' },
      stats: () => ({ inFlight: 0 }),
    });
    const found = await discoverServices(nc, { name, timeoutMs: 500 });
    expect(found.map((s) => s.info.id).sort()).toEqual([a.id, b.id].sort());
    const first = found.find((s) => s.info.id === a.id);
    expect(first?.info).toMatchObject({ name, version: '0.1.0', description: 'test pool' });
    expect(first?.info.metadata).toMatchObject({ provider: 'openai' });
    expect(first?.status).toEqual({ inFlight: 3 });

    inFlight = 7;
    const reply = await nc.request(`$SY.${name}.${a.id}.status`, '', { timeout: 1_000 });
    expect(reply.json()).toEqual({ inFlight: 7 });

    await a.stop();
    const after = await discoverServices(nc, { name, timeoutMs: 500 });
    expect(after.map((s) => s.info.id)).toEqual([b.id]);
    await b.stop();
    expect(await discoverServices(nc, { name, timeoutMs: 300 })).toEqual([]);
  });

  it('answers an endpoint in a queue group, with its own stats data beside status', async () => {
    const name = uniquePrefix('svc').replace(/-/g, '_');
    const subject = `${name}.echo.*`;
    const served: string[] = [];
    const register = (conn: NatsConnection, replica: string) =>
      registerService(conn, {
        name,
        version: '0.1.0',
        stats: () => ({ replica }),
        endpoints: [
          {
            name: 'echo',
            subject,
            queue: name,
            handler: (msg) => {
              served.push(replica);
              msg.respond(`${replica}:${msg.subject}`);
            },
            stats: () => ({ echoed: served.filter((r) => r === replica).length }),
          },
        ],
      });
    const [a, b] = await Promise.all([register(nc, 'a'), register(other, 'b')]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => nc.request(`${name}.echo.${i}`, '', { timeout: 1_000 })),
    );
    expect(served).toHaveLength(20);
    expect(answers.map((m) => m.string().split(':')[1])).toEqual(
      Array.from({ length: 20 }, (_, i) => `${name}.echo.${i}`),
    );
    const found = await discoverServices(nc, { name, timeoutMs: 500 });
    for (const replica of found) {
      const echo = replica.stats?.endpoints?.find((e) => e.name === 'echo');
      const own = served.filter((r) => r === (replica.info.id === a.id ? 'a' : 'b')).length;
      expect(echo).toMatchObject({ subject, queue_group: name, num_requests: own });
      expect(echo?.data).toEqual({ echoed: own });
      expect(replica.status).toEqual({ replica: replica.info.id === a.id ? 'a' : 'b' });
      expect(replica.info.endpoints.map((e) => e.name).sort()).toEqual(['echo', 'status']);
    }
    await Promise.all([a.stop(), b.stop()]);
  });
});
