import type { NatsConnection, Status } from '@nats-io/nats-core';
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';
import type { Logger } from '@switchyard/telemetry';
import { loggerOrDefault } from './default-logger';

/**
 * Credentials, TLS and the inbox prefix (which NATS permissions may require: a tenant's
 * `_INBOX.<tenant>`, a service role's `_INBOX_<role>`), passed through to the NATS client unchanged.
 */
export type NatsAuthOptions = Pick<
  NodeConnectionOptions,
  'user' | 'pass' | 'token' | 'authenticator' | 'tls' | 'inboxPrefix'
>;

/** How to reach NATS. */
export interface ConnectNatsOptions extends NatsAuthOptions {
  /** Server URLs (`nats://host:4222`); the client fails over between them. */
  servers: readonly string[] | string;
  /** The connection name the server shows in its monitoring (`switchyard-worker-openai`). */
  name: string;
  /**
   * Keep trying when no server answers the first connect, instead of failing at once: for
   * services whose NATS may start after them. @defaultValue false
   */
  waitForServer?: boolean;
  /** Milliseconds to wait for a connect attempt. @defaultValue 10_000 */
  timeoutMs?: number;
  /** Where connection events (disconnect, reconnect, server errors) are logged. */
  logger?: Logger;
}

/**
 * Reconnect settings: never give up (a service waits for NATS to come back rather than
 * exit), retry every 2 s with up to 1 s of jitter so that many replicas do not reconnect in
 * step, and ping every 10 s, declaring the connection stale after 3 unanswered pings, so a
 * silently dead server is noticed within about 30 s.
 */
const reconnectSettings = {
  reconnect: true,
  maxReconnectAttempts: -1,
  reconnectTimeWait: 2_000,
  reconnectJitter: 1_000,
  reconnectJitterTLS: 1_000,
  pingInterval: 10_000,
  maxPingOut: 3,
} as const satisfies NodeConnectionOptions;

/**
 * Connects to NATS with Switchyard's reconnect settings (see `reconnectSettings`) and logs
 * the connection's life: disconnects and server errors as warnings, reconnects as info.
 * Close it with {@link closeNats}.
 */
export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const { servers, name, waitForServer = false, timeoutMs = 10_000, logger, ...auth } = options;
  const log = loggerOrDefault(logger).child({ nats: name });
  const nc = await connect({
    ...auth,
    ...reconnectSettings,
    servers: typeof servers === 'string' ? servers : [...servers],
    name,
    timeout: timeoutMs,
    waitOnFirstConnect: waitForServer,
  });
  log.info({ server: nc.getServer(), version: nc.info?.version }, 'connected to NATS');
  void logStatus(nc, log);
  return nc;
}

async function logStatus(nc: NatsConnection, log: Logger): Promise<void> {
  for await (const status of nc.status()) logOne(status, log);
}

function logOne(status: Status, log: Logger): void {
  switch (status.type) {
    case 'disconnect':
      log.warn({ server: status.server }, 'disconnected from NATS; reconnecting');
      break;
    case 'reconnect':
      log.info({ server: status.server }, 'reconnected to NATS');
      break;
    case 'error':
      log.warn({ err: status.error }, 'NATS server error');
      break;
    case 'staleConnection':
      log.warn('NATS connection is stale (pings unanswered); reconnecting');
      break;
    case 'slowConsumer':
      log.warn({ pending: status.pending }, 'slow consumer: a subscription is falling behind');
      break;
    default:
      break;
  }
}

/**
 * Closes a connection gracefully: drains it (subscriptions deliver what they already
 * received, pending publishes are flushed) and falls back to a plain close when the drain
 * takes longer than `timeoutMs`. Does nothing for a connection already closed.
 */
export async function closeNats(
  nc: NatsConnection,
  { timeoutMs = 10_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  if (nc.isClosed()) return;
  if (nc.isDraining()) {
    await nc.closed();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const outcome = await Promise.race([nc.drain().then(() => 'drained' as const), timedOut]);
    if (outcome === 'timeout') await nc.close();
  } finally {
    clearTimeout(timer);
  }
}
