/**
 * A batch of the Batch API run server-side: BATCH_LINES (default 10,000) lines uploaded to the
 * files store and run by the batch runner, with BATCH_IN_FLIGHT (default 1,000) lines unanswered
 * at most (`switchyard.batches.max_in_flight`, also the worker's concurrency), against one
 * simulator deployment that answers after UPSTREAM_MS (default 500). The theoretical best is
 * ceil(lines / in flight) upstream latencies; the report prints the wall time from creating the
 * batch to `completed` beside it, and the simulator's count of calls (each line called once).
 * The runner, a worker pool and the fallback router run in this process.
 *
 *   npx tsx test/bench/batch-api.bench.ts
 */
import { Readable } from 'node:stream';
import { bucketSettingsOf, startBatchRunner } from '@switchyard/batch';
import { BatchStore, FileStore, newBatchRecord } from '@switchyard/batches';
import {
  createInstallation,
  quietLogger,
  startPipeline,
  startPipelineServers,
} from '../pipeline/pipeline-harness.test-support';

const lines = Number(process.env['BATCH_LINES'] ?? 10_000);
const inFlight = Number(process.env['BATCH_IN_FLIGHT'] ?? 1_000);
const upstreamMs = Number(process.env['UPSTREAM_MS'] ?? 500);

const input = Array.from({ length: lines }, (_, i) =>
  JSON.stringify({
    custom_id: `email-${i}`,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'triage', messages: [{ role: 'user', content: `Triage email ${i}.` }] },
  }),
).join('\n');

const servers = await startPipelineServers();
const install = createInstallation(servers, 'batch-bench', {
  models: { triage: 'openai' },
  worker: `{ concurrency: ${inFlight}, max_in_flight: ${inFlight}, shutdown_grace_seconds: 1 }`,
  batches: `{ max_in_flight: ${inFlight} }`,
});
servers.sim.setLatency({ ttftMs: upstreamMs }, { deployment: install.simName('triage') });
const pipeline = await startPipeline(servers, install, ['openai']);
const runner = await startBatchRunner({
  config: install.config,
  nc: pipeline.nc,
  logger: quietLogger,
});
try {
  const settings = bucketSettingsOf(install.config);
  const files = await FileStore.open(pipeline.nc, settings);
  const batches = await BatchStore.open(pipeline.nc, settings);
  const file = await files.put('bench', {
    filename: 'bench.jsonl',
    purpose: 'batch',
    data: Readable.toWeb(Readable.from([Buffer.from(input)])) as ReadableStream<Uint8Array>,
  });
  const record = newBatchRecord({
    tenant: 'bench',
    keyModels: [],
    inputFileId: file.id,
    metadata: null,
  });
  const started = performance.now();
  await batches.create(record);
  for (;;) {
    const stored = await batches.get('bench', record.batch.id);
    const status = stored?.record.batch.status;
    if (status === 'completed' || status === 'failed' || status === 'expired') {
      const seconds = (performance.now() - started) / 1000;
      const best = (Math.ceil(lines / inFlight) * upstreamMs) / 1000;
      const calls = servers.sim.calls({ deployment: install.simName('triage') }).length;
      console.log(
        `batch of ${lines} lines, ${inFlight} in flight, upstream ${upstreamMs} ms: ${status} in ` +
          `${seconds.toFixed(1)} s (theoretical best ${best.toFixed(1)} s, ${(seconds / best).toFixed(2)}x); ` +
          `${(lines / seconds).toFixed(0)} lines/s; provider calls ${calls}; ` +
          `counts ${JSON.stringify(stored?.record.batch.request_counts)}`,
      );
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
} finally {
  await runner.stop();
  await pipeline.stop();
  await servers.stop();
}
