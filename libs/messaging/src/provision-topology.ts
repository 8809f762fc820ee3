import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { createSubjects, tenantConsumerName, type StreamKind } from '@switchyard/contracts';
import type { Logger } from '@switchyard/telemetry';
import { loggerOrDefault } from './default-logger';
import { ensureConsumer } from './ensure-consumer';
import { ensureStream, type ProvisionOutcome } from './ensure-stream';
import { retryWhileJetStreamUnavailable } from './jetstream-unavailable';
import { replaceLegacyModelConsumer } from './legacy-model-consumer';
import { planCapabilities, serverSupports } from './server-version';
import { planTopology, type TopologySettings } from './topology-plan';

/** Options of {@link provisionTopology}: the settings, and where to log. */
export interface ProvisionTopologyOptions extends TopologySettings {
  logger?: Logger;
  /**
   * How long to keep asking while JetStream is unavailable (starting, electing a leader, too
   * busy to answer in time) before giving up. @defaultValue 60_000
   */
  unavailableForMs?: number;
}

/** What provisioning found and did. */
export interface ProvisionedTopology {
  /** The nats-server version provisioned against. */
  serverVersion: string;
  streams: Record<StreamKind, { name: string; outcome: ProvisionOutcome }>;
  consumers: {
    model: string;
    name: string;
    filterSubject: string;
    outcome: ProvisionOutcome;
  }[];
  /**
   * Consumers on the jobs stream that no configured model owns (a model removed from the
   * config, or one an operator made); tenants' lane consumers of configured models are not
   * listed. They are left alone, never deleted: delete one with `nats consumer rm` once its
   * jobs are drained.
   */
  unknownConsumers: string[];
}

/** How many consumer requests run at once, to spare the JetStream API on large configs. */
const consumerParallelism = 8;

/**
 * Creates or updates Switchyard's JetStream topology: the streams LLM_JOBS (work queue),
 * LLM_DLQ, LLM_USAGE and LLM_RESULTS, and one durable pull consumer per logical model on
 * LLM_JOBS, filtered to `<root>.jobs.default.<model token>`: the interactive lane of tenant
 * `default` (workers make every other tenant's consumers, one per tenant and lane; see
 * tenantConsumerConfig). README.md gives every setting and why.
 *
 * Idempotent and safe to run from every replica at start-up at the same time: each stream
 * and consumer is created when missing, updated when a managed setting differs, and left as
 * it is otherwise; creates that race are resolved by comparing and updating. Nothing is
 * deleted or re-created, with one exception: a model consumer an earlier version left filtered
 * to every tenant, on a server that cannot narrow it in place, is replaced while it has no job
 * in flight (see replaceLegacyModelConsumer). A stream whose retention or storage differs, or a
 * consumer that cannot be changed in place, is a TopologyConflictError that says what to do. Consumers no
 * configured model owns are reported in `unknownConsumers` and left alone.
 *
 * Uses nats-server 2.10+ features (metadata, filter updates) only when the server has them.
 * While JetStream is unavailable (a cluster that is still electing its leader, a server too
 * busy to answer in time) the whole provisioning is tried again, with backoff, for
 * `unavailableForMs`; being idempotent, a retry picks up where the last try left off.
 */
export async function provisionTopology(
  nc: NatsConnection,
  options: ProvisionTopologyOptions,
): Promise<ProvisionedTopology> {
  const log = loggerOrDefault(options.logger);
  return retryWhileJetStreamUnavailable(() => provisionOnce(nc, options, log), {
    forMs: options.unavailableForMs ?? 60_000,
    logger: log,
    what: 'provisioning',
  });
}

async function provisionOnce(
  nc: NatsConnection,
  options: ProvisionTopologyOptions,
  log: Logger,
): Promise<ProvisionedTopology> {
  const plan = planTopology(options, planCapabilities(nc));
  const jsm = await jetstreamManager(nc);

  const streams = {} as ProvisionedTopology['streams'];
  for (const { kind, config } of plan.streams) {
    streams[kind] = {
      name: config.name,
      outcome: await ensureStream(jsm, config, { logger: log }),
    };
  }

  const consumerOptions = {
    filterUpdates: serverSupports(nc, 'consumerFilterUpdate'),
    logger: log,
  };
  const subjects = createSubjects(options.subjectRoot);
  const consumers: ProvisionedTopology['consumers'] = [];
  for (let i = 0; i < plan.consumers.length; i += consumerParallelism) {
    const chunk = plan.consumers.slice(i, i + consumerParallelism);
    const done = await Promise.all(
      chunk.map(async ({ model, config }) => {
        if (!consumerOptions.filterUpdates) {
          const legacy = subjects.jobsForModel(model);
          await replaceLegacyModelConsumer(jsm, plan.jobsStream, config, legacy, log);
        }
        return {
          model,
          name: config.durable_name,
          filterSubject: config.filter_subject,
          outcome: await ensureConsumer(jsm, plan.jobsStream, config, consumerOptions),
        };
      }),
    );
    consumers.push(...done);
  }

  const known = new Set(consumers.map((consumer) => consumer.name));
  const isTenantConsumer = (name: string, filter: string | undefined): boolean => {
    const parsed = subjects.parse(filter ?? '');
    return (
      parsed.ok &&
      parsed.kind === 'jobs' &&
      options.models.includes(parsed.model) &&
      name === tenantConsumerName(parsed.tenant, parsed.model, parsed.priority)
    );
  };
  const unknownConsumers: string[] = [];
  for await (const info of jsm.consumers.list(plan.jobsStream)) {
    if (!known.has(info.name) && !isTenantConsumer(info.name, info.config.filter_subject)) {
      unknownConsumers.push(info.name);
    }
  }
  if (unknownConsumers.length > 0) {
    log.info(
      { stream: plan.jobsStream, consumers: unknownConsumers },
      'consumers no configured model owns were left alone',
    );
  }
  return {
    serverVersion: nc.info?.version ?? 'unknown',
    streams,
    consumers,
    unknownConsumers: unknownConsumers.sort(),
  };
}
