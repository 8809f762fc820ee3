import {
  batchesBucketName,
  createSubjects,
  filesBucketName,
  keysBucketName,
  serviceInboxPrefix,
  streamNames,
  type ServiceRole,
} from '@switchyard/contracts';
import type { NatsPermissions, TenantPermissionOptions } from './tenant-permissions';

/**
 * The JetStream API calls that create or update Switchyard's streams and the consumers of one
 * stream (provisioning is idempotent and runs at every service's start). Never PURGE, DELETE or
 * MSG.DELETE: a role that provisions still cannot empty or remove a stream.
 */
function provision(streams: readonly string[], consumersOn: string): string[] {
  return [
    ...streams.flatMap((stream) => [
      `$JS.API.STREAM.CREATE.${stream}`,
      `$JS.API.STREAM.UPDATE.${stream}`,
    ]),
    `$JS.API.CONSUMER.CREATE.${consumersOn}.>`,
    `$JS.API.CONSUMER.DURABLE.CREATE.${consumersOn}.>`,
    `$JS.API.CONSUMER.LIST.${consumersOn}`,
    `$JS.API.CONSUMER.NAMES.${consumersOn}`,
  ];
}

/** Pulling from the durable consumers of a stream and acknowledging what was pulled. */
function pull(stream: string): string[] {
  return [`$JS.API.CONSUMER.MSG.NEXT.${stream}.*`, `$JS.ACK.${stream}.>`];
}

/**
 * Reading the virtual keys bucket (`KV_<bucket>`) as libs/keys' in-memory view does: opening
 * the bucket (created when missing, replicas brought to the config's) and watching it with an
 * ordered push consumer, whose flow-control answers `allow_responses` covers. Never `$KV.…`:
 * only the admin user writes keys.
 */
function readKeys(bucket: string): string[] {
  const stream = `KV_${bucket}`;
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.STREAM.CREATE.${stream}`,
    `$JS.API.STREAM.UPDATE.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
  ];
}

/**
 * Using the Files API's object store (`OBJ_<files>`) and the Batch API's KV bucket
 * (`KV_<batches>`) as libs/batches does: opening each (created when missing), reading,
 * writing and deleting files and batch records, listing and watching them with ordered
 * consumers. Nothing else of JetStream.
 */
function batchBuckets(streamPrefix: string | undefined): string[] {
  const files = filesBucketName(streamPrefix);
  const batches = batchesBucketName(streamPrefix);
  return [
    `$O.${files}.>`,
    `$KV.${batches}.>`,
    ...[`OBJ_${files}`, `KV_${batches}`].flatMap((stream) => [
      `$JS.API.STREAM.INFO.${stream}`,
      `$JS.API.STREAM.CREATE.${stream}`,
      `$JS.API.STREAM.UPDATE.${stream}`,
      `$JS.API.STREAM.MSG.GET.${stream}`,
      `$JS.API.DIRECT.GET.${stream}`,
      `$JS.API.DIRECT.GET.${stream}.>`,
      `$JS.API.CONSUMER.CREATE.${stream}`,
      `$JS.API.CONSUMER.CREATE.${stream}.>`,
      `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
      `$JS.API.CONSUMER.DELETE.${stream}.*`,
    ]),
    `$JS.API.STREAM.PURGE.OBJ_${files}`,
  ];
}

/** Following a stream with an ordered consumer (ephemeral: made, pulled, deleted when reset). */
function follow(stream: string): string[] {
  return [
    `$JS.API.CONSUMER.CREATE.${stream}.>`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
  ];
}

/**
 * What one service role may publish and subscribe to (see docs/tenancy.md for the table and
 * why each line is there). Every role may read the info of Switchyard's streams and
 * consumers, answer requests it received (`allow_responses`: NATS micro `$SRV` pings, spend
 * queries), and subscribe to its own inbox prefix (`_INBOX_<role>`, see serviceInboxPrefix)
 * and to `$SRV.>`. Beyond that:
 * - `gateway`: submit and cancel jobs of any tenant (it authenticates tenants itself), read
 *   every tenant's inboxes, where the answers it relays arrive, and read the keys bucket;
 *   answer plain chat and embeddings requests (`<root>.chat.*.*`, `<root>.embeddings.*.*`) on
 *   the requester's inbox, a tenant inbox
 *   (the chunks of a streamed answer are many messages, more than `allow_responses` allows);
 *   follow answer records as they are stored (a job submitted again waits for the first's);
 *   use the files and batches buckets (`/v1/files`, `/v1/batches`);
 * - `worker`: provision the streams and the model consumers, pull and ack jobs, record and
 *   read answers (LLM_ANSWERS), answer on tenants' inboxes and results subjects, publish usage,
 *   dead letters and budget events, follow the cancellations stream and read the keys bucket;
 * - `fallback`: provision its dead-letter consumer, pull and ack dead letters, republish jobs
 *   to fallback models, record and send final errors on tenants' inboxes and results
 *   subjects, and purge the
 *   subjects of jobs for models no worker serves (the only purge any role may do);
 * - `metering`: provision its usage consumer, pull and ack usage events, replay the usage
 *   stream into an emptied Redis (an ephemeral consumer), read the keys bucket, answer spend
 *   queries;
 * - `batch` (the batch runner): use the files and batches buckets, submit and cancel jobs of
 *   any tenant, follow and answer batch results subjects (LLM_RESULTS), read answer records;
 * - `admin` (the CLI, `switchyard up`): everything.
 */
export function servicePermissions(
  role: ServiceRole,
  options: TenantPermissionOptions = {},
): NatsPermissions & { allowResponses?: true } {
  const subjects = createSubjects(options.subjectRoot);
  const names = streamNames(options.streamPrefix);
  const allStreams = Object.values(names);
  const keys = readKeys(keysBucketName(options.streamPrefix));
  if (role === 'admin') return { publish: { allow: ['>'] }, subscribe: { allow: ['>'] } };
  const tenantInboxes = '_INBOX.*.>';
  const common = {
    publish: [
      '$JS.API.INFO',
      ...allStreams.flatMap((stream) => [
        `$JS.API.STREAM.INFO.${stream}`,
        `$JS.API.CONSUMER.INFO.${stream}.*`,
      ]),
    ],
    subscribe: [`${serviceInboxPrefix(role)}.>`, '$SRV.>', '$SY.>'],
  };
  const answer = [tenantInboxes, subjects.streamSubjects.results];
  const own: Record<Exclude<ServiceRole, 'admin'>, { publish: string[]; subscribe: string[] }> = {
    gateway: {
      publish: [
        subjects.streamSubjects.jobs,
        subjects.cancelAll,
        `$JS.API.DIRECT.GET.${names.answers}.>`,
        // A streamed answer to a chat request is many messages; allow_responses allows one.
        tenantInboxes,
        ...keys,
        ...batchBuckets(options.streamPrefix),
      ],
      // Answer records as they are stored: a job submitted again waits for the first's.
      subscribe: [
        tenantInboxes,
        subjects.chatAll,
        subjects.embeddingsAll,
        subjects.streamSubjects.answers,
      ],
    },
    worker: {
      publish: [
        ...provision(allStreams, names.jobs),
        ...pull(names.jobs),
        ...answer,
        subjects.streamSubjects.usage,
        subjects.streamSubjects.dlq,
        subjects.streamSubjects.answers,
        `$JS.API.DIRECT.GET.${names.answers}.>`,
        ...follow(names.cancels),
        subjects.budgetEventsAll,
        subjects.cooldownEventsAll,
        ...keys,
      ],
      subscribe: [subjects.cooldownEventsAll],
    },
    fallback: {
      publish: [
        ...provision(allStreams, names.dlq),
        ...pull(names.dlq),
        ...answer,
        subjects.streamSubjects.jobs,
        // The final error of a job whose fallbacks are spent is recorded like every answer.
        subjects.streamSubjects.answers,
        `$JS.API.STREAM.PURGE.${names.jobs}`,
      ],
      subscribe: [subjects.streamSubjects.jobs],
    },
    batch: {
      publish: [
        ...batchBuckets(options.streamPrefix),
        subjects.streamSubjects.jobs,
        subjects.cancelAll,
        subjects.streamSubjects.results,
        ...follow(names.results),
        `$JS.API.DIRECT.GET.${names.answers}.>`,
      ],
      // The jobs stream's acknowledgements arrive on the tenant's client inbox.
      subscribe: [tenantInboxes],
    },
    metering: {
      publish: [
        ...provision(allStreams, names.usage),
        ...pull(names.usage),
        `$JS.API.CONSUMER.DELETE.${names.usage}.*`,
        ...keys,
      ],
      subscribe: [subjects.meteringSpend],
    },
  };
  return {
    publish: { allow: [...common.publish, ...own[role].publish] },
    subscribe: { allow: [...common.subscribe, ...own[role].subscribe] },
    allowResponses: true,
  };
}
