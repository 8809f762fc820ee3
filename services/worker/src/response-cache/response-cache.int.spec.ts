import { parseConfig } from '@switchyard/config';
import {
  completionChunkSchema,
  completionJobSchema,
  completionResultSchema,
  embeddingsResultSchema,
  type CompletionJob,
} from '@switchyard/contracts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type RunningWorker } from '../start-worker';
import {
  createInstallation,
  makeJob,
  silentLogger,
  startServers,
  waitUntil,
  type Installation,
  type Servers,
} from '../worker-harness.test-support';
import { cacheKeyFor } from './cache-key';
import { ResponseCache } from './response-cache';

const messages = (text: string) => [{ role: 'user' as const, content: text }];

describe('the response cache against redis-server, nats-server and the simulator', () => {
  let servers: Servers;
  let install: Installation;
  let worker: RunningWorker;
  let count = 0;
  /** A job for `model` with a request no other test sends. */
  const freshJob = (model = 'cached', extra: Parameters<typeof makeJob>[1] = {}) => {
    count += 1;
    return makeJob(model, {
      request: { messages: messages(`question ${count} at ${Date.now()}`) },
      ...extra,
    });
  };
  const calls = () => servers.sim.requests(install.simName('cached'));
  /** The Redis key of a job's cached answer. */
  const entryOf = (job: ReturnType<typeof makeJob>) =>
    cacheKeyFor(completionJobSchema.parse(job), `${install.prefix}:`, 'spec');

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'cache', { cached: 'openai' }, undefined, [
      'litellm_settings: { cache: true, cache_params: { namespace: spec, ttl: 60 } }',
    ]);
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

  it('answers a repeated request from the cache, at zero cost, and meters the hit', async () => {
    const first = freshJob();
    const before = await calls();
    const answer = await install.submit(first).then((inbox) => inbox.final());
    const again = { ...freshJob(), request: first.request };
    const hit = await install.submit(again).then((inbox) => inbox.final());
    expect(await calls()).toBe(before + 1);
    expect(completionResultSchema.parse(hit)).toMatchObject({
      choices: (answer as { choices: unknown }).choices,
      usage: (answer as { usage: unknown }).usage,
      switchyard: { job_id: again.id, cache_hit: true, cost_usd: 0, provider_ms: 0 },
    });
    await waitUntil(() => install.usageEvents().some((event) => event.job_id === again.id));
    expect(install.usageEvents().filter((event) => event.job_id === again.id)).toMatchObject([
      { status: 'cache_hit', cost_usd: 0, prompt_tokens: 0, completion_tokens: 0 },
    ]);
  });

  it('answers a repeated embeddings request from the cache, apart from chat entries', async () => {
    count += 1;
    const embeddingsJob = () => ({
      ...freshJob(),
      endpoint: 'embeddings' as const,
      request: { input: [`embed ${count} at ${Date.now()}`, 'second'], dimensions: 16 },
    });
    const first = embeddingsJob();
    const before = await calls();
    const answer = embeddingsResultSchema.parse(
      await install.submit(first).then((inbox) => inbox.final()),
    );
    const again = { ...embeddingsJob(), request: first.request };
    const hit = embeddingsResultSchema.parse(
      await install.submit(again).then((inbox) => inbox.final()),
    );
    expect(await calls()).toBe(before + 1);
    expect(answer.switchyard.cache_hit).toBe(false);
    expect(hit).toMatchObject({
      data: answer.data,
      usage: answer.usage,
      switchyard: { job_id: again.id, cache_hit: true, cost_usd: 0 },
    });
    const base64 = embeddingsResultSchema.parse(
      await install
        .submit({
          ...embeddingsJob(),
          request: { ...first.request, encoding_format: 'base64' as const },
        })
        .then((inbox) => inbox.final()),
    );
    expect(await calls()).toBe(before + 2);
    expect(typeof base64.data[0]?.embedding).toBe('string');
  });

  it('replays a cached answer as a stream, and caches a streamed answer for a whole one', async () => {
    const streamed = freshJob('cached');
    streamed.request = { ...streamed.request, stream: true };
    const before = await calls();
    const live = await install.submit(streamed);
    await live.final();
    const replay = await install.submit({ ...freshJob(), request: streamed.request });
    await replay.final();
    const whole = await install
      .submit({ ...freshJob(), request: { messages: streamed.request.messages } })
      .then((inbox) => inbox.final());
    expect(await calls()).toBe(before + 1);
    const chunks = replay.messages.map((message) => completionChunkSchema.parse(message));
    expect(chunks.map((chunk) => [chunk.switchyard.seq, chunk.switchyard.final])).toEqual([
      [0, false],
      [1, true],
    ]);
    const liveText = live.messages
      .map((message) => completionChunkSchema.parse(message))
      .map((chunk) => chunk.choices[0]?.delta.content ?? '')
      .join('');
    expect(chunks[0]?.choices[0]?.delta.content).toBe(liveText);
    expect(completionResultSchema.parse(whole).choices[0]?.message.content).toBe(liveText);
  });

  it("never serves one tenant another tenant's entry", async () => {
    const job = freshJob();
    await install.submit(job).then((inbox) => inbox.final());
    const before = await calls();
    const other = await install
      .submit({ ...freshJob(), tenant: 'other-tenant', request: job.request })
      .then((inbox) => inbox.final());
    expect(other).toMatchObject({ switchyard: { cache_hit: false } });
    expect(await calls()).toBe(before + 1);
  });

  it('honours no_cache, no_store and a per-request ttl', async () => {
    const job = freshJob('cached', { cache: { no_store: true } });
    await install.submit(job).then((inbox) => inbox.final());
    const before = await calls();
    const notStored = await install
      .submit({ ...freshJob(), request: job.request })
      .then((inbox) => inbox.final());
    expect(notStored).toMatchObject({ switchyard: { cache_hit: false } });
    const skipped = await install
      .submit({ ...freshJob(), request: job.request, cache: { no_cache: true } })
      .then((inbox) => inbox.final());
    expect(skipped).toMatchObject({ switchyard: { cache_hit: false } });
    expect(await calls()).toBe(before + 2);

    const short = freshJob('cached', { cache: { ttl: 1 } });
    await install.submit(short).then((inbox) => inbox.final());
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const expired = await install
      .submit({ ...freshJob(), request: short.request })
      .then((inbox) => inbox.final());
    expect(expired).toMatchObject({ switchyard: { cache_hit: false } });
  });

  it('coalesces identical requests in flight into one provider call', async () => {
    await servers.sim.setLatency(install.simName('cached'), { ttftMs: 300 });
    const template = freshJob();
    const before = await calls();
    const inboxes = await Promise.all(
      Array.from({ length: 8 }, () => install.submit({ ...freshJob(), request: template.request })),
    );
    const answers = await Promise.all(inboxes.map((inbox) => inbox.final(10_000)));
    await servers.sim.setLatency(install.simName('cached'), { ttftMs: 0 });
    expect(await calls()).toBe(before + 1);
    expect(answers.filter((answer) => answer['object'] === 'chat.completion')).toHaveLength(8);
  });

  it('serves a corrupt entry as a miss and replaces it', async () => {
    const job = freshJob();
    await install.submit(job).then((inbox) => inbox.final());
    const entry = entryOf(job);
    await waitUntil(async () => (await install.redis.exists(entry)) === 1);
    await install.redis.set(entry, '{"not":"an answer"}', 'PX', 60_000);
    const before = await calls();
    const answer = await install
      .submit({ ...freshJob(), request: job.request })
      .then((inbox) => inbox.final());
    expect(answer).toMatchObject({ object: 'chat.completion', switchyard: { cache_hit: false } });
    expect(await calls()).toBe(before + 1);
  });

  it('gives every stored answer the configured TTL, and 1 hour when none is configured', async () => {
    const job = freshJob();
    await install.submit(job).then((inbox) => inbox.final());
    const entry = entryOf(job);
    await waitUntil(async () => (await install.redis.exists(entry)) === 1);
    const ttl = await install.redis.pttl(entry);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const defaults = parseConfig(
      'model_list: [{ model_name: m, litellm_params: { model: openai/gpt-4o, api_key: k } }]\nlitellm_settings: { cache: true }',
      { env: {} },
    ).config.cache;
    const plan = new ResponseCache(install.redis, defaults, 'x:').plan(
      completionJobSchema.parse(job),
    );
    expect(plan?.ttlMs).toBe(3_600_000);
  });

  it('caches only the jobs that opt in under cache_params.mode default_off', () => {
    const settings = parseConfig(
      'model_list: [{ model_name: m, litellm_params: { model: openai/gpt-4o, api_key: k } }]\nlitellm_settings: { cache: true, cache_params: { mode: default_off } }',
      { env: {} },
    ).config.cache;
    const cache = new ResponseCache(install.redis, settings, 'x:');
    const job = (cache?: CompletionJob['cache']) =>
      completionJobSchema.parse({ ...freshJob(), ...(cache === undefined ? {} : { cache }) });
    expect(cache.plan(job())).toBeUndefined();
    expect(cache.plan(job({ use_cache: false }))).toBeUndefined();
    expect(cache.plan(job({ use_cache: true }))).toMatchObject({ read: true, write: true });
    expect(cache.plan(job({ use_cache: true, no_store: true }))).toMatchObject({
      read: true,
      write: false,
    });
    const on = new ResponseCache(install.redis, { ...settings, mode: 'default_on' }, 'x:');
    expect(on.plan(job())).toMatchObject({ read: true, write: true });
  });

  it("keeps a live call's claim by renewing it, and a dead worker's claim expires within its TTL", async () => {
    const dying = new Redis(servers.redis.url);
    const claimTtlMs = 300;
    const holder = new ResponseCache(dying, install.config.cache, `${install.prefix}:`, {
      claimTtlMs,
    });
    const other = new ResponseCache(install.redis, install.config.cache, `${install.prefix}:`, {
      claimTtlMs,
    });
    const key = `${install.prefix}:claim-spec`;
    expect(await holder.claim(key)).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 4 * claimTtlMs));
    expect(await other.claim(key)).toBeUndefined();
    const left = await install.redis.pttl(`${key}:computing`);
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(claimTtlMs);

    dying.disconnect(); // the holder dies: nothing renews its claim any more
    await waitUntil(async () => (await install.redis.exists(`${key}:computing`)) === 0, 5_000);
    const taken = await other.claim(key);
    expect(taken).toBeDefined();
    if (taken !== undefined) await other.release(taken);
    expect(await install.redis.exists(`${key}:computing`)).toBe(0);
  });
});
