import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { createSubjects, streamNames, tenantInboxPrefix } from '@switchyard/contracts';
import { closeNats, connectNats, discoverServices } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardService } from './switchyard-service';
import {
  specMessages,
  startSpecGateway,
  startSpecServers,
  type SpecGateway,
} from './gateway-spec-setup.test-support';

const logger = createLogger({ name: 'nats-chat-spec', level: 'silent' });

describe('the chat and embeddings endpoints of the switchyard NATS micro service (no workers)', () => {
  let servers: Awaited<ReturnType<typeof startSpecServers>>;
  let gw: SpecGateway;
  /** A connection whose inboxes are tenant `default`'s, as a tenant's must be. */
  let tenant: NatsConnection;

  beforeAll(async () => {
    servers = await startSpecServers();
    gw = await startSpecGateway(servers, { label: 'nats-requests' });
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
    const [found] = await discoverServices(gw.nc, { name: SwitchyardService.name, timeoutMs: 500 });
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

  it('answers an embeddings request for an unknown model with a 404, sending no job', async () => {
    const subjects = createSubjects(gw.prefix);
    const answer = await tenant.request(
      subjects.embeddings('default', 'no-such-embedder'),
      JSON.stringify({ input: 'blue train' }),
      { timeout: 5_000 },
    );
    expect(answer.headers?.get('Nats-Service-Error-Code')).toBe('404');
    const body = answer.json<{ error: { type: string; code: string; param: string } }>();
    expect(body.error).toMatchObject({
      type: 'not_found_error',
      code: 'model_not_found',
      param: 'model',
    });
    expect(answer.headers?.get('Nats-Service-Error')).toContain('"no-such-embedder"');
    // Nothing was queued for it: the jobs stream holds no message of the tenant.
    const jsm = await jetstreamManager(gw.nc);
    const info = await jsm.streams.info(streamNames(gw.prefix).jobs, {
      subjects_filter: subjects.jobsForTenant('default'),
    });
    expect(info.state.messages).toBe(0);
    // An embeddings body sent to the chat endpoint is refused by the chat schema, and the
    // reverse by the embeddings schema: each endpoint reads its own API.
    const onChat = await tenant.request(
      subjects.chat('default', 'alpha'),
      JSON.stringify({ input: 'blue train' }),
      { timeout: 5_000 },
    );
    expect(onChat.headers?.get('Nats-Service-Error-Code')).toBe('400');
    const onEmbeddings = await tenant.request(
      subjects.embeddings('default', 'alpha'),
      JSON.stringify({ messages: specMessages }),
      { timeout: 5_000 },
    );
    expect(onEmbeddings.headers?.get('Nats-Service-Error-Code')).toBe('400');
    expect(onEmbeddings.json<{ error: { param: string } }>().error.param).toBe('input');
  });

  it('shows in nats micro info and stats: both endpoints, their subjects, queue group and counts', async () => {
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
    expect(found?.info.endpoints).toContainEqual(
      expect.objectContaining({
        name: 'embeddings',
        subject: `${gw.prefix}.embeddings.*.*`,
        queue_group: 'switchyard',
      }),
    );
    const chat = found?.stats?.endpoints?.find((e) => e.name === 'chat');
    expect(chat?.num_requests).toBe(5);
    expect(chat?.data).toEqual({
      in_flight: 0,
      answered: 2,
      errors: 2,
      refused_replies: 2,
      bad_subjects: 1,
      by_status: { '400': 1, '413': 1 },
    });
    const embeddings = found?.stats?.endpoints?.find((e) => e.name === 'embeddings');
    expect(embeddings?.num_requests).toBe(2);
    expect(embeddings?.data).toEqual({
      in_flight: 0,
      answered: 2,
      errors: 2,
      refused_replies: 0,
      bad_subjects: 0,
      by_status: { '400': 1, '404': 1 },
    });
    expect(found?.status).toEqual({ chat: chat?.data, embeddings: embeddings?.data });
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
