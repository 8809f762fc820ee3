import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type StoredMsg,
} from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { createInbox } from '@nats-io/nats-core';
import { DeadLetterReplayError, listDeadLetters, replayDeadLetter } from '@switchyard/client';
import type { SwitchyardConfig } from '@switchyard/config';
import {
  tenantInboxPrefix,
  createSubjects,
  decodeReply,
  streamNames,
  type CompletionJob,
  type ErrorReply,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import {
  closeNats,
  connectNats,
  provisionTopology,
  publishDeadLetter,
  readHeader,
  switchyardHeaders,
} from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFallbackRouter, type FallbackRouter } from './fallback-router';
import type { DeadLetterOutcome } from './handle-dead-letter';
import { hop, specConfig, specJob } from './spec-fixtures.test-support';

const logger = createLogger({ name: 'fallback-spec', level: 'silent' });

async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Collects the decoded messages arriving on a fresh inbox. */
function listen(nc: NatsConnection): { subject: string; replies: ErrorReply[]; sub: Subscription } {
  const subject = createInbox(tenantInboxPrefix('default'));
  const replies: ErrorReply[] = [];
  const sub = nc.subscribe(subject, {
    callback: (_error, msg) => {
      const decoded = decodeReply(msg.data);
      if (decoded.ok && decoded.reply.object === 'error') replies.push(decoded.reply);
    },
  });
  return { subject, replies, sub };
}

describe('the fallback router against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let prefix: string;
  let subjects: SwitchyardSubjects;
  let config: SwitchyardConfig;
  let router: FallbackRouter;
  const outcomes: DeadLetterOutcome[] = [];

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'fallback-spec', logger });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    prefix = uniquePrefix('fallback');
    subjects = createSubjects(prefix);
    config = specConfig({
      maxFallbacks: 3,
      extra: [
        'switchyard:',
        '  nats:',
        `    subject_root: ${prefix}`,
        `    stream_prefix: ${prefix}`,
      ],
    });
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      models: Object.keys(config.models),
      ackWaitMs: 30_000,
      logger,
    });
    router = await startFallbackRouter({ config, nc, logger, onOutcome: (o) => outcomes.push(o) });
  });

  afterAll(async () => {
    await router?.stop();
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  /** The last job stored on the jobs subject of `model`, if any. */
  async function lastJobFor(model: string): Promise<StoredMsg | undefined> {
    const stored = await jsm.streams
      .getMessage(streamNames(prefix).jobs, { last_by_subj: subjects.jobs('default', model) })
      .catch(() => null);
    return stored ?? undefined;
  }

  function outcomesFor(jobId: string): DeadLetterOutcome[] {
    return outcomes.filter((o) => 'jobId' in o && o.jobId === jobId);
  }

  it("republishes a dead letter to the fallback model's subject with the route kept", async () => {
    const job = specJob({
      id: 'fb-republish',
      model: 'a',
      route: [hop('a', 'rate_limit', 'rate_limit')],
    });
    await publishDeadLetter(js, job, {
      errorType: 'rate_limit',
      attempt: 3,
      replyTo: '_INBOX.default.caller-1',
      subjects,
    });

    const stored = await waitFor(lastJobFor.bind(null, 'b'), 'the job on b');
    const republished = stored.json<CompletionJob>();
    expect(republished).toMatchObject({
      id: job.id,
      model: 'b',
      tenant: 'default',
      route: job.route,
    });
    expect(readHeader(stored.header, 'Nats-Msg-Id')).toBe(`default.${job.id}#1`);
    expect(readHeader(stored.header, 'Switchyard-Reply-To')).toBe('_INBOX.default.caller-1');
    await waitFor(() => (outcomesFor(job.id).length > 0 ? true : undefined), 'the outcome');
    expect(outcomesFor(job.id)).toEqual([
      { action: 'fallback', jobId: job.id, from: 'a', to: 'b' },
    ]);
  });

  it('sends one error reply listing every deployment tried when the chain is spent', async () => {
    const inbox = listen(nc);
    const job = specJob({
      id: 'fb-exhausted',
      model: 'c',
      route: [
        hop('a', 'rate_limit'),
        hop('b', 'overloaded'),
        hop('d', 'server'),
        hop('c', 'server', 'server'),
      ],
    });
    await publishDeadLetter(js, job, {
      errorType: 'server',
      attempt: 3,
      replyTo: inbox.subject,
      subjects,
    });

    await waitFor(() => (inbox.replies.length > 0 ? true : undefined), 'the error reply');
    await new Promise((resolve) => setTimeout(resolve, 300));
    inbox.sub.unsubscribe();
    expect(inbox.replies).toHaveLength(1);
    const { error, switchyard } = inbox.replies[0] as ErrorReply;
    expect(switchyard.job_id).toBe(job.id);
    expect(error).toMatchObject({
      type: 'server',
      code: 'server_code',
      message: 'c failed with server',
      status: 502,
    });
    expect(error.deployments_tried.map((d) => [d.deployment, d.type])).toEqual([
      ['a/0', 'rate_limit'],
      ['b/0', 'overloaded'],
      ['d/0', 'server'],
      ['c/0', 'server'],
      ['c/0', 'server'],
    ]);
  });

  it('handles a duplicate dead letter once', async () => {
    const inbox = listen(nc);
    const job = specJob({ id: 'fb-duplicate', model: 'a', route: [hop('a', 'invalid_job')] });
    const options = {
      errorType: 'invalid_job' as const,
      attempt: 1,
      replyTo: inbox.subject,
      subjects,
    };
    const first = await publishDeadLetter(js, job, options);
    const again = await publishDeadLetter(js, job, options);
    expect([first.duplicate, again.duplicate]).toEqual([false, true]);
    // A second stored copy of the same hop (as if dead-lettered outside the duplicate window).
    await js.publish(subjects.dlq('default', 'a'), JSON.stringify(job), {
      headers: switchyardHeaders({ replyTo: inbox.subject, errorType: 'invalid_job', attempt: 1 }),
    });

    await waitFor(
      () => (outcomesFor(job.id).length === 2 ? true : undefined),
      'both copies handled',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    inbox.sub.unsubscribe();
    expect(outcomesFor(job.id).map((o) => o.action)).toEqual(['final_error', 'duplicate']);
    expect(inbox.replies).toHaveLength(1);
    expect(inbox.replies[0]?.error.type).toBe('invalid_job');
  });

  it('answers an unreadable dead letter with a server error', async () => {
    const inbox = listen(nc);
    await js.publish(subjects.dlq('default', 'a'), '{"id":"fb-garbage","v":1}', {
      headers: switchyardHeaders({ replyTo: inbox.subject, errorType: 'server', attempt: 1 }),
    });
    await waitFor(() => (inbox.replies.length > 0 ? true : undefined), 'the error reply');
    inbox.sub.unsubscribe();
    expect(inbox.replies[0]).toMatchObject({
      error: { type: 'server', code: 'unreadable_dead_letter' },
      switchyard: { job_id: 'fb-garbage' },
    });
  });

  it('keeps dead letters for inspection and replays one to its original model', async () => {
    const job = specJob({ id: 'fb-replay', model: 'e', route: [hop('e', 'auth')] });
    await publishDeadLetter(js, job, {
      errorType: 'auth',
      attempt: 1,
      replyTo: '_INBOX.default.caller-2',
      subjects,
    });
    await waitFor(() => (outcomesFor(job.id).length > 0 ? true : undefined), 'the router');

    const location = { subjectRoot: prefix, streamPrefix: prefix };
    const listed = await listDeadLetters(js, { ...location, model: 'e' });
    expect(listed).toHaveLength(1);
    const [entry] = listed;
    if (entry === undefined) throw new Error('expected one dead letter');
    expect(entry).toMatchObject({
      ok: true,
      errorType: 'auth',
      attempt: 1,
      replyTo: '_INBOX.default.caller-2',
      msgId: `default.${job.id}#1`,
    });
    expect(await listDeadLetters(js, { ...location, tenant: 'someone-else' })).toEqual([]);

    const replayed = await replayDeadLetter(js, entry.seq, location);
    expect(replayed).toMatchObject({
      jobId: job.id,
      model: 'e',
      msgId: `default.${job.id}#1#replay-${entry.seq}`,
    });
    expect(replayed.ack.duplicate).toBe(false);
    const stored = await waitFor(lastJobFor.bind(null, 'e'), 'the replayed job');
    expect(stored.json<CompletionJob>()).toMatchObject({
      id: job.id,
      model: 'e',
      route: job.route,
    });
    expect(readHeader(stored.header, 'Switchyard-Reply-To')).toBe('_INBOX.default.caller-2');
    expect((await replayDeadLetter(js, entry.seq, location)).ack.duplicate).toBe(true);
    await expect(replayDeadLetter(js, 999_999, location)).rejects.toBeInstanceOf(
      DeadLetterReplayError,
    );
  });
});

describe('stopping the fallback router', () => {
  it('stops within its grace even when the server has gone away', async () => {
    const server = await startTestNats();
    const nc = await connectNats({ servers: server.url, name: 'fallback-stop-spec', logger });
    const prefix = uniquePrefix('fallback_stop');
    const config = specConfig({
      extra: [
        'switchyard:',
        '  nats:',
        `    subject_root: ${prefix}`,
        `    stream_prefix: ${prefix}`,
      ],
    });
    const router = await startFallbackRouter({ config, nc, logger });
    await server.stop();
    const started = Date.now();
    await router.stop({ graceMs: 500 });
    expect(Date.now() - started).toBeLessThan(2_000);
    await closeNats(nc, { timeoutMs: 500 });
  });
});
