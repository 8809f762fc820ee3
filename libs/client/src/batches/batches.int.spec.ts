import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createSubjects, streamNames } from '@switchyard/contracts';
import {
  closeNats,
  connectNats,
  provisionTopology,
  publishReply,
  type JobConsumer,
} from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cannedResult, startFakeWorker } from '../fake-worker.test-support';
import { Switchyard } from '../switchyard';
import type { BatchJob, BatchResult } from './batches';

const logger = createLogger({ name: 'client-batch-spec', level: 'silent' });
const servedModel = 'served-model';
const idleModel = 'idle-model';

function batchJobs(model: string, ids: string[]): BatchJob[] {
  return ids.map((id) => ({
    model,
    messages: [{ role: 'user', content: `triage ${id}` }],
    switchyard: { job_id: id },
  }));
}

async function collect(results: AsyncIterable<BatchResult>, count: number): Promise<BatchResult[]> {
  const out: BatchResult[] = [];
  for await (const result of results) {
    out.push(result);
    if (out.length === count) break;
  }
  return out;
}

describe('client.batches against nats-server and a fake worker', () => {
  let server: TestServer;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let prefix: string;
  let worker: { consumer: JobConsumer };
  let client: Switchyard;

  beforeAll(async () => {
    server = await startTestNats();
    nc = await connectNats({ servers: server.url, name: 'client-batch-spec', logger });
    jsm = await jetstreamManager(nc);
    prefix = uniquePrefix('batch');
    const subjects = createSubjects(prefix);
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      models: [servedModel, idleModel],
      ackWaitMs: 30_000,
      logger,
    });
    worker = await startFakeWorker(nc, {
      model: servedModel,
      streamPrefix: prefix,
      subjects,
      logger,
      answer: () => (job) => [cannedResult(job, `answer to ${job.id}`)],
    });
    client = new Switchyard({ nc, subjectRoot: prefix, streamPrefix: prefix });
  });

  afterAll(async () => {
    await worker?.consumer.stop({ graceMs: 0 });
    if (nc) await closeNats(nc);
    await server?.stop();
  });

  it('stores each job once when the same batch is submitted twice', async () => {
    const jobs = batchJobs(idleModel, ['idle-1', 'idle-2', 'idle-3']);
    const first = await client.batches.submit('batch-idle', jobs);
    const again = await client.batches.submit('batch-idle', jobs);
    expect(first).toEqual({
      batchId: 'batch-idle',
      subject: `${prefix}.results.default.batch-idle`,
      queued: 3,
      duplicates: 0,
    });
    expect(again).toMatchObject({ queued: 0, duplicates: 3 });
    // Batch jobs wait in the tenant's batch lane of the model (workers make its consumer).
    const lane = `${prefix}.jobs.default.${idleModel}.batch`;
    const info = await jsm.streams.info(streamNames(prefix).jobs, { subjects_filter: lane });
    expect(info.state.subjects).toEqual({ [lane]: 3 });
  });

  it('reads results from the durable subject, skips a duplicate final answer, and resumes from a sequence', async () => {
    const ids = ['served-1', 'served-2', 'served-3'];
    await client.batches.submit('batch-served', batchJobs(servedModel, ids));
    const all = await collect(client.batches.results('batch-served'), 3);
    expect(all.map((r) => r.jobId).sort()).toEqual(ids);
    expect(all.every((r) => r.reply.object === 'chat.completion')).toBe(true);

    // The same job answered again (a crashed worker's job served twice), stored as a new message.
    const [repeated, second, third] = all;
    if (repeated?.reply.object !== 'chat.completion' || !second || !third) {
      throw new Error('expected three results');
    }
    await publishReply(nc, `${prefix}.results.default.batch-served`, repeated.reply, {
      subjects: createSubjects(prefix),
    });
    const everything: BatchResult[] = [];
    for await (const r of client.batches.results('batch-served', { follow: false })) {
      everything.push(r);
    }
    expect(everything.map((r) => r.seq)).toEqual(all.map((r) => r.seq));

    const resumed: BatchResult[] = [];
    for await (const r of client.batches.results('batch-served', {
      fromSeq: second.seq + 1,
      follow: false,
    })) {
      resumed.push(r);
    }
    expect(resumed.map((r) => r.jobId)).toEqual([third.jobId, repeated.jobId]);
  });

  it('ends a following reader when its signal aborts, and reads nothing for an empty batch', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const got = await collect(
      client.batches.results('batch-empty', { signal: controller.signal }),
      1,
    );
    expect(got).toEqual([]);
    const none: BatchResult[] = [];
    for await (const r of client.batches.results('batch-empty', { follow: false })) none.push(r);
    expect(none).toEqual([]);
  });
});
