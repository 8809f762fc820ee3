import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardConfig } from '@switchyard/config';
import { createSubjects, streamNames } from '@switchyard/contracts';
import { createMissingStreams, ensureConsumer, registerService } from '@switchyard/messaging';
import {
  createLogger,
  createMetrics,
  serveMetrics,
  type Logger,
  type Metrics,
  type MetricsServer,
} from '@switchyard/telemetry';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import { createBudgetLedger } from '@switchyard/limits';
import type { Redis } from 'ioredis';
import { meteringKeys } from './aggregate-keys';
import { budgetSpendReplay } from './budget-spend-replay';
import { METERING_CONSUMER_NAME, meteringConsumerConfig } from './metering-consumer';
import { MeteringMetrics } from './metering-metrics';
import { startSpendService } from './spend-service';
import { startStateKeeper, type StateKeeper } from './state-keeper';
import { createUsageApplier, type ApplyOutcome, type RetentionDefaults } from './usage-applier';
import { startUsagePump } from './usage-pump';

/** Options of {@link startMetering}. */
export interface MeteringOptions {
  config: SwitchyardConfig;
  nc: NatsConnection;
  redis: Redis;
  logger?: Logger;
  /** Port of the Prometheus `/metrics` endpoint; absent means none is served. */
  metricsPort?: number;
  /**
   * How long an event taken by a replica that died waits before it is delivered again.
   * @defaultValue 30_000
   */
  ackWaitMs?: number;
  /** Events per Redis round trip at most. @defaultValue 256 */
  batchSize?: number;
  /** Overrides of how long ids and buckets are kept. */
  retention?: Partial<typeof RetentionDefaults>;
  /** Called after each batch (tests and benchmarks). */
  onSettled?: (outcomes: (ApplyOutcome | 'invalid')[]) => void;
  /** How often the Redis state marker is looked at. @defaultValue 1_000 */
  stateCheckIntervalMs?: number;
}

/** A running metering process. */
export interface Metering {
  /** The `/metrics` URL, when served. */
  readonly metricsUrl?: string;
  readonly metrics: Metrics;
  /** What keeps the Redis state whole (rebuilds it from the usage stream when it is lost). */
  readonly state: Pick<StateKeeper, 'check' | 'idle'>;
  /** Stops answering queries and pulling events; settles what it took (at most `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts metering: creates the usage stream if missing, ensures the shared durable consumer
 * on it, applies every usage event exactly once to the Redis aggregates (usage-pump,
 * usage-applier), keeps that Redis state whole (state-keeper: rebuilds the aggregates and the
 * budgets' current spend from the usage stream when Redis lost them), answers spend queries on
 * `<root>.metering.spend` (a NestJS microservice on the NATS transport) and, with
 * `metricsPort`, serves Prometheus metrics. Any number of replicas may run at once.
 */
export async function startMetering(options: MeteringOptions): Promise<Metering> {
  const { config, nc, redis } = options;
  const log = (options.logger ?? createLogger({ name: 'switchyard-metering' })).child({
    component: 'metering',
  });
  const { nats, redis: redisSettings } = config.switchyard;
  const subjects = createSubjects(nats.subjectRoot);
  const jsm = await jetstreamManager(nc);
  await createMissingStreams(nc, jsm, nats, log);
  const stream = streamNames(nats.streamPrefix).usage;
  await ensureConsumer(jsm, stream, meteringConsumerConfig(subjects, options.ackWaitMs), {
    logger: log,
  });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, METERING_CONSUMER_NAME);
  const applier = createUsageApplier(redis, {
    keyPrefix: redisSettings.keyPrefix,
    ...(options.retention === undefined ? {} : { retention: options.retention }),
  });
  const keyStore = await VirtualKeyStore.open(nc, keyStoreOptionsFrom(config, undefined, log));
  const replayBudgetSpend = budgetSpendReplay({
    ledger: createBudgetLedger(redis, { keyPrefix: redisSettings.keyPrefix }),
    tenants: config.switchyard.tenants,
    keys: keyStore,
  });
  const state = startStateKeeper({
    redis,
    keys: meteringKeys(redisSettings.keyPrefix),
    js,
    jsm,
    source: { stream, consumer: METERING_CONSUMER_NAME },
    async apply(events) {
      await applier.apply(events);
      await replayBudgetSpend(events);
    },
    logger: log,
    ...(options.stateCheckIntervalMs === undefined
      ? {}
      : { checkIntervalMs: options.stateCheckIntervalMs }),
  });
  await state.check();

  const metrics = createMetrics('switchyard-metering');
  const pump = await startUsagePump({
    consumer,
    applier,
    metrics: new MeteringMetrics(metrics.meter),
    logger: log,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.onSettled === undefined ? {} : { onSettled: options.onSettled }),
  });
  const spend = await startSpendService(nc, subjects.meteringSpend, {
    redis,
    keyPrefix: redisSettings.keyPrefix,
    logger: log,
  });
  let metricsServer: MetricsServer | undefined;
  if (options.metricsPort !== undefined) {
    metricsServer = await serveMetrics(metrics, options.metricsPort);
  }
  const service = await registerService(nc, {
    name: 'switchyard-metering',
    version: '0.1.0',
    description: 'metering: usage aggregated exactly once, spend queries',
    metadata: { subject_root: nats.subjectRoot },
  });
  log.info(
    {
      stream,
      consumer: METERING_CONSUMER_NAME,
      spend: subjects.meteringSpend,
      metrics: metricsServer?.url,
    },
    'metering started',
  );
  return {
    ...(metricsServer === undefined ? {} : { metricsUrl: metricsServer.url }),
    metrics,
    state,
    async stop(graceMs = 5_000) {
      await service.stop().catch(() => undefined);
      await spend.close();
      await state.stop();
      await pump.stop(graceMs);
      await keyStore.close();
      await metricsServer?.close();
      await metrics.shutdown();
      log.info('metering stopped');
    },
  };
}
