import type { ConfigProblem } from './config-error';
import type { SwitchyardSettings, TenantSettings } from './config.types';
import { isNatsServer, isRedisUrl, splitServerList } from './connection-urls';
import { secondsToMs } from './durations';
import type { Env } from './env-refs';
import type { RawConfig } from './parse-raw';

/** Defaults of the `switchyard:` section that do not come from the environment. */
export const switchyardDefaults = {
  natsServer: 'nats://127.0.0.1:4222',
  redisUrl: 'redis://127.0.0.1:6379',
  replicas: 1,
  storage: 'file',
  subjectRoot: 'llm',
  streamPrefix: '',
  keyPrefix: 'sy:',
  concurrency: 32,
  shutdownGraceSeconds: 30,
  ackWaitSeconds: 30,
} as const;

/** The tenant every single-tenant setup uses; always present in `tenants`. */
export const defaultTenantId = 'default';

/**
 * Builds the `switchyard:` section. NATS servers and the Redis URL come from the file, else from
 * NATS_URL / REDIS_URL in `env`, else the local defaults; a malformed variable is a problem.
 */
export function normalizeSwitchyard(
  raw: RawConfig,
  env: Env,
): { switchyard: SwitchyardSettings; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const section = raw.switchyard;

  let servers = section?.nats?.servers;
  if (servers === undefined && env['NATS_URL']) {
    servers = splitServerList([env['NATS_URL']]);
    if (servers.length === 0 || !servers.every(isNatsServer)) {
      problems.push({
        path: 'switchyard.nats.servers',
        message:
          'environment variable NATS_URL (the default for this setting) is not a comma-separated list of NATS servers like nats://host:4222',
      });
    }
  }

  let redisUrl = section?.redis?.url;
  if (redisUrl === undefined && env['REDIS_URL']) {
    redisUrl = env['REDIS_URL'];
    if (!isRedisUrl(redisUrl)) {
      problems.push({
        path: 'switchyard.redis.url',
        message:
          'environment variable REDIS_URL (the default for this setting) is not a redis:// or rediss:// URL',
      });
    }
  }

  const tenants: Record<string, TenantSettings> = Object.create(null) as Record<
    string,
    TenantSettings
  >;
  tenants[defaultTenantId] = {};
  for (const [id, tenant] of Object.entries(section?.tenants ?? {})) {
    tenants[id] = {
      ...(tenant.max_budget === undefined ? {} : { maxBudget: tenant.max_budget }),
      ...(tenant.budget_duration === undefined ? {} : { budgetDurationMs: tenant.budget_duration }),
    };
  }

  const nats = section?.nats;
  const switchyard: SwitchyardSettings = {
    nats: {
      servers: servers ?? [switchyardDefaults.natsServer],
      ...natsLogin(nats?.user ?? env['NATS_USER'], nats?.password ?? env['NATS_PASSWORD']),
      replicas: nats?.replicas ?? switchyardDefaults.replicas,
      storage: nats?.storage ?? switchyardDefaults.storage,
      subjectRoot: nats?.subject_root ?? switchyardDefaults.subjectRoot,
      streamPrefix: nats?.stream_prefix ?? switchyardDefaults.streamPrefix,
    },
    redis: {
      url: redisUrl ?? switchyardDefaults.redisUrl,
      keyPrefix: section?.redis?.key_prefix ?? switchyardDefaults.keyPrefix,
    },
    worker: {
      concurrency: section?.worker?.concurrency ?? switchyardDefaults.concurrency,
      shutdownGraceMs: secondsToMs(
        section?.worker?.shutdown_grace_seconds ?? switchyardDefaults.shutdownGraceSeconds,
      ),
      ackWaitMs: secondsToMs(
        section?.worker?.ack_wait_seconds ?? switchyardDefaults.ackWaitSeconds,
      ),
    },
    tenants,
  };
  return { switchyard, problems };
}

/** The NATS login, leaving out what is unset or empty. */
function natsLogin(user: string | undefined, password: string | undefined) {
  return {
    ...(user === undefined || user === '' ? {} : { user }),
    ...(password === undefined || password === '' ? {} : { password }),
  };
}
