import { USAGE_MAX_AGE_MS, type StreamKind } from '@switchyard/contracts';
import type { ConfigProblem } from './config-error';
import type { NatsSettings, SwitchyardSettings, TenantSettings } from './config.types';
import { isNatsServer, isRedisUrl, splitServerList } from './connection-urls';
import { secondsToMs } from './durations';
import type { Env } from './env-refs';
import type { RawConfig } from './parse-raw';
import { problemAt, type YamlLocator } from './yaml-locate';

/** Defaults of the `switchyard:` section that do not come from the environment. */
export const switchyardDefaults = {
  natsServer: 'nats://127.0.0.1:4222',
  redisUrl: 'redis://127.0.0.1:6379',
  replicas: 1,
  storage: 'file',
  subjectRoot: 'llm',
  streamPrefix: '',
  keyPrefix: 'sy:',
  commandTimeoutSeconds: 2,
  concurrency: 32,
  shutdownGraceSeconds: 30,
  ackWaitSeconds: 30,
  maxInFlight: 10_000,
  gatewayMaxInFlight: 10_000,
  gatewayBacklog: 4_096,
  batchMaxInFlight: 1_000,
  batchMaxFileBytes: 200 * 1024 * 1024,
  batchMaxRequestsPerFile: 50_000,
  batchLeaseSeconds: 15,
} as const;

const gib = 1024 ** 3;

/**
 * Each stream's max bytes when the file does not set it. With file storage: bounds that keep a
 * runaway producer or a stopped consumer from filling the disk (a full jobs stream refuses new
 * jobs; the others drop their oldest messages). With memory storage none: JetStream reserves a
 * memory stream's max bytes from the server's memory when it is created.
 */
export const streamMaxBytesDefaults: Readonly<
  Record<NatsSettings['storage'], Readonly<Record<StreamKind, number>>>
> = {
  file: { jobs: gib, dlq: gib, usage: 4 * gib, results: gib, answers: gib, cancels: gib / 16 },
  memory: { jobs: -1, dlq: -1, usage: -1, results: -1, answers: -1, cancels: -1 },
};

/** The tenant every single-tenant setup uses; always present in `tenants`. */
export const defaultTenantId = 'default';

/**
 * Builds the `switchyard:` section. NATS servers and the Redis URL come from the file, else from
 * NATS_URL / REDIS_URL in `env`, else the local defaults; a malformed variable is a problem.
 */
export function normalizeSwitchyard(
  raw: RawConfig,
  env: Env,
  locate: YamlLocator,
): { switchyard: SwitchyardSettings; problems: ConfigProblem[]; warnings: ConfigProblem[] } {
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
  const storage = nats?.storage ?? switchyardDefaults.storage;
  const maxBytes = streamMaxBytesDefaults[storage];
  const switchyard: SwitchyardSettings = {
    nats: {
      servers: servers ?? [switchyardDefaults.natsServer],
      ...natsLogin(nats?.user ?? env['NATS_USER'], nats?.password ?? env['NATS_PASSWORD']),
      replicas: nats?.replicas ?? switchyardDefaults.replicas,
      storage,
      subjectRoot: nats?.subject_root ?? switchyardDefaults.subjectRoot,
      streamPrefix: nats?.stream_prefix ?? switchyardDefaults.streamPrefix,
      maxBytes: {
        jobs: nats?.jobs_max_bytes ?? maxBytes.jobs,
        dlq: nats?.dlq_max_bytes ?? maxBytes.dlq,
        usage: nats?.usage_max_bytes ?? maxBytes.usage,
        results: nats?.results_max_bytes ?? maxBytes.results,
        answers: nats?.answers_max_bytes ?? maxBytes.answers,
        cancels: nats?.cancels_max_bytes ?? maxBytes.cancels,
      },
      jobsMaxMessages: nats?.jobs_max_messages ?? (storage === 'file' ? 1_000_000 : -1),
      duplicateWindowMs: secondsToMs(nats?.duplicate_window_seconds ?? 120),
      answersMaxAgeMs: secondsToMs(nats?.answers_max_age_seconds ?? 86_400),
    },
    redis: {
      url: redisUrl ?? switchyardDefaults.redisUrl,
      keyPrefix: section?.redis?.key_prefix ?? switchyardDefaults.keyPrefix,
      commandTimeoutMs: secondsToMs(
        section?.redis?.command_timeout ?? switchyardDefaults.commandTimeoutSeconds,
      ),
    },
    worker: {
      concurrency: section?.worker?.concurrency ?? switchyardDefaults.concurrency,
      shutdownGraceMs: secondsToMs(
        section?.worker?.shutdown_grace_seconds ?? switchyardDefaults.shutdownGraceSeconds,
      ),
      ackWaitMs: secondsToMs(
        section?.worker?.ack_wait_seconds ?? switchyardDefaults.ackWaitSeconds,
      ),
      maxInFlight: section?.worker?.max_in_flight ?? switchyardDefaults.maxInFlight,
      maxInFlightByModel: Object.assign(
        Object.create(null) as Record<string, number>,
        section?.worker?.max_in_flight_by_model,
      ),
    },
    gateway: {
      maxInFlight: section?.gateway?.max_in_flight ?? switchyardDefaults.gatewayMaxInFlight,
      backlog: section?.gateway?.backlog ?? switchyardDefaults.gatewayBacklog,
    },
    batches: {
      maxInFlight: section?.batches?.max_in_flight ?? switchyardDefaults.batchMaxInFlight,
      maxFileBytes: section?.batches?.max_file_bytes ?? switchyardDefaults.batchMaxFileBytes,
      maxRequestsPerFile:
        section?.batches?.max_requests_per_file ?? switchyardDefaults.batchMaxRequestsPerFile,
      leaseMs: secondsToMs(section?.batches?.lease_seconds ?? switchyardDefaults.batchLeaseSeconds),
    },
    tenants,
  };
  return { switchyard, problems, warnings: unrebuildableBudgets(tenants, locate) };
}

/**
 * Warnings for tenant budgets whose period is longer than the usage stream keeps events:
 * after a Redis loss, metering rebuilds a period's spend from that stream, so it can recover
 * only the last 7 days of a longer period.
 */
function unrebuildableBudgets(
  tenants: Readonly<Record<string, TenantSettings>>,
  locate: YamlLocator,
): ConfigProblem[] {
  const days = USAGE_MAX_AGE_MS / 86_400_000;
  return Object.entries(tenants)
    .filter(([, tenant]) => (tenant.budgetDurationMs ?? 0) > USAGE_MAX_AGE_MS)
    .map(([id]) =>
      problemAt(
        locate,
        ['switchyard', 'tenants', id, 'budget_duration'],
        `the budget period is longer than the ${days} days the usage stream keeps events: if Redis loses its data, metering can rebuild only the last ${days} days of the period's spend`,
      ),
    );
}

/** The NATS login, leaving out what is unset or empty. */
function natsLogin(user: string | undefined, password: string | undefined) {
  return {
    ...(user === undefined || user === '' ? {} : { user }),
    ...(password === undefined || password === '' ? {} : { password }),
  };
}
