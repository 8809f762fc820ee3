import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { createInbox, headers as createHeaders, type NatsConnection } from '@nats-io/nats-core';
import { propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import {
  tenantInboxPrefix,
  createSubjects,
  makeErrorReply,
  makeError,
  streamNames,
  usageEventId,
  type SwitchyardSubjects,
  type UsageEventInput,
} from '@switchyard/contracts';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeNats, connectNats } from './connection';
import { consumeJobs, type JobConsumer, type JobDelivery, type JobHandler } from './consume-jobs';
import { makeJob, waitFor } from './job-fixtures.test-support';
import { provisionTopology } from './provision-topology';
import { publishDeadLetter } from './publish-dead-letter';
import { InvalidMessageError } from './messaging.errors';
import { publishJob } from './publish-job';
import { publishReply } from './publish-reply';
import { publishUsageEvent } from './publish-usage-event';
import { W3CTestPropagator } from './w3c-propagator.test-support';

const logger = createLogger({ name: 'messaging-spec', level: 'silent' });
const model = 'openai/gpt-4o';

describe('publishing and consuming jobs against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let prefix: string;
  let subjects: SwitchyardSubjects;
  let names: ReturnType<typeof streamNames>;
  let consumer: JobConsumer | undefined;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'messaging-publish-spec', logger });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  beforeEach(async () => {
    prefix = uniquePrefix('pubsub');
    subjects = createSubjects(prefix);
    names = streamNames(prefix);
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      models: [model],
      ackWaitMs: 30_000,
      resultsMaxAgeMs: 60_000,
      logger,
    });
  });

  afterEach(async () => {
    await consumer?.stop({ graceMs: 0 });
    consumer = undefined;
  });

  /** Consumes the model's jobs into a list, handling each with `handle`. */
  async function collect(handle: JobHandler = (d) => d.control.ack()): Promise<JobDelivery[]> {
    const seen: JobDelivery[] = [];
    consumer = await consumeJobs(nc, {
      model,
      streamPrefix: prefix,
      subjects,
      concurrency: 4,
      pullExpiresMs: 1_000,
      logger,
      handler: async (delivery) => {
        seen.push(delivery);
        await handle(delivery);
      },
    });
    return seen;
  }

  it('stores a job published twice with the same id once', async () => {
    const job = makeJob({ model });
    const first = await publishJob(js, job, { subjects, replyTo: '_INBOX.default.x' });
    const again = await publishJob(js, job, { subjects, replyTo: '_INBOX.default.x' });
    expect([first.duplicate, again.duplicate, again.seq]).toEqual([false, true, first.seq]);
    expect((await jsm.streams.info(names.jobs)).state.messages).toBe(1);
  });

  it('refuses a job larger than max_payload for good, storing nothing', async () => {
    const content = 'x'.repeat((nc.info?.max_payload ?? 1024 * 1024) + 1);
    const job = makeJob({ model, request: { messages: [{ role: 'user', content }] } });
    const publishing = publishJob(js, job, { subjects, replyTo: '_INBOX.default.x' });
    await expect(publishing).rejects.toBeInstanceOf(InvalidMessageError);
    await expect(publishing).rejects.toMatchObject({
      error: { type: 'invalid_job', code: 'request_too_large' },
    });
    expect((await jsm.streams.info(names.jobs)).state.messages).toBe(0);
  });

  it('delivers a published job with its reply subject, and an ack empties the work queue', async () => {
    const job = makeJob({ model, tenant: 'acme' });
    await publishJob(js, job, { subjects, replyTo: '_INBOX.acme.here' });
    const seen = await collect();
    await waitFor(() => seen.length === 1, 5_000, 'the job');
    expect(seen[0]).toMatchObject({
      ok: true,
      job: { id: job.id, tenant: 'acme', model },
      tenant: 'acme',
      replyTo: '_INBOX.acme.here',
      model,
      attempt: 1,
    });
    await waitFor(async () => (await jsm.streams.info(names.jobs)).state.messages === 0);
  });

  it('redelivers a nak(delay) job after the delay, not before', async () => {
    await publishJob(js, makeJob({ model }), { subjects });
    const delayMs = 1_500;
    const deliveredAt: number[] = [];
    const seen = await collect(async (delivery) => {
      deliveredAt.push(Date.now());
      if (delivery.attempt === 1) delivery.control.nak(delayMs);
      else await delivery.control.ack();
    });
    await waitFor(() => seen.length === 2, 6_000, 'the redelivery');
    const [first = 0, second = 0] = deliveredAt;
    expect(second - first).toBeGreaterThanOrEqual(delayMs - 50);
    expect(seen.map((d) => d.attempt)).toEqual([1, 2]);
  });

  it('hands malformed and schema-invalid jobs to the handler as errors with their reply subject', async () => {
    const subject = subjects.jobs('default', model);
    const raw = (body: string, replyTo: string) => {
      const headers = createHeaders();
      headers.set('Switchyard-Reply-To', replyTo);
      return js.publish(subject, body, { headers });
    };
    await raw('{"v":1, "id": "broken', '_INBOX.default.malformed');
    await raw(
      JSON.stringify({ ...makeJob({ model, id: 'bad-1' }), request: 7 }),
      '_INBOX.default.invalid',
    );
    const seen = await collect();
    await waitFor(() => seen.length === 2, 5_000, 'both bad jobs');
    const byReply = new Map(seen.map((d) => [d.replyTo, d]));
    expect(byReply.get('_INBOX.default.malformed')).toMatchObject({
      ok: false,
      jobId: null,
      error: { type: 'invalid_job', code: 'malformed_json' },
    });
    expect(byReply.get('_INBOX.default.invalid')).toMatchObject({
      ok: false,
      jobId: 'bad-1',
      error: { type: 'invalid_job', code: 'schema_mismatch', param: 'request' },
    });
  });

  it('carries the W3C trace context from publish to consume', async () => {
    propagation.setGlobalPropagator(new W3CTestPropagator());
    try {
      const parent = {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags: TraceFlags.SAMPLED,
      };
      const traceContext = trace.setSpanContext(ROOT_CONTEXT, parent);
      await publishJob(js, makeJob({ model }), { subjects, traceContext });
      const seen = await collect();
      await waitFor(() => seen.length === 1, 5_000, 'the job');
      expect(trace.getSpanContext(seen[0]?.traceContext ?? ROOT_CONTEXT)).toMatchObject({
        ...parent,
        isRemote: true,
      });
    } finally {
      propagation.disable();
    }
  });

  it('sends replies over core NATS to an inbox and stores them for a results subject', async () => {
    const inbox = createInbox(tenantInboxPrefix('default'));
    const received = nc.subscribe(inbox, { max: 1 });
    const reply = makeErrorReply(makeError('invalid_job', 'schema_mismatch', 'bad'), 'j-9');
    expect(await publishReply(nc, inbox, reply, { subjects })).toEqual({ durable: false });
    for await (const msg of received) {
      expect(msg.json()).toEqual(reply);
      expect(msg.headers?.get('Switchyard-Contract')).toBe('1');
    }

    const batch = subjects.results('default', 'batch-1');
    const stored = await publishReply(nc, batch, reply, { subjects, msgId: 'j-9:final' });
    const again = await publishReply(nc, batch, reply, { subjects, msgId: 'j-9:final' });
    expect(stored.durable && again.durable && [stored.ack.stream, again.ack.duplicate]).toEqual([
      names.results,
      true,
    ]);
    expect((await jsm.streams.info(names.results)).state.messages).toBe(1);
  });

  it('stores a usage event once per id, and a dead letter with its headers', async () => {
    const event: UsageEventInput = {
      v: 1,
      id: usageEventId({
        tenant: 'default',
        job_id: 'j-1',
        fallback_depth: 0,
        attempt: 1,
        call_id: '0123456789abcdef',
      }),
      job_id: 'j-1',
      tenant: 'default',
      model,
      deployment: 'gpt-4o-eu',
      provider: 'openai',
      provider_model: 'gpt-4o',
      status: 'success',
      prompt_tokens: 10,
      completion_tokens: 5,
      cached_tokens: 0,
      reasoning_tokens: 0,
      cost_usd: 0.0001,
      cost_saved_usd: 0,
      queue_ms: 3,
      provider_ms: 400,
      total_ms: 410,
      attempt: 1,
      fallback_depth: 0,
      at: Date.now(),
    };
    const first = await publishUsageEvent(js, event, { subjects });
    const again = await publishUsageEvent(js, event, { subjects });
    expect([first.stream, first.duplicate, again.duplicate]).toEqual([names.usage, false, true]);

    const job = makeJob({ model });
    const dead = await publishDeadLetter(js, job, {
      subjects,
      errorType: 'rate_limit',
      attempt: 4,
      replyTo: 'reply.dlq',
    });
    const stored = await jsm.streams.getMessage(names.dlq, { seq: dead.seq });
    expect(stored?.subject).toBe(subjects.dlq('default', model));
    expect(stored?.header.get('Switchyard-Error-Type')).toBe('rate_limit');
    expect(stored?.header.get('Switchyard-Attempt')).toBe('4');
    expect(stored?.header.get('Switchyard-Reply-To')).toBe('reply.dlq');
    expect(stored?.header.get('Nats-Msg-Id')).toBe(`default.${job.id}`);
  });
});
