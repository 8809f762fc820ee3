import { createHash } from 'node:crypto';
import { logicalModelNameSchema, tenantIdSchema } from './ids.schema';
import type { JobPriority } from './priority';
import { encodeSubjectToken } from './subject-token';

/**
 * The JetStream streams of Switchyard: jobs (work-queue), dead letters, usage events, batch
 * results, the final answer of every job by job id, and cancellations.
 */
export const StreamNames = {
  jobs: 'LLM_JOBS',
  dlq: 'LLM_DLQ',
  usage: 'LLM_USAGE',
  results: 'LLM_RESULTS',
  answers: 'LLM_ANSWERS',
  cancels: 'LLM_CANCELS',
} as const;
export type StreamKind = keyof typeof StreamNames;

/** Thrown for a stream prefix or model name that cannot name a stream or consumer. */
export class StreamNameError extends Error {
  override readonly name = 'StreamNameError';
}

/**
 * The stream names, each preceded by `<prefix>_` when a prefix is given (`T1` →
 * `T1_LLM_JOBS`), so that tests sharing one server never share a stream. The prefix is 1 to
 * 32 characters of `[A-Za-z0-9_-]`; none, or '' (`switchyard.nats.stream_prefix`'s default),
 * means no prefix.
 */
export function streamNames(prefix?: string): Readonly<Record<StreamKind, string>> {
  if (prefix === undefined || prefix === '') return StreamNames;
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(prefix)) {
    throw new StreamNameError(
      `invalid stream prefix ${JSON.stringify(prefix)}: must be 1 to 32 characters of A-Z a-z 0-9 _ -`,
    );
  }
  const prefixed = Object.entries(StreamNames).map(([kind, name]) => [kind, `${prefix}_${name}`]);
  return Object.fromEntries(prefixed) as Record<StreamKind, string>;
}

/**
 * How long the usage stream (LLM_USAGE) keeps events: how far back metering can replay them
 * (a new durable, or rebuilding its Redis state), so the longest budget period whose spend a
 * rebuild can recover in full.
 */
export const USAGE_MAX_AGE_MS = 7 * 24 * 3_600_000;

/** The JetStream KV bucket of the virtual keys, before any installation prefix. */
export const KEYS_BUCKET = 'SWITCHYARD_KEYS';

/**
 * The KV bucket holding the virtual keys: `SWITCHYARD_KEYS`, or `<prefix>_SWITCHYARD_KEYS`
 * with a stream prefix, by the same rule as {@link streamNames} (its stream is
 * `KV_<bucket>`, its subjects `$KV.<bucket>.>`).
 */
export function keysBucketName(prefix?: string): string {
  return prefixed(KEYS_BUCKET, prefix);
}

/** The object store of `/v1/files` uploads and batch output files, before any prefix. */
export const FILES_BUCKET = 'SWITCHYARD_FILES';

/** The KV bucket of the batches created on `/v1/batches`, before any prefix. */
export const BATCHES_BUCKET = 'SWITCHYARD_BATCHES';

/**
 * The object store of the Files API: `SWITCHYARD_FILES`, or `<prefix>_SWITCHYARD_FILES`, by the
 * rule of {@link keysBucketName} (its stream is `OBJ_<bucket>`, its subjects `$O.<bucket>.>`).
 */
export function filesBucketName(prefix?: string): string {
  return prefixed(FILES_BUCKET, prefix);
}

/**
 * The KV bucket of the Batch API's batches: `SWITCHYARD_BATCHES`, or `<prefix>_SWITCHYARD_BATCHES`
 * (its stream is `KV_<bucket>`, its subjects `$KV.<bucket>.>`).
 */
export function batchesBucketName(prefix?: string): string {
  return prefixed(BATCHES_BUCKET, prefix);
}

function prefixed(bucket: string, prefix: string | undefined): string {
  if (prefix === undefined || prefix === '') return bucket;
  streamNames(prefix);
  return `${prefix}_${bucket}`;
}

/** nats-server refuses stream and consumer names longer than this (`JSMaxNameLen`). */
export const MAX_JETSTREAM_NAME_LENGTH = 255;

const keptTokenLength = 180;

/**
 * The durable consumer on the jobs stream that serves one logical model's interactive lane for
 * tenant `default` (the tenant of an installation without tenancy), shared by every worker pool
 * that serves it. Provisioning makes it; its settings are those every tenant consumer of the
 * model takes (see tenantConsumerName), and its existence is what says the model is served.
 *
 * It is `model-<subject token of the name>` (`openai/gpt-4o` → `model-openai~2Fgpt-4o`).
 * nats-server and nats.js refuse `.`, `*`, `>`, `/`, `\` and whitespace in consumer names;
 * a token never contains them, and `~` is accepted by both, so the name stays readable.
 * When that would exceed 255 characters, the name is `model~<the first 180 characters of the
 * token, not cutting an escape>~<SHA-256 of the model name, 32 hex digits>`: distinct names
 * still give distinct consumers, and the `model~` start can never clash with a short name's.
 * The name is for provisioning and operators; it is not meant to be parsed back.
 */
export function modelConsumerName(model: string): string {
  const token = consumerToken(model);
  const plain = `model-${token}`;
  if (plain.length <= MAX_JETSTREAM_NAME_LENGTH) return plain;
  return `model~${keptToken(token, keptTokenLength)}~${nameHash(model)}`;
}

/**
 * The durable consumer of one tenant's lane of a model: `<lane>-<tenant>~<model token>`
 * (`acme`, `openai/gpt-4o`, batch → `batch-acme~openai~2Fgpt-4o`; interactive →
 * `interactive-acme~openai~2Fgpt-4o`). A tenant id never contains `~`, so the first `~` ends it.
 * One consumer per tenant is what lets workers take turns between tenants: workers create them
 * as they find a tenant's jobs waiting, and the server removes one that no worker pulled from
 * for a while. The interactive lane of tenant `default` is the model's own consumer
 * (modelConsumerName), never one of these. Too long a name becomes
 * `<lane>~<tenant>~<the token's start>~<SHA-256 of tenant and model>`, as for modelConsumerName.
 */
export function tenantConsumerName(tenant: string, model: string, priority: JobPriority): string {
  const check = tenantIdSchema.safeParse(tenant);
  if (!check.success) {
    throw new StreamNameError(
      `invalid tenant ${JSON.stringify(tenant)}: ${check.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  const token = consumerToken(model);
  const plain = `${priority}-${tenant}~${token}`;
  if (plain.length <= MAX_JETSTREAM_NAME_LENGTH) return plain;
  const room = MAX_JETSTREAM_NAME_LENGTH - `${priority}~${tenant}~~`.length - nameHashLength;
  return `${priority}~${tenant}~${keptToken(token, room)}~${nameHash(`${tenant}\n${model}`)}`;
}

const nameHashLength = 32;

function consumerToken(model: string): string {
  const check = logicalModelNameSchema.safeParse(model);
  if (!check.success) {
    throw new StreamNameError(
      `invalid logical model name ${JSON.stringify(model)}: ${check.error.issues.map((i) => i.message).join('; ')}`,
    );
  }
  return encodeSubjectToken(model);
}

/** The token's first `length` characters, not cutting an escape (`~XX`) in two. */
function keptToken(token: string, length: number): string {
  let kept = token.slice(0, length);
  const cut = kept.lastIndexOf('~');
  if (cut !== -1 && cut > kept.length - 3) kept = kept.slice(0, cut);
  return kept;
}

function nameHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, nameHashLength);
}
