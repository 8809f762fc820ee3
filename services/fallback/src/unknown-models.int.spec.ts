import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { createInbox, type NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardConfig } from '@switchyard/config';
import {
  createSubjects,
  tenantInboxPrefix,
  decodeReply,
  streamNames,
  type ReplyMessage,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { closeNats, connectNats, provisionTopology, publishJob } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFallbackRouter, type FallbackRouter } from './fallback-router';
import { specConfig, specJob } from './spec-fixtures.test-support';

const logger = createLogger({ name: 'unknown-models-spec', level: 'silent' });

describe('the fallback router answers jobs for models that are not configured', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let prefix: string;
  let subjects: SwitchyardSubjects;
  let config: SwitchyardConfig;
  let router: FallbackRouter;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'unknown-models-spec', logger });
    js = jetstream(nc);
    prefix = uniquePrefix('unknown');
    subjects = createSubjects(prefix);
    config = specConfig({
      extra: ['switchyard:', `  nats: { subject_root: ${prefix}, stream_prefix: ${prefix} }`],
    });
    // A worker with a newer config serves "newer-model" too; the router does not know it.
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      models: [...Object.keys(config.models), 'newer-model'],
      ackWaitMs: 30_000,
      logger,
    });
    router = await startFallbackRouter({ config, nc, logger });
  });

  afterAll(async () => {
    await router?.stop();
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  /** Publishes a job for `model` and collects what arrives on its reply inbox within `ms`. */
  async function submit(model: string, id: string, ms = 600): Promise<ReplyMessage[]> {
    const inbox = createInbox(tenantInboxPrefix('default'));
    const replies: ReplyMessage[] = [];
    const sub = nc.subscribe(inbox, {
      callback: (_error, msg) => {
        const decoded = decodeReply(msg.data);
        if (decoded.ok) replies.push(decoded.reply);
      },
    });
    await nc.flush();
    await publishJob(js, specJob({ id, model }), { replyTo: inbox, subjects });
    await new Promise((resolve) => setTimeout(resolve, ms));
    sub.unsubscribe();
    return replies;
  }

  async function storedOn(model: string): Promise<number> {
    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(streamNames(prefix).jobs, {
      subjects_filter: subjects.jobs('default', model),
    });
    return info.state.subjects?.[subjects.jobs('default', model)] ?? 0;
  }

  it('sends not_found / model_not_found at once and removes the job from the stream', async () => {
    const replies = await submit('no-such-model', 'unknown-1');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({
      object: 'error',
      error: { type: 'not_found', code: 'model_not_found', status: 404, param: 'model' },
      switchyard: { job_id: 'unknown-1' },
    });
    expect(await storedOn('no-such-model')).toBe(0);
  });

  it('leaves jobs of configured models alone', async () => {
    expect(await submit('a', 'known-1', 300)).toEqual([]);
    expect(await storedOn('a')).toBe(1);
  });

  it('leaves jobs of a model whose consumer exists (a newer config) alone', async () => {
    expect(await submit('newer-model', 'newer-1', 300)).toEqual([]);
    expect(await storedOn('newer-model')).toBe(1);
  });
});
