import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/nats-core';
import { BatchStore, FileStore, type BucketSettings } from '@switchyard/batches';
import { Switchyard } from '@switchyard/client';
import type { SwitchyardConfig } from '@switchyard/config';
import { createSubjects } from '@switchyard/contracts';
import { createMetrics, type Logger, type Metrics } from '@switchyard/telemetry';
import { BatchMetrics } from './batch-metrics';
import { BatchRunner } from './batch-runner';
import { LineSubmitter } from './submit-lines';

/** Options of {@link startBatchRunner}; the timings are for tests. */
export interface StartBatchRunnerOptions {
  config: SwitchyardConfig;
  nc: NatsConnection;
  logger: Logger;
  /** Where the runner's metrics are recorded (served on `/metrics` by main.ts). @defaultValue none */
  metrics?: Metrics;
  /** @defaultValue 1000 */
  progressEveryMs?: number;
  /** @defaultValue 60000 */
  settleGraceMs?: number;
}

/** The bucket settings of an installation: its `switchyard.nats` prefix, replicas and storage. */
export function bucketSettingsOf(config: SwitchyardConfig): BucketSettings {
  const { streamPrefix, replicas, storage } = config.switchyard.nats;
  return { streamPrefix, replicas, storage };
}

/**
 * Opens the files and batches buckets and starts a {@link BatchRunner} on them, submitting
 * jobs through one Switchyard client per tenant. Resolves to the runner (stop it to stop).
 */
export async function startBatchRunner(options: StartBatchRunnerOptions): Promise<BatchRunner> {
  const { config, nc, logger } = options;
  const settings = bucketSettingsOf(config);
  const [files, batches] = await Promise.all([
    FileStore.open(nc, settings),
    BatchStore.open(nc, settings),
  ]);
  const { subjectRoot, streamPrefix } = config.switchyard.nats;
  const models = Object.keys(config.models);
  const clients = new Map<string, Switchyard>();
  const clientFor = (tenant: string) => {
    let client = clients.get(tenant);
    if (client === undefined) {
      client = new Switchyard({ nc, tenant, subjectRoot, streamPrefix, models });
      clients.set(tenant, client);
    }
    return client;
  };
  const metrics = new BatchMetrics(
    (options.metrics ?? createMetrics('switchyard-batch', { enabled: false })).meter,
  );
  const runner = new BatchRunner({
    files,
    batches,
    clientFor,
    submitter: new LineSubmitter(nc, createSubjects(subjectRoot), metrics),
    models: new Set(models),
    maxRequests: config.switchyard.batches.maxRequestsPerFile,
    maxInFlight: config.switchyard.batches.maxInFlight,
    progressEveryMs: options.progressEveryMs ?? 1_000,
    settleGraceMs: options.settleGraceMs ?? 60_000,
    logger,
    metrics,
    runnerId: `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`,
    leaseMs: config.switchyard.batches.leaseMs,
    retryMs: 5_000,
  });
  runner.start();
  return runner;
}
