import { registerService } from '@switchyard/messaging';
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { NatsConnection } from '@nats-io/nats-core';
import multipart from '@fastify/multipart';
import { NestFactory } from '@nestjs/core';
import { BatchStore, FileStore } from '@switchyard/batches';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { SwitchyardConfig } from '@switchyard/config';
import { createSubjects } from '@switchyard/contracts';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import {
  createLogger,
  createMetrics,
  type Logger,
  type Metrics,
  PinoNestLogger,
} from '@switchyard/telemetry';
import type { Redis } from 'ioredis';
import { Authenticator, type KeyVerifier } from './authenticate';
import { registerSwitchyardService } from './switchyard-service';
import type { GatewayContext } from './gateway-context';
import { GatewayMetrics } from './gateway-metrics';
import { GatewayModule } from './gateway.module';
import { bodyLimitFor, HttpLimits } from './http-limits';
import { InFlightRequests } from './in-flight-requests';
import { modelNames } from './list-models';
import { registerJsonBody } from './json-body';
import { ReadinessCheck } from './readiness';
import { TenantClients } from './tenant-clients';

/** Options of {@link startGateway}. */
export interface StartGatewayOptions {
  config: SwitchyardConfig;
  /** An open NATS connection; the caller closes it after `close()`. */
  nc: NatsConnection;
  /** An open Redis connection (virtual keys' rpm, readiness); the caller closes it after `close()`. */
  redis: Redis;
  /** @defaultValue 4000; 0 picks a free port */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue a silent logger */
  logger?: Logger;
  /**
   * Where virtual keys are verified. @defaultValue a VirtualKeyStore on the installation's keys
   * bucket (created when missing), with its rpm counters on `redis`; closed by `close()`
   */
  keys?: KeyVerifier;
  /** The metrics `/metrics` serves. @defaultValue the gateway's own (shut down by `close()`) */
  metrics?: Metrics;
  /** Largest request body in bytes. @defaultValue 10 MiB, lowered to what NATS can carry */
  bodyLimitBytes?: number;
  /** Requests answered at once at most. @defaultValue `switchyard.gateway.max_in_flight` */
  maxInFlight?: number;
}

/** A running gateway. */
export interface RunningGateway {
  /** `http://<host>:<port>`, without a trailing slash. */
  readonly url: string;
  /**
   * Stops accepting connections and plain NATS requests, lets requests in flight finish for
   * `graceMs`, aborts the rest (their jobs are cancelled) and closes the server.
   */
  close(graceMs?: number): Promise<void>;
}

function urlOf(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * Starts the OpenAI-compatible HTTP gateway (NestJS on Fastify): `/v1/chat/completions` (and
 * SSE), `/v1/embeddings`, `/v1/models`, `/health/liveness`, `/health/readiness`, `/metrics`;
 * and the `switchyard` NATS micro service, whose `chat` and `embeddings` endpoints answer plain
 * NATS requests on `<root>.chat|embeddings.<tenant>.<model token>` (see nats-request.ts). Jobs go out
 * through one Switchyard client per tenant on `nc`. It does not provision the topology (the
 * workers do); readiness says whether it is there. Without a `keys` option it opens the
 * installation's virtual keys bucket (creating it when missing).
 */
export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const { config, nc, redis } = options;
  const logger = options.logger ?? createLogger({ name: 'gateway', level: 'silent' });
  const ownMetrics = options.metrics === undefined;
  const metrics = options.metrics ?? createMetrics('switchyard-gateway');
  const models = Object.keys(config.models);
  const keys =
    options.keys ?? (await VirtualKeyStore.open(nc, keyStoreOptionsFrom(config, redis, logger)));
  const ownKeys = options.keys === undefined && keys instanceof VirtualKeyStore ? keys : undefined;
  const { streamPrefix, replicas, storage } = config.switchyard.nats;
  const buckets = { streamPrefix, replicas, storage };
  const [files, batches] = await Promise.all([
    FileStore.open(nc, buckets),
    BatchStore.open(nc, buckets),
  ]);
  const ctx: GatewayContext = {
    config,
    models: modelNames(config),
    auth: new Authenticator(config.general.masterKey, keys),
    clients: new TenantClients({
      nc,
      subjectRoot: config.switchyard.nats.subjectRoot,
      streamPrefix: config.switchyard.nats.streamPrefix,
      models,
    }),
    files,
    batches,
    readiness: new ReadinessCheck(nc, redis, config),
    metrics,
    instruments: new GatewayMetrics(metrics.meter),
    inFlight: new InFlightRequests(options.maxInFlight ?? config.switchyard.gateway.maxInFlight),
    logger,
  };
  if (ctx.auth.open) {
    logger.warn(
      'no general_settings.master_key: the gateway is open, requests without a valid key are served as tenant "default"',
    );
  }
  const bodyLimit = bodyLimitFor(
    options.bodyLimitBytes ?? HttpLimits.bodyLimitBytes,
    nc.info?.max_payload,
  );
  const adapter = new FastifyAdapter({
    bodyLimit,
    requestTimeout: HttpLimits.requestTimeoutMs,
    keepAliveTimeout: HttpLimits.keepAliveTimeoutMs,
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.withContext(ctx),
    adapter,
    { bodyParser: false, logger: new PinoNestLogger(logger) },
  );
  registerJsonBody(app.getHttpAdapter().getInstance(), bodyLimit);
  // Uploads stream into the files store; files-endpoint.ts counts and limits their bytes.
  await app.register(multipart, {
    limits: {
      files: 1,
      fields: 8,
      fieldSize: 1024,
      fileSize: config.switchyard.batches.maxFileBytes + 1,
    },
  });
  await app.listen({
    port: options.port ?? 4000,
    host: options.host ?? '127.0.0.1',
    backlog: config.switchyard.gateway.backlog,
  });
  const server = app.getHttpServer();
  server.headersTimeout = HttpLimits.headersTimeoutMs;
  const url = urlOf(server.address() as AddressInfo);
  const service = await registerService(nc, {
    name: 'switchyard-gateway',
    version: '0.1.0',
    description: 'the OpenAI-compatible HTTP gateway',
    metadata: { url, subject_root: config.switchyard.nats.subjectRoot },
    stats: () => ({ in_flight: ctx.inFlight.size }),
  });
  const natsService = await registerSwitchyardService(nc, ctx, {
    subjects: createSubjects(config.switchyard.nats.subjectRoot),
    bodyLimit,
  });
  logger.info({ url, models: models.length }, 'gateway listening');
  let closed: Promise<void> | undefined;
  return {
    url,
    close(graceMs = HttpLimits.shutdownGraceMs) {
      closed ??= (async () => {
        await Promise.all([service.stop(), natsService.stop()]);
        const closing = app.close();
        await ctx.inFlight.drain(graceMs);
        // Connections that served a stream or went idle after close began are closed here:
        // no completion is in flight any more.
        server.closeIdleConnections();
        const forced = setTimeout(() => server.closeAllConnections(), 1_000);
        await closing;
        clearTimeout(forced);
        await ownKeys?.close();
        if (ownMetrics) await metrics.shutdown();
      })();
      return closed;
    },
  };
}
