import { parseConfig, type SwitchyardConfig } from '@switchyard/config';
import { VirtualKeyStore, keyStoreOptionsFrom } from '@switchyard/keys';
import { closeNats, connectNats, provisionTopology } from '@switchyard/messaging';
import { createLogger } from '@switchyard/telemetry';
import { startTestNats, startTestRedis, uniquePrefix, type TestServer } from '@switchyard/testing';
import type { NatsConnection } from '@nats-io/nats-core';
import { Redis } from 'ioredis';
import { startGateway, type RunningGateway } from './start-gateway';

/** The master key of the spec configs (a test value, not a secret). */
export const specMasterKey = 'sk-spec-master-0123456789';

/**
 * The config of a spec gateway: logical models `alpha` and `beta` (deployments that are never
 * called) on `servers`, with `prefix` as subject root, stream prefix and Redis key prefix, with
 * or without a master key (a value, or `os.environ/VAR`).
 */
export function specConfigYaml(
  servers: { nats: { url: string }; redis: { url: string } },
  options: { prefix: string; masterKey?: string | undefined },
): string {
  const { prefix } = options;
  return [
    'model_list:',
    '  - model_name: alpha',
    '    litellm_params: { model: openai/gpt-4o-mini, api_base: "http://127.0.0.1:9/v1", api_key: none }',
    '  - model_name: beta',
    '    litellm_params: { model: openai/gpt-4o, api_base: "http://127.0.0.1:9/v1", api_key: none }',
    ...(options.masterKey === undefined
      ? []
      : [`general_settings: { master_key: ${options.masterKey} }`]),
    'switchyard:',
    `  nats: { servers: "${servers.nats.url}", subject_root: ${prefix}, stream_prefix: ${prefix}, storage: memory }`,
    `  redis: { url: "${servers.redis.url}", key_prefix: "${prefix}:" }`,
  ].join('\n');
}

/** A gateway on its own subject root, stream prefix and Redis prefix, and its connections. */
export interface SpecGateway {
  prefix: string;
  config: SwitchyardConfig;
  gateway: RunningGateway;
  nc: NatsConnection;
  redis: Redis;
  /** A key store of its own on the installation's bucket, as the `switchyard keys` CLI has. */
  keys: VirtualKeyStore;
  /** Resolves once the gateway knows the virtual key (its view of the bucket caught up). */
  untilKeyKnown(secret: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A gateway with no worker behind it on real NATS and Redis: logical models `alpha` and
 * `beta` (deployments that are never called), topology provisioned, with or without a master key.
 */
export async function startSpecGateway(
  servers: { nats: TestServer; redis: TestServer },
  options: { masterKey?: string; label: string; maxInFlight?: number },
): Promise<SpecGateway> {
  const prefix = uniquePrefix(options.label);
  const yaml = specConfigYaml(servers, { prefix, masterKey: options.masterKey });
  const { config } = parseConfig(yaml, { env: {} });
  const logger = createLogger({ name: 'gateway-spec', level: 'silent' });
  const nc = await connectNats({ servers: servers.nats.url, name: prefix, logger });
  const redis = new Redis(servers.redis.url);
  await provisionTopology(nc, {
    subjectRoot: prefix,
    streamPrefix: prefix,
    storage: 'memory',
    models: Object.keys(config.models),
    ackWaitMs: 60_000,
    logger,
  });
  const gateway = await startGateway({
    config,
    nc,
    redis,
    port: 0,
    logger,
    ...(options.maxInFlight === undefined ? {} : { maxInFlight: options.maxInFlight }),
  });
  const keys = await VirtualKeyStore.open(nc, keyStoreOptionsFrom(config));
  return {
    prefix,
    config,
    gateway,
    nc,
    redis,
    keys,
    untilKeyKnown: (secret) =>
      waitFor(async () => {
        const listed = await fetch(`${gateway.url}/v1/models`, {
          headers: { authorization: `Bearer ${secret}` },
        });
        return listed.status === 200;
      }),
    async stop() {
      await gateway.close(1_000);
      await keys.close();
      await closeNats(nc);
      redis.disconnect();
    },
  };
}

/** Starts the nats-server and redis-server of a suite. */
export async function startSpecServers(): Promise<{
  nats: TestServer;
  redis: TestServer;
  stop(): Promise<void>;
}> {
  const [nats, redis] = await Promise.all([startTestNats(), startTestRedis()]);
  return { nats, redis, stop: async () => void (await Promise.all([nats.stop(), redis.stop()])) };
}

/** POSTs a chat-completions body (JSON unless a string is given) to a spec gateway. */
export function postChat(
  gw: SpecGateway,
  body: string | object,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(`${gw.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
}

/** Polls `check` every 20 ms until it holds; throws after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The chat messages every spec sends. */
export const specMessages = [{ role: 'user', content: 'Where is the blue train going?' }];

/** The Authorization header of the master key. */
export const masterAuth = { authorization: `Bearer ${specMasterKey}` };
