import { HeaderNames } from '@switchyard/contracts';
import { switchyardHeaders } from '@switchyard/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from './start-worker';
import {
  createInstallation,
  makeJob,
  silentLogger,
  startServers,
  startSpecWorker,
  waitUntil,
  type Installation,
  type Servers,
} from './worker-harness.test-support';

const models = {
  'chat-openai': 'openai',
  'chat-anthropic': 'anthropic',
  'chat-gemini': 'gemini',
  'retry-429': 'openai',
  'dlq-429': 'openai',
  'too-long': 'openai',
  'past-deadline': 'openai',
  'cut-stream': 'openai',
  'held-stream': 'openai',
  'cut-before-content': 'openai',
  cancelled: 'gemini',
  ordered: [
    { provider: 'openai', params: 'order: 2' },
    { provider: 'openai', params: 'order: 1' },
  ],
  limited: [{ provider: 'openai', params: 'rpm: 2' }],
  'short-replies': [{ provider: 'anthropic', params: 'max_tokens: 3, temperature: 0.1' }],
} as const;

describe('worker pools against nats-server, redis-server and the provider simulator', () => {
  let servers: Servers;
  let install: Installation;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'worker', models);
    for (const provider of ['openai', 'anthropic', 'gemini']) {
      workers.push(await startSpecWorker(install, provider));
    }
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop(0)));
    await install?.close();
    await servers?.stop();
  });

  it('serves only the models with a deployment on its provider', () => {
    expect(workers[1]?.models).toEqual(['chat-anthropic', 'short-replies']);
    expect(workers[0]?.models).toContain('retry-429');
  });

  it("calls a deployment with its litellm_params call defaults, the request's own values winning", async () => {
    const short = await install.submit(makeJob('short-replies')).then((inbox) => inbox.final());
    expect(short).toMatchObject({
      choices: [{ finish_reason: 'length' }],
      usage: { completion_tokens: 3 },
    });
    const own = makeJob('short-replies', {
      request: { messages: [{ role: 'user', content: 'Where?' }], max_tokens: 10 },
    });
    const longer = await install.submit(own).then((inbox) => inbox.final());
    expect(longer).toMatchObject({
      choices: [{ finish_reason: 'length' }],
      usage: { completion_tokens: 10 },
    });
  });

  for (const model of ['chat-openai', 'chat-anthropic', 'chat-gemini'] as const) {
    it(`answers a ${models[model]} job with the result and its metadata`, async () => {
      const job = makeJob(model);
      const inbox = await install.submit(job);
      const result = await inbox.final();
      expect(result).toMatchObject({
        object: 'chat.completion',
        model,
        choices: [{ index: 0, message: { role: 'assistant' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 13, completion_tokens: 16 },
        switchyard: {
          job_id: job.id,
          deployment: `${model}/0`,
          provider: models[model],
          attempts: 1,
          fallback_path: [model],
          cache_hit: false,
        },
      });
      const content = (result['choices'] as { message: { content: string } }[])[0]?.message.content;
      expect(content).toContain('Simulated reply to: Where is the blue train going?');
      await waitUntil(() => install.usageEvents().some((e) => e.job_id === job.id));
      const billed = install.usageEvents().filter((e) => e.job_id === job.id);
      expect(billed).toHaveLength(1);
      const meta = result['switchyard'] as { cost_usd: number | null };
      expect(meta.cost_usd).toBeGreaterThan(0);
      expect(meta.cost_usd).toBe(billed[0]?.cost_usd);
    });

    it(`streams a ${models[model]} job: numbered chunks, then a final chunk with usage`, async () => {
      const job = makeJob(model, {
        request: {
          messages: [{ role: 'user', content: 'Where is the blue train going?' }],
          stream: true,
        },
      });
      const inbox = await install.submit(job);
      const last = await inbox.final();
      const chunks = inbox.messages as {
        object: string;
        model: string;
        usage?: unknown;
        choices: { delta: { content?: string | null } }[];
        switchyard: { seq: number; final: boolean; attempts?: number; ttft_ms?: number };
      }[];
      expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === model)).toBe(
        true,
      );
      expect(chunks.map((c) => c.switchyard.seq)).toEqual(chunks.map((_, i) => i));
      expect(chunks.filter((c) => c.switchyard.final)).toHaveLength(1);
      expect(chunks.slice(0, -1).every((c) => c.usage == null)).toBe(true);
      expect(last).toMatchObject({
        usage: { prompt_tokens: 13, completion_tokens: 16 },
        switchyard: { final: true, job_id: job.id, attempts: 1, fallback_path: [model] },
      });
      expect(typeof (last['switchyard'] as { ttft_ms?: number }).ttft_ms).toBe('number');
      const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
      expect(text).toContain('Simulated reply to: Where is the blue train going?');
      await waitUntil(() => install.usageEvents().some((e) => e.job_id === job.id));
      const billed = install.usageEvents().filter((e) => e.job_id === job.id);
      expect(billed).toMatchObject([{ status: 'success' }]);
      const meta = last['switchyard'] as { cost_usd: number | null };
      expect(meta.cost_usd).toBeGreaterThan(0);
      expect(meta.cost_usd).toBe(billed[0]?.cost_usd);
    });
  }

  it('retries a 429 after its Retry-After and then answers, with attempts 2', async () => {
    const model = 'retry-429';
    await servers.sim.addFault({
      deployment: install.simName(model),
      fault: 'rate_limit; retry_after=1',
      count: 1,
    });
    const job = makeJob(model);
    const started = Date.now();
    const result = await install.submit(job).then((inbox) => inbox.final());
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result).toMatchObject({ object: 'chat.completion', switchyard: { attempts: 2 } });
    expect(await servers.sim.requests(install.simName(model))).toBe(2);
    await waitUntil(() => install.usageEvents().filter((e) => e.job_id === job.id).length === 2);
    const events = install.usageEvents().filter((e) => e.job_id === job.id);
    expect(events.map((e) => [e.status, e.error_type])).toEqual([
      ['error', 'rate_limit'],
      ['success', undefined],
    ]);
    expect(new Set(events.map((e) => e.id)).size).toBe(2);
  });

  it('dead-letters a persistent 429 once its retries are spent, with the route hop', async () => {
    const model = 'dlq-429';
    await servers.sim.addFault({
      deployment: install.simName(model),
      fault: 'rate_limit; retry_after=1',
      count: 10,
    });
    const job = makeJob(model);
    const inbox = await install.submit(job);
    await waitUntil(async () => (await install.deadLetters()).length > 0, 10_000);
    const [letter] = await install.deadLetters();
    expect(letter?.headers[HeaderNames.errorType]).toBe('rate_limit');
    expect(letter?.headers[HeaderNames.replyTo]).toBe(inbox.subject);
    expect(letter?.data).toMatchObject({
      id: job.id,
      route: [
        {
          model,
          deployments: [
            { deployment: `${model}/0`, provider: 'openai', type: 'rate_limit' },
            { deployment: `${model}/0`, provider: 'openai', type: 'rate_limit' },
          ],
        },
      ],
    });
    // num_retries 1: the first call and one retry, then the dead letter; nothing to the caller
    expect(await servers.sim.requests(install.simName(model))).toBe(2);
    expect(inbox.messages).toEqual([]);
    await waitUntil(async () => (await install.jobsWaiting()) === 0);
  });

  it('dead-letters a context-length error at once, without a retry', async () => {
    const model = 'too-long';
    await servers.sim.addFault({
      deployment: install.simName(model),
      fault: 'context_length',
      count: 1,
    });
    const job = makeJob(model);
    await install.submit(job);
    await waitUntil(async () =>
      (await install.deadLetters()).some((l) => (l.data as { id: string }).id === job.id),
    );
    const letter = (await install.deadLetters()).find(
      (l) => (l.data as { id: string }).id === job.id,
    );
    expect(letter?.headers[HeaderNames.errorType]).toBe('context_window_exceeded');
    expect(letter?.headers[HeaderNames.attempt]).toBe('1');
    expect(await servers.sim.requests(install.simName(model))).toBe(1);
    const events = install.usageEvents().filter((e) => e.job_id === job.id);
    expect(events.map((e) => e.error_type)).toEqual(['context_window_exceeded']);
  });

  it('answers malformed JSON, a schema-invalid job and a subject mismatch with invalid_job at once', async () => {
    const subject = install.subjects.jobs('default', 'chat-openai');
    const callsBefore = await servers.sim.requests(install.simName('chat-openai'));
    for (const [body, code] of [
      ['{"v":1,"id":"broken-1", oops', 'malformed_json'],
      [
        JSON.stringify({ v: 1, id: 'invalid-1', tenant: 'default', model: 'chat-openai' }),
        'schema_mismatch',
      ],
      [JSON.stringify(makeJob('chat-anthropic', { id: 'elsewhere-1' })), 'subject_mismatch'],
    ] as const) {
      const inbox = `_INBOX.default.${install.prefix}-bad-${code}`;
      const replies: Record<string, unknown>[] = [];
      install.nc.subscribe(inbox, { callback: (_e, msg) => void replies.push(msg.json()) });
      await install.nc.flush();
      await install.js.publish(subject, body, { headers: switchyardHeaders({ replyTo: inbox }) });
      await waitUntil(() => replies.length > 0, 5_000);
      expect(replies[0]).toMatchObject({ object: 'error', error: { type: 'invalid_job', code } });
    }
    expect(await servers.sim.requests(install.simName('chat-openai'))).toBe(callsBefore);
    await waitUntil(async () => (await install.jobsWaiting()) === 0);
  });

  it('fails a job past its deadline with deadline_exceeded and never calls the provider', async () => {
    const model = 'past-deadline';
    const now = Date.now();
    const job = makeJob(model, { submitted_at: now - 10_000, deadline: now - 1_000 });
    const reply = await install.submit(job).then((inbox) => inbox.final());
    expect(reply).toMatchObject({
      object: 'error',
      error: { type: 'deadline_exceeded' },
      switchyard: { job_id: job.id },
    });
    expect(await servers.sim.requests(install.simName(model))).toBe(0);
    expect(install.usageEvents().filter((e) => e.job_id === job.id)).toEqual([]);
  });

  it('aborts the provider call of a job its caller cancels, answers cancelled and meters it once', async () => {
    const model = 'cancelled';
    await servers.sim.setLatency(install.simName(model), { ttftMs: 5_000 });
    const job = makeJob(model);
    const inbox = await install.submit(job);
    await waitUntil(async () => (await servers.sim.requests(install.simName(model))) === 1);
    const cancelledAt = Date.now();
    install.nc.publish(install.subjects.cancel(job.tenant, job.id));
    const reply = await inbox.final(3_000);
    expect(Date.now() - cancelledAt).toBeLessThan(3_000);
    expect(reply).toMatchObject({ object: 'error', error: { type: 'cancelled' } });
    await waitUntil(() => install.usageEvents().some((e) => e.job_id === job.id));
    expect(install.usageEvents().filter((e) => e.job_id === job.id)).toMatchObject([
      { status: 'error', error_type: 'cancelled' },
    ]);
    await waitUntil(async () => (await install.jobsWaiting()) === 0);
    const deadLetters = await install.deadLetters();
    expect(deadLetters.filter((letter) => JSON.stringify(letter.data).includes(job.id))).toEqual(
      [],
    );
  });

  it('drops a job cancelled before a worker took it, without calling the provider', async () => {
    const model = 'cancelled';
    const callsBefore = await servers.sim.requests(install.simName(model));
    const job = makeJob(model);
    install.nc.publish(install.subjects.cancel(job.tenant, job.id));
    await install.nc.flush();
    const reply = await install.submit(job).then((inbox) => inbox.final());
    expect(reply).toMatchObject({ object: 'error', error: { type: 'cancelled' } });
    expect(await servers.sim.requests(install.simName(model))).toBe(callsBefore);
    expect(install.usageEvents().filter((e) => e.job_id === job.id)).toEqual([]);
  });
});

describe('worker pools: streams, order and rate limits', () => {
  let servers: Servers;
  let install: Installation;
  let worker: RunningWorker | undefined;

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'worker-flow', models);
    worker = await startWorker({
      config: install.config,
      provider: 'openai',
      nc: install.nc,
      redis: install.redis,
      logger: silentLogger,
      pullExpiresMs: 1_000,
    });
  });

  afterAll(async () => {
    await worker?.stop(0);
    await install?.close();
    await servers?.stop();
  });

  /** Submits a stream job for `model` whose first provider call meets `fault`. */
  async function streamMeetingFault(model: string, fault: string) {
    await servers.sim.addFault({ deployment: install.simName(model), fault, count: 1 });
    const job = makeJob(model, {
      request: {
        messages: [{ role: 'user', content: 'Where is the blue train going?' }],
        stream: true,
      },
    });
    return { job, inbox: await install.submit(job) };
  }

  it('answers a stream that fails midway with the error, without retry or dead letter', async () => {
    const model = 'cut-stream';
    const { job, inbox } = await streamMeetingFault(model, 'server_error; after=3');
    const last = await inbox.final();
    expect(last).toMatchObject({
      object: 'error',
      error: { type: 'server' },
      switchyard: { job_id: job.id },
    });
    expect(inbox.messages.length).toBeGreaterThan(1);
    expect(await servers.sim.requests(install.simName(model))).toBe(1);
    await waitUntil(() => install.usageEvents().some((e) => e.job_id === job.id));
    expect(install.usageEvents().filter((e) => e.job_id === job.id)).toMatchObject([
      { status: 'error', error_type: 'server' },
    ]);
    expect(await install.deadLetters()).toEqual([]);
  });

  it('sends each chunk of a stream as it arrives, not when the provider sends the next', async () => {
    const model = 'held-stream';
    const { job, inbox } = await streamMeetingFault(model, 'timeout; after=2');
    // The provider sent two chunks and holds the rest until the call goes away: both reach
    // the caller while it waits.
    await waitUntil(() => inbox.messages.length === 2);
    expect(inbox.messages.map((message) => message['switchyard'])).toMatchObject([
      { seq: 0, final: false },
      { seq: 1, final: false },
    ]);
    install.nc.publish(install.subjects.cancel(job.tenant, job.id));
    expect(await inbox.final()).toMatchObject({ object: 'error', error: { type: 'cancelled' } });
    expect(inbox.messages).toHaveLength(3);
    expect(await servers.sim.requests(install.simName(model))).toBe(1);
    await waitUntil(() => install.usageEvents().some((e) => e.job_id === job.id));
    expect(install.usageEvents().filter((e) => e.job_id === job.id)).toMatchObject([
      { status: 'error', error_type: 'cancelled' },
    ]);
  });

  it('retries a stream that fails before its first content, which sent the caller nothing', async () => {
    const model = 'cut-before-content';
    const { job, inbox } = await streamMeetingFault(model, 'server_error; after=1');
    expect(await inbox.final()).toMatchObject({ switchyard: { final: true, attempts: 2 } });
    const generations = new Set(
      inbox.messages.map((message) => (message['switchyard'] as { generation: string }).generation),
    );
    expect(generations.size).toBe(1);
    expect(inbox.messages.map((message) => (message['switchyard'] as { seq: number }).seq)).toEqual(
      inbox.messages.map((_message, index) => index),
    );
    expect(await servers.sim.requests(install.simName(model))).toBe(2);
    await waitUntil(() => install.usageEvents().filter((e) => e.job_id === job.id).length === 2);
    expect(
      install
        .usageEvents()
        .filter((e) => e.job_id === job.id)
        .map((e) => [e.status, e.error_type]),
    ).toEqual([
      ['error', 'server'],
      ['success', undefined],
    ]);
  });

  it('cools a failing deployment down and retries the job on the next one', async () => {
    const cooling = await createInstallation(
      servers,
      'worker-cooldown',
      {
        flaky: [
          { provider: 'openai', params: 'order: 1' },
          { provider: 'openai', params: 'order: 2' },
        ],
      },
      '{ num_retries: 2, allowed_fails: 0, cooldown_time: 5 }',
    );
    const coolingWorker = await startWorker({
      config: cooling.config,
      provider: 'openai',
      nc: cooling.nc,
      redis: cooling.redis,
      logger: silentLogger,
      pullExpiresMs: 1_000,
    });
    try {
      await servers.sim.addFault({
        deployment: cooling.simName('flaky', 0),
        fault: 'server_error',
        count: 1,
      });
      const job = makeJob('flaky');
      const result = await cooling.submit(job).then((inbox) => inbox.final());
      expect(result).toMatchObject({ switchyard: { deployment: 'flaky/1', attempts: 2 } });
      const again = await cooling.submit(makeJob('flaky')).then((inbox) => inbox.final());
      expect(again).toMatchObject({ switchyard: { deployment: 'flaky/1', attempts: 1 } });
      expect(await servers.sim.requests(cooling.simName('flaky', 0))).toBe(1);
      expect(await servers.sim.requests(cooling.simName('flaky', 1))).toBe(2);
    } finally {
      await coolingWorker.stop(0);
      await cooling.close();
    }
  });

  it('sends every job to the deployment with the lowest order while it is usable', async () => {
    const inboxes = await Promise.all([1, 2, 3, 4].map(() => install.submit(makeJob('ordered'))));
    const results = await Promise.all(inboxes.map((inbox) => inbox.final()));
    expect(results.map((r) => (r['switchyard'] as { deployment: string }).deployment)).toEqual(
      Array(4).fill('ordered/1'),
    );
    expect(await servers.sim.requests(install.simName('ordered', 1))).toBe(4);
    expect(await servers.sim.requests(install.simName('ordered', 0))).toBe(0);
  });

  it('stops pulling at the rpm limit: the other jobs wait in the stream, no 429 reaches the provider', async () => {
    const inboxes = await Promise.all([1, 2, 3, 4].map(() => install.submit(makeJob('limited'))));
    await waitUntil(() => inboxes.filter((inbox) => inbox.messages.length > 0).length === 2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(inboxes.filter((inbox) => inbox.messages.length > 0)).toHaveLength(2);
    expect(await servers.sim.requests(install.simName('limited'))).toBe(2);
    expect(await install.jobsWaiting()).toBe(2);
  });
});

describe('stopping a worker', () => {
  let servers: Servers;
  let install: Installation;

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'worker-stop', { slow: 'anthropic' });
  });

  afterAll(async () => {
    await install?.close();
    await servers?.stop();
  });

  it('lets a job in flight finish before it stops', async () => {
    await servers.sim.setLatency(install.simName('slow'), { ttftMs: 1_500 });
    const worker = await startWorker({
      config: install.config,
      provider: 'anthropic',
      nc: install.nc,
      redis: install.redis,
      logger: silentLogger,
      pullExpiresMs: 1_000,
    });
    const job = makeJob('slow');
    const inbox = await install.submit(job);
    await waitUntil(async () => (await servers.sim.requests(install.simName('slow'))) === 1);
    const summary = await worker.stop(5_000);
    expect(summary).toEqual({ finished: 1, handedBack: 0 });
    expect(await inbox.final(100)).toMatchObject({ object: 'chat.completion' });
    expect(await install.jobsWaiting()).toBe(0);
  });

  it('hands a job back when the grace runs out, and the next worker serves it', async () => {
    const start = () =>
      startWorker({
        config: install.config,
        provider: 'anthropic',
        nc: install.nc,
        redis: install.redis,
        logger: silentLogger,
        pullExpiresMs: 1_000,
      });
    const first = await start();
    const before = await servers.sim.requests(install.simName('slow'));
    const job = makeJob('slow');
    const inbox = await install.submit(job);
    await waitUntil(async () => (await servers.sim.requests(install.simName('slow'))) > before);
    expect(await first.stop(0)).toEqual({ finished: 0, handedBack: 1 });
    expect(await install.jobsWaiting()).toBe(1);
    const second = await start();
    const result = await inbox.final(10_000);
    await second.stop(0);
    expect(result).toMatchObject({ object: 'chat.completion', switchyard: { job_id: job.id } });
    expect(inbox.messages.filter((m) => m['object'] === 'chat.completion')).toHaveLength(1);
  });
});
