import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import {
  createSubjects,
  DEFAULT_TENANT,
  modelConsumerName,
  streamNames,
  tenantConsumerName,
  DEFAULT_SUBJECT_ROOT,
  USAGE_MAX_AGE_MS,
  type JobPriority,
  type StreamKind,
} from '@switchyard/contracts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** Defaults of the optional TopologySettings. */
export const TopologyDefaults = {
  subjectRoot: DEFAULT_SUBJECT_ROOT,
  replicas: 1,
  storage: 'file',
  maxDeliver: -1,
  maxAckPending: 10_000,
  duplicateWindowMs: 2 * minute,
  dlqMaxAgeMs: 14 * day,
  usageMaxAgeMs: USAGE_MAX_AGE_MS,
  resultsMaxAgeMs: day,
  answersMaxAgeMs: day,
  cancelsMaxAgeMs: hour,
} as const;

/**
 * What the topology is derived from. Services map their config to it
 * (`switchyard.nats.*`, the logical model names, the worker's AckWait).
 */
export interface TopologySettings {
  /** The logical model names; each gets a durable consumer on the jobs stream. */
  models: readonly string[];
  /**
   * How long a delivered job may go without ack, nak or working() before it is delivered
   * again. It must be longer than the provider timeout (workers also send working() while a
   * generation runs).
   */
  ackWaitMs: number;
  /** @defaultValue 'llm' */
  subjectRoot?: string;
  /** Prepended to the stream names (`T1` → `T1_LLM_JOBS`); '' means none. @defaultValue '' */
  streamPrefix?: string;
  /** Replicas of every stream (1 to 5; more than 1 needs a NATS cluster). @defaultValue 1 */
  replicas?: number;
  /** @defaultValue 'file' */
  storage?: 'file' | 'memory';
  /**
   * The server-side delivery limit of a job; -1 is none. Workers enforce attempts
   * themselves and dead-letter a job that used them up; a server limit would instead leave
   * the job in the work queue, undeliverable. @defaultValue -1
   */
  maxDeliver?: number;
  /** Jobs of one model delivered and not yet acked, across all workers. @defaultValue 10000 */
  maxAckPending?: number;
  /** `maxAckPending` of single models, by model name. */
  maxAckPendingByModel?: Readonly<Record<string, number>>;
  /**
   * How long `Nats-Msg-Id` values are remembered: a job or event published again within it
   * is stored once. @defaultValue 120_000 (2 minutes)
   */
  duplicateWindowMs?: number;
  /** How long dead letters are kept for inspection and replay. @defaultValue 14 days */
  dlqMaxAgeMs?: number;
  /** How long usage events are kept (metering's backlog and replay). @defaultValue 7 days */
  usageMaxAgeMs?: number;
  /** How long batch results wait to be collected. @defaultValue 1 day */
  resultsMaxAgeMs?: number;
  /**
   * How long the final answer of a job is kept by job id (a redelivered job is answered from
   * it, never sent to the provider again). @defaultValue 1 day
   */
  answersMaxAgeMs?: number;
  /**
   * How long a cancellation is kept, so a worker that starts later still drops the job.
   * Jobs carry a deadline; this should outlast the longest one. @defaultValue 1 hour
   */
  cancelsMaxAgeMs?: number;
  /**
   * The most bytes each stream may hold; -1 (or a stream left out) is no limit. A full jobs
   * stream refuses new jobs (discard new); the others drop their oldest messages.
   * @defaultValue no limit (the config's `switchyard.nats.*_max_bytes` set real ones)
   */
  maxBytes?: Partial<Record<StreamKind, number>>;
  /**
   * The most jobs the jobs stream may hold (-1: no limit); past it, new jobs are refused.
   * @defaultValue no limit
   */
  jobsMaxMessages?: number;
}

/** The stream settings provisioning manages; anything else on a stream is left as it is. */
export type ManagedStreamConfig = Pick<
  StreamConfig,
  | 'name'
  | 'subjects'
  | 'retention'
  | 'storage'
  | 'num_replicas'
  | 'max_age'
  | 'max_bytes'
  | 'duplicate_window'
  | 'discard'
  | 'description'
  | 'max_msgs'
> & { metadata?: Record<string, string>; max_msgs_per_subject?: number; allow_direct?: boolean };

/** The consumer settings provisioning manages. */
export type ManagedConsumerConfig = Pick<
  ConsumerConfig,
  | 'durable_name'
  | 'description'
  | 'filter_subject'
  | 'ack_policy'
  | 'deliver_policy'
  | 'replay_policy'
  | 'ack_wait'
  | 'max_deliver'
  | 'max_ack_pending'
  | 'inactive_threshold'
> & { durable_name: string; filter_subject: string; metadata?: Record<string, string> };

/** One wanted stream. */
export interface StreamPlan {
  kind: StreamKind;
  config: ManagedStreamConfig;
}

/**
 * One wanted model consumer on the jobs stream: the interactive lane of tenant `default`. Every
 * other tenant's interactive lane, and every tenant's batch lane, has a consumer of its own,
 * made by workers as the tenant's jobs arrive (tenantConsumerConfig).
 */
export interface ConsumerPlan {
  model: string;
  config: ManagedConsumerConfig;
}

/** Everything provisioning wants to exist. */
export interface TopologyPlan {
  streams: StreamPlan[];
  jobsStream: string;
  consumers: ConsumerPlan[];
}

/** What the server can do, which changes what is planned. */
export interface PlanCapabilities {
  /** The server keeps `metadata` on streams and consumers (nats-server 2.10+). */
  metadata: boolean;
  /**
   * The server enforces `max_bytes` with `discard: new` exactly (ServerFeatures
   * `exactDiscardNewBytes`). When it does not, the jobs stream is bounded by `jobsMaxMessages`
   * only, since a byte limit there would make the server drop queued jobs.
   */
  exactDiscardNewBytes: boolean;
}

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
  return value;
}

/**
 * The streams and consumers for the settings. Pure: provisioning compares it with what
 * exists. Throws a RangeError for settings out of range and the contracts' errors for an
 * invalid subject root, stream prefix or model name.
 */
export function planTopology(
  settings: TopologySettings,
  capabilities: PlanCapabilities,
): TopologyPlan {
  const d = { ...TopologyDefaults, ...withoutUndefined(settings) };
  const subjects = createSubjects(d.subjectRoot);
  const names = streamNames(settings.streamPrefix);
  const replicas = positiveInt('replicas', d.replicas);
  if (replicas > 5) throw new RangeError(`replicas must be 1 to 5, got ${replicas}`);
  const ackWaitMs = positiveInt('ackWaitMs', settings.ackWaitMs);
  const maxAckPending = positiveInt('maxAckPending', d.maxAckPending);
  if (d.maxDeliver !== -1) positiveInt('maxDeliver', d.maxDeliver);
  const storage = d.storage === 'memory' ? StorageType.Memory : StorageType.File;
  const meta = (entries: Record<string, string>) =>
    capabilities.metadata ? { metadata: entries } : {};

  /** The stream's size limits; see PlanCapabilities.exactDiscardNewBytes for the jobs stream. */
  const limitsOf = (kind: StreamKind) => {
    const maxBytes = maxBytesOf(kind, settings.maxBytes?.[kind]);
    if (kind !== 'jobs') return { max_bytes: maxBytes, max_msgs: -1 };
    const maxMsgs = settings.jobsMaxMessages ?? -1;
    if (maxMsgs !== -1) positiveInt('jobsMaxMessages', maxMsgs);
    return {
      max_bytes: capabilities.exactDiscardNewBytes ? maxBytes : -1,
      max_msgs: maxMsgs,
    };
  };

  const stream = (
    kind: StreamKind,
    retention: RetentionPolicy,
    maxAgeMs: number,
    description: string,
    perSubject: { max_msgs_per_subject?: number; allow_direct?: boolean } = {},
  ): StreamPlan => {
    const window = positiveInt('duplicateWindowMs', d.duplicateWindowMs);
    return {
      kind,
      config: {
        name: names[kind],
        subjects: [subjects.streamSubjects[kind]],
        retention,
        storage,
        num_replicas: replicas,
        max_age: nanos(maxAgeMs),
        ...limitsOf(kind),
        // JetStream refuses a duplicate window longer than the stream's max age.
        duplicate_window: nanos(maxAgeMs > 0 ? Math.min(window, maxAgeMs) : window),
        discard: kind === 'jobs' ? DiscardPolicy.New : DiscardPolicy.Old,
        description,
        ...perSubject,
        ...meta({ 'switchyard.stream': kind }),
      },
    };
  };

  const streams = [
    stream(
      'jobs',
      RetentionPolicy.Workqueue,
      0,
      'Switchyard completion jobs: a work queue, one durable pull consumer per logical model',
    ),
    stream(
      'dlq',
      RetentionPolicy.Limits,
      positiveInt('dlqMaxAgeMs', d.dlqMaxAgeMs),
      'Switchyard dead letters: jobs that failed on a model, kept for the fallback router, inspection and replay',
    ),
    stream(
      'usage',
      RetentionPolicy.Limits,
      positiveInt('usageMaxAgeMs', d.usageMaxAgeMs),
      'Switchyard usage events: one per provider call or cache hit, read by metering',
    ),
    stream(
      'results',
      RetentionPolicy.Limits,
      positiveInt('resultsMaxAgeMs', d.resultsMaxAgeMs),
      'Switchyard batch results: replies to jobs submitted with a llm.results.<batch> reply subject',
    ),
    stream(
      'answers',
      RetentionPolicy.Limits,
      positiveInt('answersMaxAgeMs', d.answersMaxAgeMs),
      'Switchyard answers: the final answer and billed usage of each job, by tenant and job id',
      // Direct gets: any replica answers a lookup by job id, and the subject in the request
      // lets NATS permissions give each tenant its own answers only.
      { max_msgs_per_subject: 1, allow_direct: true },
    ),
    stream(
      'cancels',
      RetentionPolicy.Limits,
      positiveInt('cancelsMaxAgeMs', d.cancelsMaxAgeMs),
      'Switchyard cancellations: jobs whose caller gave up, followed by every worker',
      { max_msgs_per_subject: 1 },
    ),
  ];

  const byModel = settings.maxAckPendingByModel;
  const maxAckPendingOf = (model: string) =>
    byModel !== undefined && Object.hasOwn(byModel, model)
      ? positiveInt(`maxAckPendingByModel.${model}`, byModel[model] as number)
      : maxAckPending;
  const consumers = [...new Set(settings.models)].map((model) => ({
    model,
    config: {
      durable_name: modelConsumerName(model),
      description: `Switchyard interactive jobs of tenant ${DEFAULT_TENANT} for logical model ${JSON.stringify(model)}`,
      filter_subject: subjects.jobs(DEFAULT_TENANT, model),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      ack_wait: nanos(ackWaitMs),
      max_deliver: d.maxDeliver,
      max_ack_pending: maxAckPendingOf(model),
      ...meta({ 'switchyard.model': model, 'switchyard.priority': 'interactive' }),
    },
  }));

  return { streams, jobsStream: names.jobs, consumers };
}

/**
 * How much longer than the answers are kept a tenant's consumer may go without a pull before
 * the server removes it (see tenantConsumerIdleMs).
 */
const TENANT_CONSUMER_IDLE_MARGIN_MS = hour;

/**
 * How long a tenant's consumer may go without a pull before the server removes it: as long as
 * LLM_ANSWERS keeps a job's record, and TENANT_CONSUMER_IDLE_MARGIN_MS more (for the call
 * a worker made after its last pull). Workers pull from it while the tenant's jobs wait (and
 * keep a pull open on an interactive one), and make it again when new ones arrive; the jobs
 * are the stream's, so removing the consumer loses none. The server removes an idle consumer
 * even with deliveries unacknowledged, and the consumer made again delivers them as first
 * deliveries, which a worker serves without looking for their record: removed sooner, a job
 * whose worker recorded its answer and died before its ack, with no worker running for a
 * while, would be sent to the provider again while its record still says how it was answered.
 */
export function tenantConsumerIdleMs(answersMaxAgeMs: number): number {
  return answersMaxAgeMs + TENANT_CONSUMER_IDLE_MARGIN_MS;
}

/**
 * The consumer of one tenant's lane of a model (see tenantConsumerName): the settings of the
 * model's own consumer (AckWait, deliveries, max ack pending, as provisioning left them),
 * filtered to `<root>.jobs.<tenant>.<model>` (interactive) or `….batch`, removed by the server
 * after `idleMs` without a pull (see tenantConsumerIdleMs). Pure; workers make it when they
 * find the tenant's jobs waiting.
 */
export function tenantConsumerConfig(
  modelConsumer: Readonly<ConsumerConfig>,
  lane: { tenant: string; model: string; priority: JobPriority },
  subjectRoot: string = DEFAULT_SUBJECT_ROOT,
  idleMs: number = tenantConsumerIdleMs(TopologyDefaults.answersMaxAgeMs),
): ManagedConsumerConfig {
  const { tenant, model, priority } = lane;
  const metadata = modelConsumer.metadata;
  return {
    durable_name: tenantConsumerName(tenant, model, priority),
    description: `Switchyard ${priority} jobs of tenant ${tenant} for logical model ${JSON.stringify(model)}`,
    filter_subject: createSubjects(subjectRoot).jobs(tenant, model, priority),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    replay_policy: ReplayPolicy.Instant,
    ack_wait: modelConsumer.ack_wait ?? nanos(30_000),
    max_deliver: modelConsumer.max_deliver ?? TopologyDefaults.maxDeliver,
    max_ack_pending: modelConsumer.max_ack_pending ?? TopologyDefaults.maxAckPending,
    inactive_threshold: nanos(idleMs),
    ...(metadata === undefined
      ? {}
      : {
          metadata: {
            'switchyard.model': model,
            'switchyard.priority': priority,
            'switchyard.tenant': tenant,
          },
        }),
  };
}

function maxBytesOf(kind: StreamKind, bytes = -1): number {
  if (bytes !== -1 && !(Number.isSafeInteger(bytes) && bytes > 0)) {
    throw new RangeError(`maxBytes.${kind} must be a number of bytes above 0, or -1, got ${bytes}`);
  }
  return bytes;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
