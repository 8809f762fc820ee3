import { jetstreamManager, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  CONTRACT_VERSION,
  createSubjects,
  makeError,
  makeErrorReply,
  type AnswerRecordInput,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishAnswerRecord, readAnswerRecord } from './answer-records';
import { makeJob } from './job-fixtures.test-support';
import { closeNats, connectNats } from './connection';
import { StreamPublisher } from './stream-publisher';

const logger = createLogger({ name: 'answer-records-spec', level: 'silent' });

describe('answer records against nats-server', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: StreamPublisher;
  let subjects: SwitchyardSubjects;
  let stream: string;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'answer-records-spec', logger });
    const prefix = uniquePrefix('answers');
    subjects = createSubjects(prefix);
    stream = `${prefix}_ANSWERS`;
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: stream,
      subjects: [`${prefix}.answers.>`],
      storage: StorageType.Memory,
      max_msgs_per_subject: 1,
      allow_direct: true,
    });
    publisher = new StreamPublisher(nc, { inboxPrefix: '_INBOX_answers_spec', timeoutMs: 2_000 });
  });

  afterAll(async () => {
    publisher?.close();
    if (nc !== undefined) await closeNats(nc);
    await server?.stop();
  });

  const answered = (jobId: string): AnswerRecordInput => ({
    v: CONTRACT_VERSION,
    job_id: jobId,
    tenant: 'acme',
    hop: 0,
    outcome: 'answered',
    reply: makeErrorReply(makeError('rate_limit', 'rate_limited', 'slow down, "please" ✓'), jobId),
    usage: [],
    at: 1_765_000_000_000,
  });

  it('writes a reply given already serialized into the record as it is, and it reads back the same', async () => {
    const whole = answered('job-whole');
    const spliced = answered('job-spliced');
    const replyJson = JSON.stringify(spliced.reply);
    await publishAnswerRecord(publisher, whole, { subjects });
    await publishAnswerRecord(publisher, spliced, { subjects, replyJson });

    const stored = await jsm.direct.getMessage(stream, {
      last_by_subj: subjects.answers('acme', 'job-spliced'),
    });
    expect(stored?.string()).toContain(`"reply":${replyJson}}`);
    const readWhole = await readAnswerRecord(jsm, { stream, subjects }, 'acme', 'job-whole');
    const readSpliced = await readAnswerRecord(jsm, { stream, subjects }, 'acme', 'job-spliced');
    expect(readWhole).toEqual(whole);
    expect(readSpliced).toEqual(spliced);
  });

  it('ignores reply JSON for a record without a reply (a dead letter): it is serialized whole', async () => {
    const job = makeJob({ id: 'job-dead', tenant: 'acme' });
    const record: AnswerRecordInput = {
      v: CONTRACT_VERSION,
      job_id: 'job-dead',
      tenant: 'acme',
      hop: 0,
      outcome: 'dead_lettered',
      dead_letter: { error_type: 'rate_limit', job },
      usage: [],
      at: 1_765_000_000_000,
    };
    await publishAnswerRecord(publisher, record, { subjects, replyJson: '{"not":"used"}' });
    const read = await readAnswerRecord(jsm, { stream, subjects }, 'acme', 'job-dead');
    expect(read?.dead_letter?.job.id).toBe('job-dead');
    expect(read?.reply).toBeUndefined();
  });
});
