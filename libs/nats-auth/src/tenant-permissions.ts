import {
  createSubjects,
  streamNames,
  tenantIdSchema,
  tenantInboxPrefix,
} from '@switchyard/contracts';

/** A nats-server user's permissions: the subjects it may publish to and subscribe to. */
export interface NatsPermissions {
  readonly publish: { readonly allow: readonly string[] };
  readonly subscribe: { readonly allow: readonly string[] };
}

/** Options of {@link tenantPermissions}. */
export interface TenantPermissionOptions {
  /** The installation's subject root (`switchyard.nats.subject_root`). @defaultValue 'llm' */
  subjectRoot?: string;
  /** The installation's stream prefix (`switchyard.nats.stream_prefix`). @defaultValue '' */
  streamPrefix?: string;
}

/** Thrown for a tenant, user or password that cannot go into an authorization config. */
export class NatsAuthConfigError extends Error {
  override readonly name = 'NatsAuthConfigError';
}

/**
 * What a tenant's NATS user may do. Publish: its own jobs subject `<root>.jobs.<tenant>.>`
 * (the stream's acknowledgement is a reply, so no `$JS.API` subject is needed), its own plain
 * chat and embeddings requests `<root>.chat.<tenant>.>` and `<root>.embeddings.<tenant>.>`
 * (the gateway answers on its inbox), and the
 * cancellations of its own jobs `<root>.cancel.<tenant>.>` (workers match a cancel to a job by
 * tenant and id, so no tenant can cancel another's job). Subscribe: its own inboxes
 * `_INBOX.<tenant>.>` (see tenantInboxPrefix in @switchyard/contracts),
 * where its answers, stream chunks and publish acknowledgements arrive, its budget events
 * `<root>.events.budget.<tenant>`, and its own jobs' answer records as they are stored
 * `<root>.answers.<tenant>.>`. Nothing else: no other tenant's jobs, inboxes or budget
 * events, no usage, dead-letter or results subjects, no JetStream API (so no stream can be
 * read or changed), no spend queries.
 */
export function tenantPermissions(
  tenant: string,
  options: TenantPermissionOptions = {},
): NatsPermissions {
  const subjects = createSubjects(options.subjectRoot);
  const id = checkedTenant(tenant);
  return {
    publish: {
      allow: [
        subjects.jobsForTenant(id),
        subjects.chatForTenant(id),
        subjects.embeddingsForTenant(id),
        subjects.cancelForTenant(id),
        ...readOwnResults(subjects.resultsForTenant(id), streamNames(options.streamPrefix).results),
        // Its own jobs' recorded answers, by job id (a direct get names the subject).
        `$JS.API.DIRECT.GET.${streamNames(options.streamPrefix).answers}.${subjects.answersForTenant(id)}`,
      ],
    },
    subscribe: {
      allow: [
        `${tenantInboxPrefix(id)}.>`,
        subjects.budgetEvents(id),
        // Its own jobs' answer records as they are stored (a job submitted again waits on it).
        subjects.answersForTenant(id),
      ],
    },
  };
}

/**
 * The JetStream API calls that read a batch's results with an ordered consumer
 * (`client.batches.results`), limited to consumers whose filter is within the tenant's own
 * results subjects: nats.js puts the filter in the create subject, and the server refuses a
 * create whose body's filter differs from it. The ordered consumer reads the stream's info
 * first; that info can list the subjects in the results stream (other tenants' batch ids and
 * their message counts), not their messages.
 */
function readOwnResults(ownResults: string, stream: string): string[] {
  return [
    `$JS.API.STREAM.INFO.${stream}`,
    `$JS.API.CONSUMER.CREATE.${stream}.*.${ownResults}`,
    `$JS.API.CONSUMER.MSG.NEXT.${stream}.*`,
    `$JS.API.CONSUMER.INFO.${stream}.*`,
    `$JS.API.CONSUMER.DELETE.${stream}.*`,
  ];
}

function checkedTenant(tenant: string): string {
  if (!tenantIdSchema.safeParse(tenant).success) {
    throw new NatsAuthConfigError(
      `invalid tenant ${JSON.stringify(tenant)}: must be 1 to 64 characters of A-Z a-z 0-9 _ -`,
    );
  }
  return tenant;
}
