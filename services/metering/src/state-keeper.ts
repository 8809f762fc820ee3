import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { UsageEvent } from '@switchyard/contracts';
import { acquireLease, type RedisLease } from '@switchyard/limits';
import type { Logger } from '@switchyard/telemetry';
import type { Redis } from 'ioredis';
import type { MeteringKeys } from './aggregate-keys';
import {
  markFresh,
  markProgress,
  markRebuilding,
  markRebuilt,
  readMeteringStatus,
  type StateSource,
} from './metering-state';
import { replayUsage } from './usage-replay';

/** Options of {@link startStateKeeper}. */
export interface StateKeeperOptions {
  redis: Redis;
  keys: MeteringKeys;
  js: JetStreamClient;
  jsm: JetStreamManager;
  /** The usage stream and metering's durable consumer on it. */
  source: StateSource;
  /** Applies replayed events: the aggregates (and their id markers) and the budget spend. */
  apply: (events: readonly UsageEvent[]) => Promise<void>;
  logger: Logger;
  /** How often the marker is looked at. @defaultValue 1_000 */
  checkIntervalMs?: number;
  /** How long the rebuild lock lives without renewal. @defaultValue 15_000 */
  lockTtlMs?: number;
  /** Events per batch of a rebuild. @defaultValue 256 */
  batchSize?: number;
}

/** The running keeper. */
export interface StateKeeper {
  /** Looks at the marker now (and starts a rebuild when needed); resolves once it decided. */
  check(): Promise<void>;
  /** Resolves when no rebuild of this process is running (tests). */
  idle(): Promise<void>;
  /** Stops looking and stops a rebuild of this process (another replica takes it over). */
  stop(): Promise<void>;
}

/**
 * Keeps metering's Redis state whole. A marker (`<prefix>meter:state`) is written when the
 * state is known complete; it is looked at on start, every `checkIntervalMs` and whenever the
 * Redis connection becomes ready again. Missing while the durable consumer has delivered
 * events means Redis lost the state (a restart with nothing on disk, a flush): one replica
 * takes the rebuild lock, marks the state `rebuilding` and replays the usage stream from its
 * first event to its last at that moment, applying each event exactly once (the aggregates'
 * id markers and the budget ledger's dedupe them against the live consumer, which keeps
 * running); then marks it ready. Missing with nothing ever delivered is a new installation:
 * marked ready at once. A rebuild whose replica dies is taken over when its lock expires; a
 * Redis that loses its state again during a rebuild makes it start over.
 */
export function startStateKeeper(options: StateKeeperOptions): StateKeeper {
  const { redis, keys, js, jsm, source, logger } = options;
  const lockTtlMs = options.lockTtlMs ?? 15_000;
  const stopping = new AbortController();
  let checking: Promise<void> | undefined;
  let rebuild: Promise<void> | undefined;

  async function decide(): Promise<void> {
    if (rebuild !== undefined || stopping.signal.aborted) return;
    const state = await readMeteringStatus(redis, keys);
    if (state.status === 'ready') return;
    const lease = await acquireLease(redis, keys.rebuildLock, lockTtlMs);
    if (lease === undefined) return; // another replica is deciding or rebuilding
    let target: number;
    try {
      if (state.status === 'missing') {
        const consumer = await jsm.consumers.info(source.stream, source.consumer);
        if (consumer.delivered.stream_seq === 0) {
          await markFresh(redis, keys, source);
          logger.info(
            { stream: source.stream },
            'metering state marked in Redis (nothing metered yet)',
          );
          await lease.release();
          return;
        }
      }
      target = (await jsm.streams.info(source.stream)).state.last_seq;
      await markRebuilding(redis, keys, source, target);
      logger.warn(
        { stream: source.stream, target },
        'metering state is missing from Redis: rebuilding it from the usage stream',
      );
    } catch (error) {
      await lease.release().catch(() => undefined);
      throw error;
    }
    rebuild = runRebuild(lease, target)
      .catch((error: unknown) => logger.error({ err: error }, 'rebuilding metering state failed'))
      .finally(() => {
        rebuild = undefined;
      });
  }

  async function runRebuild(lease: RedisLease, target: number): Promise<void> {
    const signal = AbortSignal.any([stopping.signal, lease.lost]);
    try {
      const end = await replayUsage({
        js,
        stream: source.stream,
        target,
        apply: options.apply,
        progress: (replayed) => markProgress(redis, keys, replayed),
        signal,
        logger,
        ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      });
      if (end === 'done' && (await markRebuilt(redis, keys))) {
        logger.info({ stream: source.stream, target }, 'metering state rebuilt');
      } else if (end !== 'stopped') {
        logger.warn('metering state was lost again during the rebuild: starting over');
      }
    } finally {
      await lease.release().catch(() => undefined);
    }
  }

  const check = (): Promise<void> => {
    checking ??= decide()
      .catch((error: unknown) => logger.error({ err: error }, 'checking metering state failed'))
      .finally(() => {
        checking = undefined;
      });
    return checking;
  };
  const timer = setInterval(() => void check(), options.checkIntervalMs ?? 1_000);
  timer.unref();
  const onReady = () => void check();
  redis.on('ready', onReady);

  return {
    check,
    async idle() {
      await checking;
      await rebuild;
    },
    async stop() {
      clearInterval(timer);
      redis.off('ready', onReady);
      stopping.abort();
      await checking;
      await rebuild;
    },
  };
}
