import { jetstreamManager } from '@nats-io/jetstream';
import { createSubjects, streamNames } from '@switchyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  masterAuth as master,
  postChat as post,
  specMasterKey,
  specMessages as messages,
  startSpecGateway,
  startSpecServers,
  waitFor,
  type SpecGateway,
} from './gateway-spec-setup.test-support';

describe('gateway requests on real NATS and Redis, no workers', () => {
  let servers: Awaited<ReturnType<typeof startSpecServers>>;
  let gw: SpecGateway;

  beforeAll(async () => {
    servers = await startSpecServers();
    gw = await startSpecGateway(servers, { label: 'gw-requests', masterKey: specMasterKey });
  });
  afterAll(async () => {
    await gw?.stop();
    await servers?.stop();
  });

  it('answers 400 naming the problem for malformed JSON and invalid fields', async () => {
    const malformed = await post(gw, '{"model": "alpha", "messages": [', master);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      error: { type: 'invalid_request_error', code: 'invalid_json', param: null },
    });
    const invalid = await post(gw, { model: 'alpha', messages, temperature: 7 }, master);
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe('temperature');
    expect(body.error.message).toContain('temperature');
    const badHeader = await post(
      gw,
      { model: 'alpha', messages },
      { ...master, 'x-switchyard-deadline-ms': 'soon' },
    );
    expect(badHeader.status).toBe(400);
    expect(((await badHeader.json()) as { error: { param: string } }).error.param).toBe(
      'x-switchyard-deadline-ms',
    );
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await fetch(`${gw.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...master, 'content-type': 'text/plain' },
      body: 'model=alpha',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('answers 404 for a model that is not configured, and for an unknown route', async () => {
    const unknown = await post(gw, { model: 'gpt-5', messages }, master);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      error: { code: 'model_not_found', param: 'model' },
    });
    const route = await fetch(`${gw.gateway.url}/v1/audio/speech`, {
      method: 'POST',
      headers: master,
    });
    expect(route.status).toBe(404);
    expect(await route.json()).toMatchObject({ error: { code: 'route_not_found' } });
  });

  it('answers 413 for a body over what one NATS message can carry as a job, and 10 MiB', async () => {
    const maxPayload = gw.nc.info?.max_payload ?? 0;
    expect(maxPayload).toBe(1024 * 1024);
    for (const size of [maxPayload, 10 * 1024 * 1024]) {
      const huge = JSON.stringify({
        model: 'alpha',
        messages: [{ role: 'user', content: 'x'.repeat(size) }],
      });
      const res = await post(gw, huge, master);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ error: { code: 'request_too_large' } });
    }
  });

  it('answers 400 too_deeply_nested for a body nested deeper than 64 levels', async () => {
    const deep = `{"model":"alpha","messages":[{"role":"user","content":"x"}],"extra":${'['.repeat(4_000)}${']'.repeat(4_000)}}`;
    const res = await post(gw, deep, master);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'too_deeply_nested' } });
  });

  it('answers 400 for max_tokens beyond any model and n beyond 128, before anything is queued', async () => {
    for (const extra of [{ max_tokens: 2e15 }, { max_completion_tokens: 10_000_001 }, { n: 129 }]) {
      const res = await post(gw, { model: 'alpha', messages, ...extra }, master);
      expect(res.status, JSON.stringify(extra)).toBe(400);
    }
  });

  it('answers 503 too_many_requests_in_flight past its in-flight limit, and serves again after', async () => {
    const small = await startSpecGateway(servers, {
      masterKey: specMasterKey,
      label: 'gw-inflight',
      maxInFlight: 1,
    });
    try {
      const controller = new AbortController();
      // No worker serves `beta`: this request waits, holding the one slot.
      const waiting = post(small, { model: 'beta', messages }, master, controller.signal);
      await waitFor(async () => {
        const res = await post(small, { model: 'beta', messages }, master);
        if (res.status !== 503) return false;
        expect(res.headers.get('retry-after')).toBe('1');
        expect(await res.json()).toMatchObject({ error: { code: 'too_many_requests_in_flight' } });
        return true;
      });
      controller.abort();
      await expect(waiting).rejects.toThrow();
      await waitFor(async () => (await post(small, 'not json', master)).status === 400);
    } finally {
      await small.stop();
    }
  });

  it('cancels the job when the client disconnects mid-wait', async () => {
    const subjects = createSubjects(gw.prefix);
    const published: string[] = [];
    const cancelled: string[] = [];
    const jobs = gw.nc.subscribe(subjects.streamSubjects.jobs, {
      callback: (_err, msg) => void published.push(msg.json<{ id: string }>().id),
    });
    const cancels = gw.nc.subscribe(subjects.cancelAll, {
      callback: (_err, msg) => void cancelled.push(msg.subject),
    });
    try {
      const controller = new AbortController();
      const pending = post(
        gw,
        { model: 'beta', messages, stream: true },
        master,
        controller.signal,
      );
      await waitFor(() => published.length === 1);
      controller.abort();
      await expect(pending).rejects.toThrow();
      await waitFor(() => cancelled.length === 1);
      expect(cancelled).toEqual([subjects.cancel('default', published[0] ?? '')]);
      await waitFor(async () => {
        const text = await (await fetch(`${gw.gateway.url}/metrics`)).text();
        return /requests_total\{model="beta",status_code="499",stream="true"[^}]*\} 1/.test(text);
      });
    } finally {
      jobs.unsubscribe();
      cancels.unsubscribe();
    }
  });

  it('is ready once the topology exists, and says what is missing when it does not', async () => {
    const ready = await fetch(`${gw.gateway.url}/health/readiness`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', missing: [] });
    expect((await fetch(`${gw.gateway.url}/health/liveness`)).status).toBe(200);
    const jsm = await jetstreamManager(gw.nc);
    const dlq = streamNames(gw.prefix).dlq;
    await jsm.streams.delete(dlq);
    const notReady = await fetch(`${gw.gateway.url}/health/readiness`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not_ready',
      missing: [`stream:${dlq}`],
    });
  });
});
