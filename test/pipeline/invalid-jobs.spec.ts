import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createInbox, headers } from '@nats-io/nats-core';
import { NotFoundError } from '@switchyard/client';
import { createSubjects, streamNames, tenantInboxPrefix } from '@switchyard/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInstallation,
  question,
  questionMessages,
  startPipeline,
  startPipelineServers,
  waitUntil,
  type Installation,
  type PipelineServers,
  type RunningPipeline,
} from './pipeline-harness.test-support';

/** An error reply, as it arrives on the reply inbox. */
interface WireErrorReply {
  object: string;
  error: { type: string; code: string; message: string; status: number };
  switchyard: { job_id: string | null };
}

describe('pipeline: bad jobs published raw on NATS get a clear error at once', () => {
  let servers: PipelineServers;
  let install: Installation;
  let pipeline: RunningPipeline;

  beforeAll(async () => {
    servers = await startPipelineServers();
    install = createInstallation(servers, 'pipe-invalid', { models: { known: 'openai' } });
    pipeline = await startPipeline(servers, install, ['openai']);
  });

  afterAll(async () => {
    await pipeline?.stop();
    await servers?.stop();
  });

  /** Publishes `body` to a model's jobs subject as a plain NATS client would; resolves to the reply. */
  async function publishRaw(
    model: string,
    jobId: string,
    body: string,
  ): Promise<{ reply: WireErrorReply; ms: number }> {
    const { nc } = pipeline;
    const inbox = createInbox(tenantInboxPrefix('default'));
    const sub = nc.subscribe(inbox, { max: 1 });
    await nc.flush();
    const hdrs = headers();
    hdrs.set('Nats-Msg-Id', jobId);
    hdrs.set('Switchyard-Reply-To', inbox);
    hdrs.set('Switchyard-Contract', '1');
    const started = Date.now();
    const subjects = createSubjects(install.prefix);
    await jetstream(nc).publish(subjects.jobs('default', model), body, { headers: hdrs });
    const timer = setTimeout(() => sub.unsubscribe(), 5_000);
    for await (const msg of sub) {
      clearTimeout(timer);
      return { reply: msg.json<WireErrorReply>(), ms: Date.now() - started };
    }
    throw new Error(`no reply for ${jobId} within 5 s`);
  }

  const validJob = (id: string, model: string) =>
    JSON.stringify({
      v: 1,
      id,
      tenant: 'default',
      model,
      submitted_at: Date.now(),
      request: { messages: questionMessages },
    });

  async function jobsStored(): Promise<number> {
    const jsm = await jetstreamManager(pipeline.nc);
    return (await jsm.streams.info(streamNames(install.prefix).jobs)).state.messages;
  }

  it('malformed JSON: invalid_job', async () => {
    const { reply, ms } = await publishRaw('known', 'raw-malformed', '{"v":1,"id":');
    expect(reply.object).toBe('error');
    expect(reply.error).toMatchObject({ type: 'invalid_job', status: 400 });
    expect(reply.error.message).toMatch(/json/i);
    expect(ms).toBeLessThan(2_000);
    await waitUntil(async () => (await jobsStored()) === 0);
  });

  it('a schema-invalid job: invalid_job naming the problem', async () => {
    const body = JSON.stringify({ v: 1, id: 'raw-schema', tenant: 'default', model: 'known' });
    const { reply, ms } = await publishRaw('known', 'raw-schema', body);
    expect(reply.error).toMatchObject({ type: 'invalid_job', status: 400 });
    expect(reply.error.message).toMatch(/request|submitted_at/);
    expect(ms).toBeLessThan(2_000);
    await waitUntil(async () => (await jobsStored()) === 0);
    expect(servers.sim.stats().total.requests).toBe(0);
  });

  it('an unknown model: not_found / model_not_found, and the job does not stay queued', async () => {
    const { reply, ms } = await publishRaw(
      'no-such-model',
      'raw-unknown',
      validJob('raw-unknown', 'no-such-model'),
    );
    expect(reply).toMatchObject({
      object: 'error',
      error: { type: 'not_found', code: 'model_not_found', status: 404 },
      switchyard: { job_id: 'raw-unknown' },
    });
    expect(reply.error.message).toContain('"no-such-model"');
    expect(reply.error.message).toContain('known');
    expect(ms).toBeLessThan(2_000);
    await waitUntil(async () => (await jobsStored()) === 0, 3_000);
  });

  it('an unknown model through the client: NotFoundError at once', async () => {
    const started = Date.now();
    const call = pipeline.client.chat.completions.create({
      model: 'not-configured',
      messages: [{ role: 'user', content: question }],
    });
    await expect(call).rejects.toBeInstanceOf(NotFoundError);
    await expect(call).rejects.toMatchObject({ code: 'model_not_found' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a known model is left to its workers', async () => {
    const result = await pipeline.client.chat.completions.create({
      model: 'known',
      messages: questionMessages,
    });
    expect(result.switchyard.fallback_path).toEqual(['known']);
  });
});
