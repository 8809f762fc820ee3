import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { Switchyard } from '@switchyard/client';
import { parseConfig } from '@switchyard/config';
import { createSubjects } from '@switchyard/contracts';
import { closeNats, connectNats, provisionTopology, publishReply } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captured } from '../cli-output.test-support';
import { answeringWorker, completion } from './batch-fixtures.test-support';
import { parseBatchInput } from '@switchyard/batches';
import { journalPathFor, runBatch } from './run-batch';

const logger = createLogger({ name: 'run-batch-spec', level: 'silent' });
let server: TestServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startTestNats();
  nc = await connectNats({ servers: server.url, name: 'run-batch-spec', logger });
});
afterAll(async () => {
  if (nc) await closeNats(nc);
  await server?.stop();
});

describe('runBatch resuming after a crash, against a real nats-server', () => {
  it('keeps answered lines, collects stored results, awaits journaled jobs and never serves one twice', async () => {
    const prefix = uniquePrefix('run-batch');
    const yaml = [
      'model_list:',
      '  - model_name: alpha',
      '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
      'switchyard:',
      `  nats: { servers: "${server.url}", subject_root: ${prefix}, stream_prefix: ${prefix}, storage: memory }`,
    ].join('\n');
    const { config } = parseConfig(yaml, { env: {} });
    await provisionTopology(nc, {
      subjectRoot: prefix,
      streamPrefix: prefix,
      storage: 'memory',
      models: ['alpha'],
      ackWaitMs: 30_000,
      logger,
    });
    const batchId = 'b-crash';
    const input = Array.from({ length: 6 }, (_, i) =>
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
    const [r0, r1, r2, r3] = requests;
    if (!r0 || !r1 || !r2 || !r3) throw new Error('expected six requests');

    // The state a killed run left: r0 answered and written (its line torn off after it);
    // r1 answered in LLM_RESULTS but not written; r2 journaled and still queued;
    // r3 published but killed before its journal line; r4, r5 never published.
    const dir = mkdtempSync(join(tmpdir(), 'sy-run-batch-'));
    const outputPath = join(dir, 'results.jsonl');
    writeFileSync(
      outputPath,
      `${JSON.stringify({ custom_id: 'r0', response: null, error: { code: 'x', message: 'earlier' } })}\n{"custom_id":"r`,
    );
    writeFileSync(journalPathFor(outputPath), `{"batch_id":"${batchId}"}\n"r0"\n"r1"\n"r2"\n`);
    const client = new Switchyard({ nc, subjectRoot: prefix, streamPrefix: prefix });
    // r1 was served and acked already: only its result remains.
    await client.batches.submit(batchId, [r2.job, r3.job]);
    const served = new Map<string, number>([[r1.jobId, 1]]);
    await publishReply(
      nc,
      createSubjects(prefix).results('default', batchId),
      completion(r1.jobId),
      {
        subjects: createSubjects(prefix),
        msgId: `${r1.jobId}:final`,
      },
    );

    const worker = await answeringWorker(nc, prefix, served);
    const out = captured();
    const err = captured();
    const code = await runBatch(nc, {
      batchId,
      tenant: 'default',
      requests,
      outputPath,
      concurrency: 2,
      config,
      out: out.stream,
      err: err.stream,
    });
    await worker.stop({ graceMs: 1_000 });

    expect(code).toBe(0);
    const lines = readFileSync(outputPath, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { custom_id: string; response: { status_code: number } | null });
    expect(lines.map((l) => l.custom_id).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(lines.filter((l) => l.response?.status_code === 200)).toHaveLength(5);
    for (const request of requests.slice(1))
      expect(served.get(request.jobId), request.customId).toBe(1);
    expect(out.text()).toContain(
      '6 requests, 5 succeeded, 0 failed in this run, 1 answered in an earlier run',
    );
    expect(err.text()).toMatch(/6\/6 done, 0 failed/);
  });
});
