import { jetstreamManager } from '@nats-io/jetstream';
import {
  createSubjects,
  decodeUsageEvent,
  streamNames,
  type UsageEvent,
} from '@switchyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  directAnswer,
  questionMessages,
  waitUntil,
} from '../pipeline/pipeline-harness.test-support';
import {
  gatewayMasterKey,
  sseEvents,
  startGatewayStack,
  type GatewayStack,
} from './gateway-stack.test-support';

interface Chunk {
  choices: { delta: { content?: string | null }; finish_reason: string | null }[];
  usage?: { total_tokens: number } | null;
  switchyard?: { job_id: string; deployment: string };
}

describe('gateway in front of workers and the simulator', () => {
  let stack: GatewayStack;

  beforeAll(async () => {
    stack = await startGatewayStack(
      'gw-workers',
      {
        models: { chat: 'openai', failing: 'openai', midstream: 'openai', slow: 'anthropic' },
        router:
          '{ num_retries: 0, allowed_fails: 100, cooldown_time: 1, model_group_alias: { gpt-4: chat, quiet: { model: chat, hidden: true } } }',
      },
      ['openai', 'anthropic'],
    );
    stack.servers.sim.setLatency({ ttftMs: 3_000 }, { deployment: stack.install.simName('slow') });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const headers = {
    'content-type': 'application/json',
    authorization: `Bearer ${gatewayMasterKey}`,
  };
  const post = (body: object, extra: Record<string, string> = {}, signal?: AbortSignal) =>
    fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...headers, ...extra },
      body: JSON.stringify(body),
      ...(signal === undefined ? {} : { signal }),
    });

  /** The last usage event of `tenant` on `model`, once there is one for which `match` holds. */
  async function lastUsage(
    tenant: string,
    model: string,
    match: (event: UsageEvent) => boolean,
  ): Promise<UsageEvent> {
    const jsm = await jetstreamManager(stack.pipeline.nc);
    const stream = streamNames(stack.install.prefix).usage;
    const subject = createSubjects(stack.install.prefix).usage(tenant, model);
    let found: UsageEvent | undefined;
    await waitUntil(async () => {
      const msg = await jsm.streams.getMessage(stream, { last_by_subj: subject }).catch(() => null);
      const decoded = msg === null ? undefined : decodeUsageEvent(msg.data);
      if (decoded?.ok === true && match(decoded.event)) found = decoded.event;
      return found !== undefined;
    });
    if (found === undefined) throw new Error('no usage event');
    return found;
  }

  it("submits with the virtual key's tenant and id and the request's tags", async () => {
    const { key, secret } = await stack.keys.create({ tenant: 'acme' });
    const res = await post(
      { model: 'chat', messages: questionMessages, metadata: { tags: ['from-body'], team: 'x' } },
      { authorization: `Bearer ${secret}`, 'x-switchyard-tags': 'from-header' },
    );
    expect(res.status).toBe(200);
    const jobId = res.headers.get('x-switchyard-job-id');
    const event = await lastUsage('acme', 'chat', (e) => e.job_id === jobId);
    expect(event).toMatchObject({ tenant: 'acme', key_id: key.id, status: 'success' });
    expect(event.tags).toEqual(['from-header', 'from-body']);
  });

  it('serves a model_group_alias as the model it stands for, and lists only the aliases not hidden', async () => {
    for (const alias of ['gpt-4', 'quiet']) {
      const res = await post({ model: alias, messages: questionMessages });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { model: string; switchyard: { fallback_path: string[] } };
      expect(body).toMatchObject({ model: 'chat', switchyard: { fallback_path: ['chat'] } });
    }
    const listed = await fetch(`${stack.gateway.url}/v1/models`, { headers });
    const { data } = (await listed.json()) as { data: { id: string }[] };
    expect(data.map((m) => m.id)).toEqual(['chat', 'failing', 'midstream', 'slow', 'gpt-4']);
  });

  it('answers a completion with the result of the worker, in the OpenAI shape', async () => {
    const res = await post(
      { model: 'chat', messages: questionMessages },
      { 'x-switchyard-tags': 'spec' },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      object: string;
      choices: { message: { content: string } }[];
      usage: { total_tokens: number };
      switchyard: { job_id: string };
    };
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0]?.message.content).toBe(await directAnswer(stack.servers, 'openai'));
    expect(body.usage.total_tokens).toBeGreaterThan(0);
    expect(res.headers.get('x-switchyard-job-id')).toBe(body.switchyard.job_id);
  });

  it('answers a request repeated with its Idempotency-Key once: one provider call, one completion id, 409 for another body', async () => {
    const calls = () => stack.servers.sim.calls({ deployment: stack.install.simName('chat') });
    const before = calls().length;
    const body = { model: 'chat', messages: questionMessages };
    const key = { 'idempotency-key': 'triage-run-7/email-12' };
    const [first, second] = await Promise.all([post(body, key), post(body, key)]);
    expect([first.status, second.status]).toEqual([200, 200]);
    const [a, b] = (await Promise.all([first.json(), second.json()])) as { id: string }[];
    expect(b?.id).toBe(a?.id);
    const third = await post(body, key);
    expect(((await third.json()) as { id: string }).id).toBe(a?.id);
    const other = await post(
      { model: 'chat', messages: [{ role: 'user', content: 'other' }] },
      key,
    );
    expect(other.status).toBe(409);
    expect(await other.json()).toMatchObject({ error: { code: 'idempotency_key_reused' } });
    const bad = await post(body, { 'idempotency-key': 'k'.repeat(256) });
    expect(bad.status).toBe(400);
    expect(calls().length - before).toBe(1);
  });

  it('streams in OpenAI framing: chunks, the usage chunk, then [DONE]', async () => {
    const res = await post({
      model: 'chat',
      messages: questionMessages,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = sseEvents(await res.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as Chunk);
    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage?.total_tokens).toBeGreaterThan(0);
    expect(usageChunk?.switchyard?.deployment).toBe(
      stack.install.config.models['chat']?.deployments[0]?.id,
    );
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe(await directAnswer(stack.servers, 'openai'));
  });

  it('answers 502 with the deployments tried when every deployment fails', async () => {
    stack.servers.sim.addFaults([
      { deployment: stack.install.simName('failing'), fault: 'server_error', count: 1 },
    ]);
    const res = await post({ model: 'failing', messages: questionMessages });
    expect(res.status).toBe(502);
    const body = (await res.json()) as {
      error: {
        type: string;
        switchyard: { type: string; deployments_tried: { deployment: string }[] };
      };
    };
    expect(body.error.type).toBe('server_error');
    expect(body.error.switchyard.type).toBe('server');
    expect(body.error.switchyard.deployments_tried.map((d) => d.deployment)).toContain(
      stack.install.config.models['failing']?.deployments[0]?.id,
    );
  });

  it('sends a failure after the stream started as an error event and ends without [DONE]', async () => {
    stack.servers.sim.addFaults([
      { deployment: stack.install.simName('midstream'), fault: 'server_error; after=3', count: 1 },
    ]);
    const res = await post({ model: 'midstream', messages: questionMessages, stream: true });
    expect(res.status).toBe(200);
    const events = sseEvents(await res.text());
    expect(events).not.toContain('[DONE]');
    const last = JSON.parse(events.at(-1) ?? '{}') as { error?: { switchyard?: { type: string } } };
    expect(last.error?.switchyard?.type).toBe('server');
    expect(events.length).toBeGreaterThan(1);
  });

  it('cancels the job when the client disconnects while the provider is working', async () => {
    const subjects = createSubjects(stack.install.prefix);
    const cancelled: string[] = [];
    const sub = stack.pipeline.nc.subscribe(subjects.cancelAll, {
      callback: (_err, msg) => void cancelled.push(msg.subject),
    });
    try {
      const sim = stack.install.simName('slow');
      const controller = new AbortController();
      const pending = post(
        { model: 'slow', messages: questionMessages, stream: true },
        {},
        controller.signal,
      );
      await waitUntil(() => (stack.servers.sim.stats().deployments[sim]?.requests ?? 0) >= 1);
      controller.abort();
      await expect(pending).rejects.toThrow();
      await waitUntil(() => cancelled.length === 1);
      expect(cancelled[0]).toMatch(new RegExp(`^${stack.install.prefix}\\.cancel\\.`));
      const event = await lastUsage('default', 'slow', () => true);
      expect(event).toMatchObject({ status: 'error', error_type: 'cancelled' });
      expect(cancelled[0]).toBe(
        createSubjects(stack.install.prefix).cancel('default', event.job_id),
      );
    } finally {
      sub.unsubscribe();
    }
  });
});
