import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  topologyOf,
  type Deployment,
  type LogicalModel,
  type SwitchyardConfig,
} from '@switchyard/config';
import { createSubjects, serviceInboxPrefix, streamNames } from '@switchyard/contracts';
import {
  createBudgetLedger,
  createCooldownTracker,
  createRateLimiter,
  estimateInputTokens,
} from '@switchyard/limits';
import {
  consumeJobs,
  provisionTopology,
  readAnswerRecord,
  registerService,
  StreamPublisher,
  TopologyDefaults,
  type JobConsumer,
} from '@switchyard/messaging';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import { createMetrics, type Logger, type Metrics } from '@switchyard/telemetry';
import type { Redis } from 'ioredis';
import {
  budgetReservationTtlMs,
  createBudgetGate,
  type CallPricer,
  type KeyBudgetLookup,
} from './budget-gate';
import { publishBudgetEvent } from './budget-events';
import { callPricer } from './call-pricer';
import { Cancellations } from './cancellations';
import { CooldownView } from './cooldown-view';
import { DeploymentBoard } from './deployment-board';
import { ResponseCache } from './response-cache/response-cache';
import { routingScore } from './routing-strategy';
import { StandbyGate, standbyRank } from './standby-gate';
import type { RandomSource } from './deployment-picker';
import { createFailureHistory } from './failure-history';
import { warnUnpricedDeployments } from './unpriced-deployments';
import { preloadTokenizers } from './tokenizer-preload';
import { createJobHandler } from './job-handler';
import { keyBudgetsFrom } from './key-budgets';
import { keyOwnersFrom } from './key-owner';
import type { WorkerLimits } from './worker-limits';
import { WorkerMetrics } from './worker-metrics';

/** What {@link startWorker} runs on. The caller owns (and closes) the connections. */
export interface StartWorkerOptions {
  config: SwitchyardConfig;
  /** The provider this pool serves, as spelled in config (`anthropic`, `openai`, …). */
  provider: string;
  nc: NatsConnection;
  redis: Redis;
  logger: Logger;
  /** The Redis of the response cache (`cache_params` host). @defaultValue `redis` */
  cacheRedis?: Redis;
  /** Where the pool's metrics are recorded (served on `/metrics` by main.ts). @defaultValue none */
  metrics?: Metrics;
  /** Overrides the shared limits built from `redis` (tests). */
  limits?: WorkerLimits;
  /** How long one pull waits before it is renewed. @defaultValue messaging's (5 s) */
  pullExpiresMs?: number;
  /**
   * The first wait before a job the handler failed on comes back (it doubles per failure, up
   * to 60 s). @defaultValue messaging's (1 s)
   */
  handlerRetryMs?: number;
  /** Random source for the weighted choice and the backoff jitter. @defaultValue Math.random */
  random?: RandomSource;
  /** Prices a call for budget reservations. @defaultValue the price table (`@switchyard/pricing`) */
  price?: CallPricer;
  /**
   * The key store whose records give virtual keys' budgets (read from its in-memory view).
   * @defaultValue one opened on the installation's keys bucket at start, closed by `stop`
   */
  keys?: Pick<VirtualKeyStore, 'get'>;
  /** A virtual key's budget (tests). @defaultValue its record in `keys` */
  keyBudgets?: KeyBudgetLookup;
}

/** A running worker pool. */
export interface RunningWorker {
  /** The logical models this pool pulls for. */
  readonly models: readonly string[];
  /**
   * Stops pulling, lets jobs in flight finish for up to `graceMs`, then hands the rest back
   * (nak) for another worker. Resolves to the totals over all models.
   */
  stop(graceMs?: number): Promise<{ finished: number; handedBack: number }>;
}

/** The models with a deployment on `provider`, each with those deployments. */
export function modelsServedBy(
  config: SwitchyardConfig,
  provider: string,
): { model: LogicalModel; deployments: Deployment[] }[] {
  return Object.values(config.models)
    .map((model) => ({
      model,
      deployments: model.deployments.filter((d) => d.provider === provider),
    }))
    .filter((served) => served.deployments.length > 0);
}

/**
 * Starts the worker pool of one provider: provisions the topology (idempotent), then pulls
 * from the durable consumer of every logical model with a deployment on that provider, with
 * `switchyard.worker.concurrency` jobs per deployment. Throws when no model has a deployment
 * on the provider.
 */
export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const { config, provider, nc, redis, logger } = options;
  const served = modelsServedBy(config, provider);
  if (served.length === 0) {
    throw new Error(`no model in the config has a deployment on provider "${provider}"`);
  }
  const servedDeployments = served.flatMap((model) => model.deployments);
  warnUnpricedDeployments(servedDeployments, logger);
  const started = performance.now();
  const tenantBudgets = Object.values(config.switchyard.tenants).some(
    (tenant) => tenant.maxBudget !== undefined,
  );
  const tokenizers = preloadTokenizers(
    servedDeployments,
    config.router.enablePreCallChecks || tenantBudgets,
  );
  if (tokenizers.length > 0) {
    const ms = Math.round(performance.now() - started);
    logger.info({ encodings: tokenizers, ms }, 'tokenizers loaded');
  }
  const { nats, redis: redisSettings, worker } = config.switchyard;
  const subjects = createSubjects(nats.subjectRoot);
  await provisionTopology(nc, { ...topologyOf(config), logger });
  const limits = options.limits ?? {
    rateLimiter: createRateLimiter(redis, { keyPrefix: redisSettings.keyPrefix }),
    cooldown: await CooldownView.start(
      createCooldownTracker(redis, {
        keyPrefix: redisSettings.keyPrefix,
        allowedFails: config.router.allowedFails,
        cooldownMs: config.router.cooldownMs,
      }),
      {
        nc,
        subjects,
        deploymentIds: servedDeployments.map((d) => d.id),
        logger,
      },
    ),
    estimateInputTokens,
  };
  const cooldowns = limits.cooldown instanceof CooldownView ? limits.cooldown : undefined;
  const failures = createFailureHistory(redis, redisSettings.keyPrefix);
  // The worker's own store (closed by stop) unless one was given.
  const keyStore =
    options.keys === undefined
      ? await VirtualKeyStore.open(nc, keyStoreOptionsFrom(config, undefined, logger))
      : undefined;
  const keys = options.keys ?? keyStore;
  if (keys === undefined) throw new Error('no key store');
  const budgets = createBudgetGate({
    ledger: createBudgetLedger(redis, {
      keyPrefix: redisSettings.keyPrefix,
      reservationTtlMs: budgetReservationTtlMs(config),
    }),
    tenants: config.switchyard.tenants,
    keyBudgets: options.keyBudgets ?? keyBudgetsFrom(keys),
    price: options.price ?? callPricer,
    publish: (event) => publishBudgetEvent(nc, subjects, event, logger),
    logger,
  });
  const cancellations = await Cancellations.follow(nc, {
    subjects,
    streamPrefix: nats.streamPrefix,
    rememberMs: TopologyDefaults.cancelsMaxAgeMs,
    logger,
  });
  const jsm = await jetstreamManager(nc);
  // Settlements' acknowledgements come back on the worker role's own inbox (its NATS user's).
  const streams = new StreamPublisher(nc, { inboxPrefix: serviceInboxPrefix('worker') });
  const answersWhere = { stream: streamNames(nats.streamPrefix).answers, subjects };
  const metrics = new WorkerMetrics(
    (options.metrics ?? createMetrics('switchyard-worker', { enabled: false })).meter,
    provider,
  );
  const cache = config.cache.enabled
    ? {
        cache: new ResponseCache(
          options.cacheRedis ?? redis,
          config.cache,
          redisSettings.keyPrefix,
        ),
      }
    : undefined;

  const running: { consumer: JobConsumer; board: DeploymentBoard; gate?: StandbyGate }[] = [];
  try {
    for (const { model, deployments } of served) {
      const board = new DeploymentBoard(deployments, worker.concurrency);
      metrics.watch(model.name, board);
      const rank = standbyRank(deployments, model.deployments);
      const score = routingScore(config.router.routingStrategy, board);
      const consumer = await consumeJobs(nc, {
        model: model.name,
        concurrency: board.totalSlots,
        startPaused: rank > 0,
        streamPrefix: nats.streamPrefix,
        subjects,
        inboxPrefix: serviceInboxPrefix('worker'),
        answersMaxAgeMs: nats.answersMaxAgeMs,
        logger: logger.child({ model: model.name }),
        ...(options.pullExpiresMs === undefined ? {} : { pullExpiresMs: options.pullExpiresMs }),
        ...(options.handlerRetryMs === undefined
          ? {}
          : { unsettledNakDelayMs: options.handlerRetryMs }),
        handler: createJobHandler({
          nc,
          streams,
          subjects,
          router: config.router,
          dropParams: config.dropParams,
          board,
          limits,
          failures,
          cancellations,
          metrics,
          budgets,
          preCallChecks: config.router.enablePreCallChecks,
          modelDeployments: model.deployments,
          answers: (job) => readAnswerRecord(jsm, answersWhere, job.tenant, job.id),
          keyOwner: keyOwnersFrom(keys),
          ...(cache === undefined ? {} : { cache }),
          logger: logger.child({ model: model.name }),
          ...(options.random === undefined ? {} : { random: options.random }),
          ...(score === undefined ? {} : { routingScore: score }),
        }),
      });
      if (rank === 0) {
        board.attach(consumer);
        running.push({ consumer, board });
        continue;
      }
      const gate = new StandbyGate(consumer, {
        rank,
        waiting: () => jobsWaiting(jsm, streamNames(nats.streamPrefix).jobs, consumer),
        logger: logger.child({ model: model.name }),
      });
      board.attach(gate);
      metrics.watchStandby(model.name, gate);
      gate.start();
      running.push({ consumer, board, gate });
    }
  } catch (error) {
    for (const { gate } of running) gate?.stop();
    await Promise.all(running.map(({ consumer }) => consumer.stop({ graceMs: 0 })));
    streams.close();
    await cancellations.close();
    await keyStore?.close();
    cooldowns?.close();
    throw error;
  }
  const service = await registerService(nc, {
    name: 'switchyard-worker',
    version: '0.1.0',
    description: `the worker pool of provider ${provider}`,
    metadata: { provider, subject_root: nats.subjectRoot },
    stats: () => ({
      provider,
      inFlight: Object.fromEntries(
        running.map(({ consumer }, i) => [served[i]?.model.name ?? '', consumer.inFlight] as const),
      ),
    }),
  });
  logger.info(
    { provider, models: served.map((s) => s.model.name), concurrency: worker.concurrency },
    'worker pulling',
  );

  let stopped: Promise<{ finished: number; handedBack: number }> | undefined;
  return {
    models: served.map((s) => s.model.name),
    stop(graceMs) {
      stopped ??= (async () => {
        const withdrawn = service.stop().catch(() => undefined);
        const summaries = await Promise.all(
          running.map(async ({ consumer, board, gate }) => {
            gate?.stop();
            board.detach();
            return consumer.stop(graceMs === undefined ? {} : { graceMs });
          }),
        );
        streams.close();
        await cancellations.close();
        await keyStore?.close();
        cooldowns?.close();
        await withdrawn;
        return {
          finished: summaries.reduce((sum, s) => sum + s.finished, 0),
          handedBack: summaries.reduce((sum, s) => sum + s.handedBack, 0),
        };
      })();
      return stopped;
    },
  };
}

/** The jobs of a consumer's model that wait undelivered: its own and its tenants' lanes. */
async function jobsWaiting(
  jsm: JetStreamManager,
  stream: string,
  consumer: JobConsumer,
): Promise<number> {
  const names = [consumer.consumerName, ...consumer.tenantConsumerNames];
  const pending = await Promise.all(
    names.map((name) =>
      jsm.consumers.info(stream, name).then(
        (info) => info.num_pending,
        () => 0,
      ),
    ),
  );
  return pending.reduce((sum, n) => sum + n, 0);
}
