import type { NatsConnection } from '@nats-io/nats-core';
import { BatchStore, newBatchRecord, type BatchRecord } from '@switchyard/batches';
import { closeNats, connectNats } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, uniquePrefix, type TestServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captured } from '../cli-output.test-support';
import { watchBatch } from './watch-batch';

const logger = createLogger({ name: 'watch-batch-spec', level: 'silent' });
let server: TestServer;
let nc: NatsConnection;

beforeAll(async () => {
  server = await startTestNats();
  nc = await connectNats({ servers: server.url, name: 'watch-batch-spec', logger });
});
afterAll(async () => {
  if (nc) await closeNats(nc);
  await server?.stop();
});

/** A batch store of its own and a batch in it that `advance` moves along as a runner would. */
async function runningBatch(label: string) {
  const batches = await BatchStore.open(nc, {
    streamPrefix: uniquePrefix(label),
    replicas: 1,
    storage: 'memory',
  });
  const record = newBatchRecord({
    tenant: 't',
    keyModels: [],
    inputFileId: 'file-in',
    metadata: null,
  });
  await batches.create(record);
  const id = record.batch.id;
  const advance = (change: (batch: BatchRecord['batch']) => Partial<BatchRecord['batch']>) =>
    batches.update('t', id, (latest) => ({
      ...latest,
      batch: { ...latest.batch, ...change(latest.batch) },
    }));
  return { batches, id, advance };
}

/** Moves a batch through 4 answered lines, 1 failed, to completed, every `stepMs`. */
async function runFour(
  advance: Awaited<ReturnType<typeof runningBatch>>['advance'],
  stepMs: number,
) {
  const pause = () => new Promise((resolve) => setTimeout(resolve, stepMs));
  await pause();
  await advance(() => ({
    status: 'in_progress',
    request_counts: { total: 4, completed: 0, failed: 0 },
  }));
  for (let done = 1; done <= 4; done++) {
    await pause();
    await advance(() => ({
      request_counts: { total: 4, completed: Math.min(done, 3), failed: done === 4 ? 1 : 0 },
    }));
  }
  await pause();
  await advance(() => ({ status: 'completed' }));
}

describe('watchBatch against a real nats-server', () => {
  it('off a terminal: a line per status change, counts at most every progressEveryMs', async () => {
    const { batches, id, advance } = await runningBatch('watch-lines');
    const err = captured();
    const [batch] = await Promise.all([
      watchBatch({
        batches,
        tenant: 't',
        batchId: id,
        err: err.stream,
        pollMs: 20,
        progressEveryMs: 60_000,
      }),
      runFour(advance, 150),
    ]);
    expect(batch.status).toBe('completed');
    expect(batch.request_counts).toEqual({ total: 4, completed: 3, failed: 1 });
    expect(err.text()).toBe(
      [
        `${id} validating`,
        `${id} in_progress: 0/4 done (0%), 0 failed`,
        `${id} completed: 4/4 done (100%), 1 failed`,
        '',
      ].join('\n'),
    );
  });

  it('on a terminal: a cli-progress bar redrawn in place, ending at total', async () => {
    const { batches, id, advance } = await runningBatch('watch-bar');
    const err = captured();
    Object.assign(err.stream, { isTTY: true, columns: 120 });
    const [batch] = await Promise.all([
      watchBatch({
        batches,
        tenant: 't',
        batchId: id,
        err: err.stream,
        pollMs: 20,
        progressEveryMs: 60_000,
      }),
      runFour(advance, 150),
    ]);
    expect(batch.status).toBe('completed');
    const text = err.text();
    expect(text).not.toContain(`${id} validating\n`);
    expect(text).toContain('\u001b['); // cursor movement: drawn in place
    expect(text).toMatch(/in_progress \[[█░]+\] \d+% \| [0-3]\/4 \| [01] failed/);
    expect(text).toMatch(/completed \[█+\] 100% \| 4\/4 \| 1 failed \| ETA 0s/);
    expect(text).toMatch(/validating \[░+\] 0% \| 0\/0 \| 0 failed \| ETA \?/);
    expect(text).not.toMatch(/NaN|Infinity|NULL|INF/);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('refuses a batch that is not there', async () => {
    const { batches } = await runningBatch('watch-none');
    await expect(
      watchBatch({
        batches,
        tenant: 'other',
        batchId: 'batch_none',
        err: captured().stream,
        pollMs: 20,
        progressEveryMs: 1,
      }),
    ).rejects.toThrow('no batch "batch_none" of tenant "other"');
  });
});
