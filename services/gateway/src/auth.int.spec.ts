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

describe('gateway auth: master key, virtual keys, open access', () => {
  let servers: Awaited<ReturnType<typeof startSpecServers>>;
  let locked: SpecGateway;
  let open: SpecGateway;

  beforeAll(async () => {
    servers = await startSpecServers();
    [locked, open] = await Promise.all([
      startSpecGateway(servers, { label: 'gw-locked', masterKey: specMasterKey }),
      startSpecGateway(servers, { label: 'gw-open' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([locked?.stop(), open?.stop()]);
    await servers?.stop();
  });

  it('answers 401 without a key and with an unknown one, when a master key is set', async () => {
    const none = await post(locked, { model: 'alpha', messages });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({
      error: {
        message: expect.stringContaining('No API key') as string,
        type: 'authentication_error',
        param: null,
        code: 'missing_api_key',
      },
    });
    const wrong = await post(
      locked,
      { model: 'alpha', messages },
      { authorization: 'Bearer sk-sy-nope' },
    );
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_api_key',
    );
    expect((await fetch(`${locked.gateway.url}/v1/models`)).status).toBe(401);
  });

  it('answers 403 for a model the virtual key may not use, and lists only its models', async () => {
    const { secret } = await locked.keys.create({ tenant: 'acme', models: ['alpha'] });
    await locked.untilKeyKnown(secret);
    const refused = await post(locked, { model: 'beta', messages }, { 'x-api-key': secret });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      error: { type: 'permission_error', code: 'model_not_allowed', param: 'model' },
    });
    const listed = await fetch(`${locked.gateway.url}/v1/models`, {
      headers: { 'api-key': secret },
    });
    expect(await listed.json()).toMatchObject({
      object: 'list',
      data: [{ id: 'alpha', object: 'model' }],
    });
    const all = await fetch(`${locked.gateway.url}/models`, { headers: master });
    expect(((await all.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toEqual([
      'alpha',
      'beta',
    ]);
  });

  it("answers 429 with Retry-After once the key's rpm is spent; calls before time out at their deadline", async () => {
    const { secret } = await locked.keys.create({ tenant: 'acme', rpm: 1 });
    await locked.untilKeyKnown(secret);
    const auth = { authorization: `Bearer ${secret}`, 'x-switchyard-deadline-ms': '300' };
    const statuses: number[] = [];
    let refused: Response | undefined;
    // Two calls can straddle the edge of a rate window; a third cannot also be admitted.
    while (refused === undefined && statuses.length < 3) {
      const res = await post(locked, { model: 'alpha', messages }, auth);
      statuses.push(res.status);
      if (res.status === 429) refused = res;
      else expect([408, 504]).toContain(res.status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused?.json()).toMatchObject({
      error: { type: 'rate_limit_error', code: 'key_rate_limit_exceeded' },
    });
  });

  it('refuses a key revoked by another process within the watch latency', async () => {
    const { key, secret } = await locked.keys.create({ tenant: 'acme' });
    await locked.untilKeyKnown(secret);
    await locked.keys.revoke(key.id);
    // No timing asserted: the gateway's view of the bucket catches up, it never polls.
    await waitFor(async () => {
      const listed = await fetch(`${locked.gateway.url}/v1/models`, {
        headers: { authorization: `Bearer ${secret}` },
      });
      return listed.status === 401;
    });
    const res = await post(
      locked,
      { model: 'alpha', messages },
      { authorization: `Bearer ${secret}` },
    );
    expect(res.status).toBe(401);
  });

  it('serves without a key when no master key is set', async () => {
    const models = await fetch(`${open.gateway.url}/v1/models`);
    expect(models.status).toBe(200);
    const res = await post(
      open,
      { model: 'alpha', messages },
      { 'x-switchyard-deadline-ms': '200' },
    );
    expect([408, 504]).toContain(res.status);
  });

  it('counts requests by model and status on /metrics', async () => {
    const text = await (await fetch(`${locked.gateway.url}/metrics`)).text();
    expect(text).toMatch(
      /switchyard_gateway_requests_total\{model="beta",status_code="403",stream="false"[^}]*\} 1/,
    );
    expect(text).toMatch(
      /switchyard_gateway_requests_total\{model="alpha",status_code="429",stream="false"[^}]*\} 1/,
    );
    expect(text).toMatch(/switchyard_gateway_requests_in_flight\{[^}]*\} 0/);
    expect(text).toContain('switchyard_gateway_request_duration_seconds_bucket');
  });
});
