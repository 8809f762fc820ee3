import type { NatsConnection } from '@nats-io/nats-core';
import { createSubjects, tenantInboxPrefix } from '@switchyard/contracts';
import { closeNats, connectNats, discoverServices } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatService } from './chat-endpoint';
import {
  specMessages,
  startSpecGateway,
  startSpecServers,
  type SpecGateway,
} from './gateway-spec-setup.test-support';

const logger = createLogger({ name: 'nats-chat-spec', level: 'silent' });

describe('the chat endpoint of the switchyard NATS micro service (no workers)', () => {
  let servers: Awaited<ReturnType<typeof startSpecServers>>;
  let gw: SpecGateway;
  /** A connection whose inboxes are tenant `default`'s, as a tenant's must be. */
  let tenant: NatsConnection;

  beforeAll(async () => {
    servers = await startSpecServers();
    gw = await startSpecGateway(servers, { label: 'nats-chat' });
    tenant = await connectNats({
      servers: servers.nats.url,
      name: 'tenant-default',
      inboxPrefix: tenantInboxPrefix('default'),
      logger,
    });
  });
  afterAll(async () => {
    if (tenant !== undefined) await closeNats(tenant);
    await gw?.stop();
    await servers?.stop();
  });

  const stats = async () => {
    const [found] = await discoverServices(gw.nc, { name: ChatService.name, timeoutMs: 500 });
    return found;
  };

  it('answers a body over the limit with a 413 before reading it', async () => {
    const subject = createSubjects(gw.prefix).chat('default', 'alpha');
    const big = `{"messages":[{"role":"user","content":"${'x'.repeat(1_000_000)}"}]}`;
    const answer = await tenant.request(subject, big, { timeout: 5_000 });
    expect(answer.headers?.get('Nats-Service-Error-Code')).toBe('413');
    const body = answer.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('request_too_large');
    expect(answer.headers?.get('Nats-Service-Error')).toBe(body.error.message);
  });

  it('never answers a reply subject that is not an inbox of the subject’s tenant, nor a bad subject', async () => {
    const before = (await stats())?.stats?.endpoints?.find((e) => e.name === 'chat')?.data as {
      refused_replies: number;
    };
    const subject = createSubjects(gw.prefix).chat('acme', 'alpha');
    const body = JSON.stringify({ messages: specMessages });
    // `tenant` asks with `_INBOX.default.…` for tenant acme; gw.nc with a plain `_INBOX.…`.
    await expect(tenant.request(subject, body, { timeout: 500 })).rejects.toThrow(/timeout/i);
    await expect(gw.nc.request(subject, body, { timeout: 500 })).rejects.toThrow(/timeout/i);
    // A subject whose model token is not canonical names no model: nothing to answer for.
    const badSubject = `${gw.prefix}.chat.default.a~2d`;
    await expect(tenant.request(badSubject, body, { timeout: 500 })).rejects.toThrow(/timeout/i);
    const after = (await stats())?.stats?.endpoints?.find((e) => e.name === 'chat')?.data as {
      refused_replies: number;
    };
    expect(after.refused_replies - before.refused_replies).toBe(2);
  });

  it('shows in nats micro info and stats: the chat endpoint, its subject, queue group and counts', async () => {
    const found = await stats();
    expect(found?.info).toMatchObject({
      name: 'switchyard',
      metadata: { subject_root: gw.prefix },
    });
    expect(found?.info.endpoints).toContainEqual(
      expect.objectContaining({
        name: 'chat',
        subject: `${gw.prefix}.chat.*.*`,
        queue_group: 'switchyard',
      }),
    );
    const chat = found?.stats?.endpoints?.find((e) => e.name === 'chat');
    expect(chat?.num_requests).toBe(4);
    expect(chat?.data).toEqual({
      in_flight: 0,
      answered: 1,
      errors: 1,
      refused_replies: 2,
      bad_subjects: 1,
      by_status: { '413': 1 },
    });
  });

  it('answers 503 past the in-flight limit, and gateway_stopping to a request a stopping gateway aborts', async () => {
    const busy = await startSpecGateway(servers, { label: 'nats-chat-busy', maxInFlight: 1 });
    try {
      const subject = createSubjects(busy.prefix).chat('default', 'alpha');
      const body = JSON.stringify({ messages: specMessages });
      // No worker serves `alpha`: the first request waits for its answer, holding the one slot
      // (taken before the gateway reads the next message of the subscription).
      const waiting = tenant.request(subject, body, { timeout: 10_000 });
      const refused = await tenant.request(subject, body, { timeout: 5_000 });
      expect(refused.headers?.get('Nats-Service-Error-Code')).toBe('503');
      expect(refused.json<{ error: { code: string } }>().error.code).toBe(
        'too_many_requests_in_flight',
      );
      await busy.gateway.close(200);
      const aborted = await waiting;
      expect(aborted.headers?.get('Nats-Service-Error-Code')).toBe('503');
      expect(aborted.json<{ error: { code: string } }>().error.code).toBe('gateway_stopping');
    } finally {
      await busy.stop();
    }
  });
});
