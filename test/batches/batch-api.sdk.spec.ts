import { bucketSettingsOf, startBatchRunner, type BatchRunner } from '@switchyard/batch';
import { jetstream } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { BatchStore, completionWindowMs, newBatchRecord } from '@switchyard/batches';
import { filesBucketName } from '@switchyard/contracts';
import OpenAI, { BadRequestError, ConflictError, NotFoundError, toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack } from '../gateway/gateway-stack.test-support';
import { readUsageEvents } from '../cluster/usage-events.test-support';
import { quietLogger, questionMessages } from '../pipeline/pipeline-harness.test-support';

/** One input line of a batch: a chat completion for `model`. */
function line(customId: string, model = 'triage', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: questionMessages, ...extra },
  });
}

const jsonl = (lines: readonly string[]) => `${lines.join('\n')}\n`;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`not done after ${ms} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const finalStatuses = new Set(['completed', 'failed', 'expired', 'cancelled']);

/**
 * The unchanged openai SDK drives the Files and Batch API of the gateway, with the batch runner,
 * real workers and the provider simulator behind it; the simulator's call ledger proves each
 * line was called once.
 */
describe('openai SDK: Files and Batch API', () => {
  let stack: GatewayStack;
  let runner: BatchRunner;
  let acme: OpenAI;
  let other: OpenAI;
  const calls = (model: string) =>
    stack.servers.sim.calls({ deployment: stack.install.simName(model) }).length;

  beforeAll(async () => {
    stack = await startGatewayStack(
      'batch-api',
      {
        models: { triage: 'openai', slow: 'openai', spare: 'anthropic' },
        batches: '{ max_in_flight: 8, lease_seconds: 3 }',
      },
      ['openai', 'anthropic'],
    );
    runner = await startBatchRunner({
      config: stack.install.config,
      nc: stack.pipeline.nc,
      logger: quietLogger,
      progressEveryMs: 100,
      settleGraceMs: 5_000,
    });
    const acmeKey = await stack.keys.create({ tenant: 'acme', models: ['triage', 'slow'] });
    const otherKey = await stack.keys.create({ tenant: 'other' });
    const baseURL = `${stack.gateway.url}/v1`;
    acme = new OpenAI({ apiKey: acmeKey.secret, baseURL, maxRetries: 0 });
    other = new OpenAI({ apiKey: otherKey.secret, baseURL, maxRetries: 0 });
  });
  afterAll(async () => {
    await runner?.stop();
    await stack?.stop();
  });

  it('runs a batch to completion: one provider call and one output line per request, with cost', async () => {
    const before = calls('triage');
    const input = Array.from({ length: 12 }, (_, i) => line(`req-${i}`));
    const file = await acme.files.create({
      file: await toFile(Buffer.from(jsonl(input)), 'emails.jsonl'),
      purpose: 'batch',
    });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'emails.jsonl' });
    expect(file.bytes).toBe(Buffer.byteLength(jsonl(input)));
    const created = await acme.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { run: 'nightly' },
    });
    expect(created.status).toBe('validating');
    const batch = await until(
      () => acme.batches.retrieve(created.id),
      (b) => finalStatuses.has(b.status),
    );
    expect(batch.status).toBe('completed');
    expect(batch.request_counts).toEqual({ total: 12, completed: 12, failed: 0 });
    expect(batch.metadata).toEqual({ run: 'nightly' });
    expect(batch.in_progress_at).not.toBeNull();
    expect(batch.finalizing_at).not.toBeNull();
    expect(batch.completed_at).not.toBeNull();
    expect(batch.error_file_id).toBeNull();
    expect(calls('triage') - before).toBe(12);

    const output = await (await acme.files.content(batch.output_file_id as string)).text();
    const lines = output
      .trim()
      .split('\n')
      .map((text) => JSON.parse(text) as OutputLine);
    expect(lines.map((l) => l.custom_id).sort()).toEqual(input.map((_, i) => `req-${i}`).sort());
    for (const out of lines) {
      expect(out.response?.status_code).toBe(200);
      expect(out.response?.body.object).toBe('chat.completion');
      expect(out.response?.body.usage.total_tokens).toBeGreaterThan(0);
      expect(out.response?.body.switchyard.cost_usd).toBeGreaterThan(0);
    }
    const outputFile = await acme.files.retrieve(batch.output_file_id as string);
    expect(outputFile.purpose).toBe('batch_output');
  });

  it('fails a batch in validation, naming each bad line', async () => {
    const before = calls('triage');
    const input = [
      line('ok-1'),
      '{ not json',
      line('ok-1'),
      line('other-model', 'spare'),
      line('missing', 'no-such-model'),
      JSON.stringify({ custom_id: 'x', method: 'POST', url: '/v1/embeddings', body: {} }),
    ];
    const file = await acme.files.create({
      file: await toFile(Buffer.from(jsonl(input)), 'bad.jsonl'),
      purpose: 'batch',
    });
    const created = await acme.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const batch = await until(
      () => acme.batches.retrieve(created.id),
      (b) => finalStatuses.has(b.status),
    );
    expect(batch.status).toBe('failed');
    expect(batch.failed_at).not.toBeNull();
    const lines = batch.errors?.data?.map((e) => e.line);
    expect(new Set(lines)).toEqual(new Set([2, 3, 4, 5, 6]));
    const byLine = (n: number) => batch.errors?.data?.find((e) => e.line === n)?.message ?? '';
    expect(byLine(2)).toMatch(/malformed JSON/);
    expect(byLine(3)).toMatch(/duplicate custom_id/);
    expect(byLine(4)).toMatch(/may not use model "spare"/);
    expect(byLine(5)).toMatch(/unknown model "no-such-model"/);
    expect(byLine(6)).toMatch(/url must be "\/v1\/chat\/completions"/);
    expect(calls('triage') - before).toBe(0);
  });

  it('cancels a running batch: submission stops, queued jobs are cancelled, done lines kept', async () => {
    stack.servers.sim.setLatency({ ttftMs: 400 }, { deployment: stack.install.simName('slow') });
    const input = Array.from({ length: 60 }, (_, i) => line(`slow-${i}`, 'slow'));
    const file = await acme.files.create({
      file: await toFile(Buffer.from(jsonl(input)), 'slow.jsonl'),
      purpose: 'batch',
    });
    const created = await acme.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await until(
      () => acme.batches.retrieve(created.id),
      (b) => b.request_counts !== undefined && b.request_counts.completed >= 4,
    );
    const cancelling = await acme.batches.cancel(created.id);
    expect(['cancelling', 'cancelled']).toContain(cancelling.status);
    const batch = await until(
      () => acme.batches.retrieve(created.id),
      (b) => finalStatuses.has(b.status),
    );
    expect(batch.status).toBe('cancelled');
    expect(batch.cancelled_at).not.toBeNull();
    const read = async (id: string | null | undefined) =>
      id == null
        ? []
        : (await (await acme.files.content(id)).text())
            .trim()
            .split('\n')
            .map((text) => JSON.parse(text) as OutputLine);
    const done = await read(batch.output_file_id);
    const errors = await read(batch.error_file_id);
    expect(done.length).toBe(batch.request_counts?.completed);
    expect(done.length + errors.length).toBe(60);
    const codes = errors.map((e) => e.error?.code);
    expect(codes.every((code) => code === 'cancelled' || code === 'batch_cancelled')).toBe(true);
    // With at most 8 lines in flight, most were never submitted.
    expect(codes.filter((code) => code === 'batch_cancelled').length).toBeGreaterThan(30);
    // Every call ended (completed or aborted by the cancel); every output line is a completed
    // call, and every other call's line was answered `cancelled` (a call can complete at the
    // provider just as the cancel aborts it at the worker). Each call is billed exactly once:
    // an output line's call with its usage, any other with its estimate.
    const ledger = stack.servers.sim.calls({ deployment: stack.install.simName('slow') });
    const outcome = (o: string) => ledger.filter((call) => call.outcome === o).length;
    expect(outcome('completed') + outcome('aborted')).toBe(ledger.length);
    expect(done.length).toBeLessThanOrEqual(outcome('completed'));
    const cancelledLines = codes.filter((c) => c === 'cancelled').length;
    expect(ledger.length - done.length).toBeLessThanOrEqual(cancelledLines);
    const usage = await readUsageEvents(stack.pipeline.nc, stack.install.prefix);
    const billed = usage.events.filter((e) => e.job_id.startsWith(`${created.id.slice(0, 60)}:`));
    expect(billed).toHaveLength(ledger.length);
    expect(new Set(billed.map((e) => e.job_id)).size).toBe(ledger.length);
    expect(billed.filter((e) => e.status === 'success')).toHaveLength(done.length);
    await expect(acme.batches.cancel(batch.id)).resolves.toMatchObject({ status: 'cancelled' });
  });

  it('expires a batch at the end of its window: done lines kept, the rest batch_expired', async () => {
    stack.servers.sim.setLatency({ ttftMs: 1_500 }, { deployment: stack.install.simName('slow') });
    const input = Array.from({ length: 40 }, (_, i) => line(`late-${i}`, 'slow'));
    const file = await acme.files.create({
      file: await toFile(Buffer.from(jsonl(input)), 'late.jsonl'),
      purpose: 'batch',
    });
    // A batch created almost 24 hours ago: its window ends 4 s from now, time for one or two
    // rounds of 8 lines (at most 8 in flight, 1.5 s each), never for three.
    const store = await BatchStore.open(stack.pipeline.nc, bucketSettingsOf(stack.install.config));
    const record = newBatchRecord({
      tenant: 'acme',
      keyModels: [],
      inputFileId: file.id,
      metadata: null,
      now: Date.now() - completionWindowMs + 4_000,
    });
    await store.create(record);
    const batch = await until(
      () => acme.batches.retrieve(record.batch.id),
      (b) => finalStatuses.has(b.status),
    );
    expect(batch.status).toBe('expired');
    expect(batch.expired_at).not.toBeNull();
    const read = async (id: string | null | undefined) =>
      id == null
        ? []
        : (await (await acme.files.content(id)).text())
            .trim()
            .split('\n')
            .map((text) => JSON.parse(text) as OutputLine);
    const done = await read(batch.output_file_id);
    const errors = await read(batch.error_file_id);
    expect(done.length).toBe(batch.request_counts?.completed);
    expect(done.length).toBeGreaterThan(0);
    expect(done.length + errors.length).toBe(40);
    // Lines never sent are batch_expired; lines in flight at the end are cancelled.
    const codes = errors.map((e) => e.error?.code);
    expect(codes.every((code) => code === 'batch_expired' || code === 'cancelled')).toBe(true);
    // Five rounds would take 7.5 s: at least the last round never started.
    expect(codes.filter((code) => code === 'batch_expired').length).toBeGreaterThanOrEqual(8);
  });

  it("keeps each tenant's files and batches its own", async () => {
    const file = await acme.files.create({
      file: await toFile(Buffer.from(jsonl([line('mine')])), 'mine.jsonl'),
      purpose: 'batch',
    });
    const batch = await acme.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await expect(other.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(other.files.content(file.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(other.files.delete(file.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(other.batches.retrieve(batch.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(other.batches.cancel(batch.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      other.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const theirs = await other.files.list();
    expect(theirs.data.map((f) => f.id)).not.toContain(file.id);
    const mine = await acme.files.list({ purpose: 'batch' });
    expect(mine.data.map((f) => f.id)).toContain(file.id);
    expect((await other.batches.list()).data).toEqual([]);
  });

  it('pages batches newest first with after and limit', async () => {
    const page1 = await acme.batches.list({ limit: 2 });
    expect(page1.data).toHaveLength(2);
    const ids = page1.data.map((b) => b.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const page2 = await acme.batches.list({ limit: 2, after: ids[1] });
    expect((page2.data[0]?.id ?? '') < (ids[1] as string)).toBe(true);
  });

  it('refuses bad requests with clear errors', async () => {
    await expect(
      acme.files.create({
        file: await toFile(Buffer.from('{}\n'), 'x.jsonl'),
        purpose: 'assistants',
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    // The refused upload's bytes, stored before its purpose was read, are gone too.
    const bucket = await new Objm(jetstream(stack.pipeline.nc)).open(
      filesBucketName(stack.install.prefix),
    );
    const unlisted = (await bucket.list()).filter(
      (info) => info.metadata?.['purpose'] === undefined,
    );
    expect(unlisted).toEqual([]);
    const file = await acme.files.create({
      file: await toFile(Buffer.from(jsonl([line('a')])), 'a.jsonl'),
      purpose: 'batch',
    });
    await expect(
      acme.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/embeddings',
        completion_window: '24h',
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    await expect(
      acme.batches.create({
        input_file_id: 'file-doesnotexist',
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    const done = await until(
      async () => (await acme.batches.list({ limit: 100 })).data,
      (batches) => batches.some((b) => b.status === 'completed'),
    );
    const completed = done.find((b) => b.status === 'completed');
    await expect(acme.batches.cancel(completed?.id as string)).rejects.toBeInstanceOf(
      ConflictError,
    );
    await expect(acme.files.delete(file.id)).resolves.toMatchObject({ deleted: true });
    await expect(acme.files.retrieve(file.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});

interface OutputLine {
  custom_id: string;
  response: {
    status_code: number;
    body: {
      object: string;
      usage: { total_tokens: number };
      switchyard: { cost_usd: number };
    };
  } | null;
  error: { code: string; message: string } | null;
}
