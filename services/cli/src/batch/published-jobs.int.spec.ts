import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Switchyard } from '@switchyard/client';
import { parseConfig } from '@switchyard/config';
import { createSubjects } from '@switchyard/contracts';
import {
  closeNats,
  connectNats,
  provisionTopology,
  publishDeadLetter,
  publishReply,
} from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captured } from '../cli-output.test-support';
import { answeringWorker, completion } from './batch-fixtures.test-support';
import { parseBatchInput, type BatchRequest } from '@switchyard/batches';
import { findPublishedJobs } from './published-jobs';
import { journalPathFor, runBatch } from './run-batch';

const logger = createLogger({ name: 'published-jobs-spec', level: 'silent' });
let server: TestServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startTestNats();
  nc = await connectNats({ servers: server.url, name: 'published-jobs-spec', logger });
});
afterAll(async () => {
  if (nc) await closeNats(nc);
  await server?.stop();
});

/** An installation whose duplicate window is 1 s, so a test can outlive it. */
async function installation(label: string, batchId: string) {
  const prefix = uniquePrefix(label);
  await provisionTopology(nc, {
    subjectRoot: prefix,
    streamPrefix: prefix,
    storage: 'memory',
    models: ['alpha'],
    ackWaitMs: 30_000,
    duplicateWindowMs: 1_000,
    logger,
  });
  const input = Array.from({ length: 5 }, (_, i) =>
    JSON.stringify({
      custom_id: `r${i}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'alpha', messages: [{ role: 'user', content: `q${i}` }] },
    }),
  ).join('\n');
  const { requests } = parseBatchInput(input, {
    batchId,
    tenant: 'default',
    models: new Set(['alpha']),
  });
  const subjects = createSubjects(prefix);
  const client = new Switchyard({ nc, subjectRoot: prefix, streamPrefix: prefix });
  const deadLetter = (request: BatchRequest) =>
    publishDeadLetter(
      jetstream(nc),
      {
        v: 1,
        id: request.jobId,
        tenant: 'default',
        model: 'alpha',
        request: { messages: [{ role: 'user', content: 'q' }] },
        submitted_at: Date.now(),
      },
      { errorType: 'server', attempt: 3, replyTo: subjects.results('default', batchId), subjects },
    );
  return { prefix, subjects, client, requests, deadLetter };
}

const at = (requests: BatchRequest[], i: number): BatchRequest => {
  const request = requests[i];
  if (request === undefined) throw new Error(`no request ${i}`);
  return request;
};

describe('findPublishedJobs against a real nats-server', () => {
  it('finds jobs still queued and jobs ever dead-lettered, and nothing else', async () => {
    const { prefix, client, requests, deadLetter } = await installation('find-published', 'b-find');
    await client.batches.submit('b-find', [at(requests, 0).job]);
    await deadLetter(at(requests, 1));
    const found = await findPublishedJobs(
      nc,
      { subjectRoot: prefix, streamPrefix: prefix, tenant: 'default' },
      new Set(requests.map((r) => r.jobId)),
    );
    expect(found).toEqual(new Set([at(requests, 0).jobId, at(requests, 1).jobId]));
    const otherTenant = await findPublishedJobs(
      nc,
      { subjectRoot: prefix, streamPrefix: prefix, tenant: 'acme' },
      new Set(requests.map((r) => r.jobId)),
    );
    expect(otherTenant.size).toBe(0);
  });
});

describe('runBatch resumed after the duplicate window has passed', () => {
  it('does not publish again a job whose publish began but was not journaled', async () => {
    const batchId = 'b-late';
    const { prefix, subjects, client, requests, deadLetter } = await installation(
      'late-resume',
      batchId,
    );
    const [r0, r1, r2] = [at(requests, 0), at(requests, 1), at(requests, 2)];
    // A killed run: r0 and r1 were being published (r0 still queued; r1 failed on its model
    // and is with the fallback router); r2 was about to be, and never was.
    const outputPath = join(mkdtempSync(join(tmpdir(), 'sy-late-')), 'results.jsonl');
    writeFileSync(
      journalPathFor(outputPath),
      `{"batch_id":"${batchId}"}\n{"publishing":"r0"}\n{"publishing":"r1"}\n{"publishing":"r2"}\n`,
    );
    await client.batches.submit(batchId, [r0.job]);
    await deadLetter(r1);
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the duplicate window

    const served = new Map<string, number>();
    const out = captured();
    const running = runBatch(nc, {
      batchId,
      tenant: 'default',
      requests,
      outputPath,
      concurrency: 2,
      config: parseConfig(
        [
          'model_list:',
          '  - model_name: alpha',
          '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
          `switchyard: { nats: { servers: "${server.url}", subject_root: ${prefix}, stream_prefix: ${prefix} } }`,
        ].join('\n'),
        { env: {} },
      ).config,
      out: out.stream,
      err: captured().stream,
    });
    const worker = await answeringWorker(nc, prefix, served);
    // The fallback router's model answers r1 in its own time.
    await publishReply(nc, subjects.results('default', batchId), completion(r1.jobId), {
      subjects,
      msgId: `${r1.jobId}:final`,
    });
    expect(await running).toBe(0);
    await worker.stop({ graceMs: 1_000 });

    expect(served.get(r0.jobId)).toBe(1);
    expect(served.has(r1.jobId)).toBe(false);
    expect(served.get(r2.jobId)).toBe(1);
    const ids = readFileSync(outputPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { custom_id: string }).custom_id);
    expect(ids.sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });
});
