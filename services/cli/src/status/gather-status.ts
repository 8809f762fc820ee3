import { jetstreamManager, type ConsumerInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SwitchyardConfig } from '@switchyard/config';
import {
  createSubjects,
  modelConsumerName,
  streamNames,
  tenantConsumerName,
} from '@switchyard/contracts';
import { cooldownOptionsFrom, createCooldownTracker } from '@switchyard/limits';
import { discoverServices } from '@switchyard/messaging';
import type { Redis } from 'ioredis';

/** One running process of the installation, as it answered `$SRV.INFO` / `$SRV.STATS`. */
export interface PoolStatus {
  service: string;
  id: string;
  version: string;
  provider?: string;
  /** Jobs in flight per logical model, as its stats reported them. */
  inFlight: Record<string, number>;
  started?: string;
}

/**
 * A consumer's counts from JetStream (a model's own, or one of a tenant's lanes of it), or
 * `missing` when a model's consumer is not provisioned.
 */
export type ConsumerStatus =
  | {
      model: string;
      consumer: string;
      pending: number;
      ackPending: number;
      redelivered: number;
      waiting: number;
    }
  | { model: string; consumer: string; missing: true };

/** A deployment's state in Redis: healthy, or cooling down until a time (epoch ms). */
export interface DeploymentStatus {
  model: string;
  deployment: string;
  provider: string;
  coolingDownUntil?: number;
}

/** Everything `switchyard status` shows. */
export interface InstallationStatus {
  pools: PoolStatus[];
  consumers: ConsumerStatus[];
  deployments: DeploymentStatus[];
}

function inFlightOf(status: unknown): Record<string, number> {
  if (typeof status !== 'object' || status === null || !('inFlight' in status)) return {};
  const { inFlight } = status;
  if (typeof inFlight !== 'object' || inFlight === null) return {};
  return Object.fromEntries(
    Object.entries(inFlight).filter(
      (entry): entry is [string, number] => typeof entry[1] === 'number',
    ),
  );
}

/** The installation's processes: services named `switchyard-*` with this config's subject root. */
async function gatherPools(
  nc: NatsConnection,
  subjectRoot: string,
  timeoutMs: number,
): Promise<PoolStatus[]> {
  const found = await discoverServices(nc, { timeoutMs });
  return found
    .filter(({ info }) => info.name.startsWith('switchyard-'))
    .filter(({ info }) => info.metadata?.['subject_root'] === subjectRoot)
    .map(({ info, stats, status }) => ({
      service: info.name,
      id: info.id,
      version: info.version,
      ...(info.metadata?.['provider'] === undefined ? {} : { provider: info.metadata['provider'] }),
      inFlight: inFlightOf(status),
      ...(stats === undefined ? {} : { started: stats.started }),
    }));
}

async function gatherConsumers(
  nc: NatsConnection,
  config: SwitchyardConfig,
): Promise<ConsumerStatus[]> {
  const jsm = await jetstreamManager(nc);
  const stream = streamNames(config.switchyard.nats.streamPrefix).jobs;
  const subjects = createSubjects(config.switchyard.nats.subjectRoot);
  const counts = (model: string, info: ConsumerInfo): ConsumerStatus => ({
    model,
    consumer: info.name,
    pending: info.num_pending,
    ackPending: info.num_ack_pending,
    redelivered: info.num_redelivered,
    waiting: info.num_waiting,
  });
  const models = Object.keys(config.models);
  const own = await Promise.all(
    models.map(async (model): Promise<ConsumerStatus> => {
      const consumer = modelConsumerName(model);
      try {
        return counts(model, await jsm.consumers.info(stream, consumer));
      } catch {
        return { model, consumer, missing: true };
      }
    }),
  );
  // The tenants' lanes: a consumer per tenant (and lane) whose jobs the workers found.
  const tenants: ConsumerStatus[] = [];
  for await (const info of jsm.consumers.list(stream)) {
    const parsed = subjects.parse(info.config.filter_subject ?? '');
    if (
      parsed.ok &&
      parsed.kind === 'jobs' &&
      models.includes(parsed.model) &&
      info.name === tenantConsumerName(parsed.tenant, parsed.model, parsed.priority)
    ) {
      tenants.push(counts(parsed.model, info));
    }
  }
  tenants.sort((a, b) => a.model.localeCompare(b.model) || a.consumer.localeCompare(b.consumer));
  return [...own, ...tenants];
}

async function gatherDeployments(
  redis: Redis,
  config: SwitchyardConfig,
): Promise<DeploymentStatus[]> {
  const cooldowns = createCooldownTracker(redis, cooldownOptionsFrom(config));
  const deployments = Object.values(config.models).flatMap((model) => model.deployments);
  return Promise.all(
    deployments.map(async (deployment) => {
      const until = await cooldowns.coolingDownUntil(deployment.id);
      return {
        model: deployment.modelName,
        deployment: deployment.id,
        provider: deployment.provider,
        ...(until === undefined ? {} : { coolingDownUntil: until }),
      };
    }),
  );
}

/** Asks NATS (service discovery, consumer info) and Redis (cooldowns) about an installation. */
export async function gatherStatus(
  nc: NatsConnection,
  redis: Redis,
  config: SwitchyardConfig,
  options: { discoveryMs?: number } = {},
): Promise<InstallationStatus> {
  const [pools, consumers, deployments] = await Promise.all([
    gatherPools(nc, config.switchyard.nats.subjectRoot, options.discoveryMs ?? 1_000),
    gatherConsumers(nc, config),
    gatherDeployments(redis, config),
  ]);
  return { pools, consumers, deployments };
}
