import { jetstream, jetstreamManager, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardConfig } from '@switchyard/config';
import { createSubjects, streamNames } from '@switchyard/contracts';
import {
  createMissingStreams,
  ensureConsumer,
  extractTraceContext,
  registerService,
} from '@switchyard/messaging';
import { createLogger, type Logger } from '@switchyard/telemetry';
import {
  handleDeadLetter,
  type DeadLetterContext,
  type DeadLetterOutcome,
} from './handle-dead-letter';
import { RecentKeys } from './recent-keys';
import { ROUTER_CONSUMER_NAME, routerConsumerConfig } from './router-consumer';
import { answerUnknownModels } from './unknown-models';

/** Options of {@link startFallbackRouter}. */
export interface FallbackRouterOptions {
  config: SwitchyardConfig;
  nc: NatsConnection;
  logger?: Logger;
  /** Called after each dead letter is settled (for tests and metrics). */
  onOutcome?: (outcome: DeadLetterOutcome) => void;
  /** The delay before a dead letter whose handling failed is delivered again. @defaultValue 2_000 */
  retryDelayMs?: number;
}

/** A running fallback router. */
export interface FallbackRouter {
  /**
   * Stops taking dead letters and lets the one being handled finish, waiting at most
   * `graceMs` (5 s by default; a dead letter still unsettled then is delivered again later).
   */
  stop(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Starts the fallback router: creates the Switchyard streams that are missing (never
 * changing existing ones), ensures its durable consumer on the dead-letter stream, and
 * handles dead letters one at a time, in stream order (see handleDeadLetter). A dead letter is acked once handled; when publishing fails it
 * is nak'd and tried again after `retryDelayMs`. A dead letter this process has already
 * handled (a second stored copy of the same hop) is acked without being handled again.
 * It also answers jobs for models that are not configured with `not_found` (see
 * answerUnknownModels), so they never wait in the jobs stream for a consumer that never comes.
 */
export async function startFallbackRouter(options: FallbackRouterOptions): Promise<FallbackRouter> {
  const { config, nc } = options;
  const log = (options.logger ?? createLogger({ name: 'switchyard-fallback' })).child({
    component: 'fallback-router',
  });
  const { subjectRoot, streamPrefix } = config.switchyard.nats;
  const subjects = createSubjects(subjectRoot);
  const stream = streamNames(streamPrefix).dlq;
  const jsm = await jetstreamManager(nc);
  await createMissingStreams(nc, jsm, config.switchyard.nats, log);
  await ensureConsumer(jsm, stream, routerConsumerConfig(subjects), { logger: log });
  const js = jetstream(nc);
  const consumer = await js.consumers.get(stream, ROUTER_CONSUMER_NAME);
  const messages = await consumer.consume({ max_messages: 64 });
  const ctx: DeadLetterContext = {
    config,
    nc,
    js,
    subjects,
    log,
    now: Date.now,
    handled: new RecentKeys(),
  };
  const retryDelayMs = options.retryDelayMs ?? 2_000;

  const settle = async (msg: JsMsg): Promise<void> => {
    try {
      const outcome = await handleDeadLetter(msg, extractTraceContext(msg.headers), ctx);
      await msg.ackAck();
      options.onOutcome?.(outcome);
    } catch (error) {
      log.error({ err: error, seq: msg.seq }, 'handling a dead letter failed; will retry');
      msg.nak(retryDelayMs);
    }
  };

  const loop = (async () => {
    for await (const msg of messages) await settle(msg);
  })().catch((error: unknown) => log.error({ err: error }, 'dead-letter loop failed'));
  const unknownModels = answerUnknownModels({
    config,
    nc,
    jsm,
    subjects,
    jobsStream: streamNames(streamPrefix).jobs,
    log,
  });
  const service = await registerService(nc, {
    name: 'switchyard-fallback',
    version: '0.1.0',
    description: 'the fallback router: dead letters to fallback models',
    metadata: { subject_root: subjectRoot },
  });
  log.info({ stream, consumer: ROUTER_CONSUMER_NAME }, 'fallback router started');

  return {
    async stop({ graceMs = 5_000 } = {}) {
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace over'>((resolve) => {
        timer = setTimeout(() => resolve('grace over'), graceMs);
      });
      const stopped = Promise.all([
        messages.close().then(() => loop),
        unknownModels.stop(),
        service.stop({ timeoutMs: graceMs }),
      ]);
      const outcome = await Promise.race([stopped.then(() => 'stopped' as const), graceOver]);
      clearTimeout(timer);
      log.info({ outcome }, 'fallback router stopped');
    },
  };
}
