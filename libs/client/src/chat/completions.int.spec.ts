import type { NatsConnection } from '@nats-io/nats-core';
import { createSubjects, type CompletionChunk, type ErrorType } from '@switchyard/contracts';
import { jetstreamManager } from '@nats-io/jetstream';
import { closeNats, connectNats, provisionTopology, type JobConsumer } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AbortError,
  ContentPolicyError,
  ContextWindowExceededError,
  InvalidJobError,
  OverloadedError,
  RateLimitError,
  ServerError,
  SwitchyardError,
  TimeoutError,
} from '../errors/switchyard.error';
import {
  cannedChunks,
  cannedError,
  cannedResult,
  startFakeWorker,
  type FakeAnswer,
} from '../fake-worker.test-support';
import { Switchyard } from '../switchyard';

const logger = createLogger({ name: 'client-spec', level: 'silent' });
const model = 'openai/gpt-4o';
const messages = [{ role: 'user' as const, content: 'Is this email urgent?' }];

describe('client.chat.completions against nats-server and a fake worker', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let worker: { consumer: JobConsumer; seen: { id: string }[] };
  let client: Switchyard;
  let answer: FakeAnswer;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'client-spec', logger });
    const prefix = uniquePrefix('client');
    const subjects = createSubjects(prefix);
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      models: [model],
      ackWaitMs: 30_000,
      logger,
    });
    worker = await startFakeWorker(nc, {
      model,
      streamPrefix: prefix,
      subjects,
      logger,
      answer: () => answer,
    });
    client = new Switchyard({ nc, subjectRoot: prefix, streamPrefix: prefix, timeoutMs: 5_000 });
  });

  afterAll(async () => {
    await worker?.consumer.stop({ graceMs: 0 });
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  beforeEach(() => {
    answer = (job) => [cannedResult(job, 'yes')];
  });

  it('resolves to the result of the job it published', async () => {
    const result = await client.chat.completions.create({
      model,
      messages,
      temperature: 0,
      switchyard: { job_id: 'client-create-1', tags: ['spec'] },
    });
    expect(result.choices[0]?.message.content).toBe('yes');
    expect(result.switchyard).toMatchObject({ job_id: 'client-create-1', fallback_path: [model] });
    expect(worker.seen.find((job) => job.id === 'client-create-1')).toMatchObject({
      tenant: 'default',
      model,
      tags: ['spec'],
      request: { messages, temperature: 0 },
    });
  });

  it('streams chunks in seq order, dropping a duplicated chunk and anything after the final one', async () => {
    answer = (job) => {
      const [c0, c1, c2, c3] = cannedChunks(job, ['It ', 'is ', 'urgent', '.']);
      if (!c0 || !c1 || !c2 || !c3) throw new Error('expected four chunks');
      return [c1, c0, c1, c2, c2, c3, cannedResult(job, 'late duplicate')];
    };
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    const chunks: CompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.switchyard.seq)).toEqual([0, 1, 2, 3]);
    expect(chunks.map((c) => c.choices[0]?.delta.content).join('')).toBe('It is urgent.');
    expect(chunks.at(-1)).toMatchObject({
      usage: { total_tokens: 7 },
      switchyard: { final: true },
    });
  });

  it('ends a stream whose final chunk came with chunks missing before it: stream_cut, never shortened', async () => {
    answer = (job) => {
      const [c0, , , c3] = cannedChunks(job, ['It ', 'is ', 'urgent', '.']);
      if (!c0 || !c3) throw new Error('expected four chunks');
      return [c0, c3];
    };
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    const chunks: CompletionChunk[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) chunks.push(chunk);
    })().catch((error: unknown) => error);
    expect(chunks.map((c) => c.switchyard.seq)).toEqual([0]);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure).toMatchObject({ code: 'stream_cut' });
  });

  it.each<[ErrorType, new (...args: never[]) => SwitchyardError]>([
    ['rate_limit', RateLimitError],
    ['context_window_exceeded', ContextWindowExceededError],
    ['content_policy', ContentPolicyError],
  ])('turns a %s error reply into its error class', async (type, errorClass) => {
    answer = (job) => [cannedError(job, type)];
    const failure = await client.chat.completions
      .create({ model, messages, switchyard: { job_id: `client-error-${type}` } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(errorClass);
    expect(failure).toBeInstanceOf(SwitchyardError);
    expect(failure).toMatchObject({
      type,
      code: `${type}_code`,
      jobId: `client-error-${type}`,
      deploymentsTried: [{ deployment: `${model}/0`, type }],
    });
  });

  it('throws the error reply from a stream after the chunks before it', async () => {
    answer = (job) => [
      ...cannedChunks(job, ['a', 'b', 'c']).slice(0, 1),
      cannedError(job, 'overloaded'),
    ];
    const stream = await client.chat.completions.create({ model, messages, stream: true });
    const seen: number[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) seen.push(chunk.switchyard.seq);
    })().catch((error: unknown) => error);
    expect(seen).toEqual([0]);
    expect(failure).toMatchObject({ name: 'OverloadedError', type: 'overloaded' });
  });

  it('rejects with a client_timeout TimeoutError when no answer comes in time', async () => {
    answer = () => [];
    const started = Date.now();
    const failure = await client.chat.completions
      .create({ model, messages }, { timeout: 300 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TimeoutError);
    expect(failure).toMatchObject({ type: 'timeout', code: 'client_timeout', retryable: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('rejects with an AbortError when the signal aborts, already or while waiting', async () => {
    answer = () => [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user went away')), 100);
    const failure = await client.chat.completions
      .create({ model, messages }, { signal: controller.signal })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AbortError);
    expect((failure as AbortError).cause).toEqual(new Error('user went away'));
    const stream = await client.chat.completions.create(
      { model, messages, stream: true },
      { signal: AbortSignal.abort() },
    );
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(AbortError);
  });

  it('publishes the cancellation of a job whose caller gave up, and not of one answered', async () => {
    const cancels: string[] = [];
    const sub = nc.subscribe(client.context.subjects.cancelAll, {
      callback: (_error, msg) => void cancels.push(msg.subject),
    });
    answer = () => [];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await client.chat.completions
      .create(
        { model, messages, switchyard: { job_id: 'gave-up.1' } },
        { signal: controller.signal },
      )
      .catch(() => undefined);
    await client.chat.completions
      .create({ model, messages, switchyard: { job_id: 'gave-up.2' } }, { timeout: 100 })
      .catch(() => undefined);
    answer = (job) => [cannedResult(job, 'yes')];
    await client.chat.completions.create({ model, messages, switchyard: { job_id: 'answered' } });
    await nc.flush();
    sub.unsubscribe();
    expect(cancels).toEqual([
      client.context.subjects.cancel('default', 'gave-up.1'),
      client.context.subjects.cancel('default', 'gave-up.2'),
    ]);
  });

  it('ignores a duplicate result for the same job', async () => {
    answer = (job) => [cannedResult(job, 'first'), cannedResult(job, 'second')];
    const result = await client.chat.completions.create({ model, messages });
    expect(result.choices[0]?.message.content).toBe('first');
    answer = (job) => [cannedResult(job, 'next job')];
    const next = await client.chat.completions.create({ model, messages });
    expect(next.choices[0]?.message.content).toBe('next job');
  });

  it('refuses an invalid job without publishing it', async () => {
    const before = worker.seen.length;
    const failure = await client.chat.completions
      .create({ model, messages: [], switchyard: { job_id: 'client-invalid' } })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidJobError);
    expect((failure as InvalidJobError).message).toContain('request.messages');
    expect(worker.seen.length).toBe(before);
  });

  it('refuses a model the installation does not have when it knows its models', async () => {
    const strict = new Switchyard({
      nc,
      subjectRoot: client.context.subjects.root,
      models: [model],
    });
    const failure = await strict.chat.completions
      .create({ model: 'no-such-model', messages })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidJobError);
    expect(failure).toMatchObject({ code: 'unknown_model', param: 'model', status: 400 });
    const ok = await strict.chat.completions.create({ model, messages });
    expect(ok.choices[0]?.message.content).toBe('yes');
  });

  it('refuses a job with a 503 overloaded error when the jobs stream is full, keeping the queued ones', async () => {
    const prefix = uniquePrefix('full');
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      models: [model],
      ackWaitMs: 30_000,
      // A message limit: nats-server 2.9 would drop queued jobs at a byte limit (ServerFeatures).
      jobsMaxMessages: 10,
      logger,
    });
    const full = new Switchyard({ nc, subjectRoot: prefix, streamPrefix: prefix, timeoutMs: 200 });
    const outcomes: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      outcomes.push(
        await full.chat.completions
          .create({ model, messages, switchyard: { job_id: `full-${i}` } })
          .catch((error: unknown) => error),
      );
    }
    const refused = outcomes.filter((outcome) => outcome instanceof OverloadedError);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ code: 'jobs_stream_full', status: 503, retryable: true });
    const queued = outcomes.length - refused.length;
    expect(outcomes.slice(0, queued).every((o) => o instanceof TimeoutError)).toBe(true);
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(`${prefix}_LLM_JOBS`);
    expect(info.state.messages).toBe(queued);
    expect(info.state.first_seq).toBe(1);
  });
});
