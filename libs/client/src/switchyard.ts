import { Jobs } from './jobs/jobs';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  DEFAULT_TENANT,
  createSubjects,
  tenantIdSchema,
  tenantInboxPrefix,
} from '@switchyard/contracts';
import { StreamPublisher } from '@switchyard/messaging';
import { Batches } from './batches/batches';
import { Completions } from './chat/completions';
import { Embeddings } from './embeddings/embeddings';
import { ReplyMux } from './chat/reply-mux';
import type { ClientContext } from './client-context';

/** Options of the {@link Switchyard} client. */
export interface SwitchyardOptions {
  /** An open NATS connection (`connectNats` from @switchyard/messaging, or any nats.js v3). */
  nc: NatsConnection;
  /** The tenant jobs are submitted for: a subject token NATS permissions guard. @defaultValue 'default' */
  tenant?: string;
  /** The installation's subject root (`switchyard.nats.subject_root`). @defaultValue 'llm' */
  subjectRoot?: string;
  /** The installation's stream prefix (`switchyard.nats.stream_prefix`), for batch results. @defaultValue '' */
  streamPrefix?: string;
  /** How long a call waits for its answer, in milliseconds. @defaultValue 600_000 (10 minutes, as the OpenAI client) */
  timeoutMs?: number;
  /**
   * The installation's logical model names (`Object.keys(config.models)`). When given, a job
   * for any other model is refused at once with an InvalidJobError `unknown_model` and
   * nothing is published; without it such a job waits in the queue, since no worker serves
   * it, until the call times out. @defaultValue unknown: every model is sent
   */
  models?: Iterable<string>;
}

/**
 * The Switchyard producer SDK, shaped like the official OpenAI client: code moves over by
 * changing the constructor.
 *
 * ```ts
 * const client = new Switchyard({ nc });           // was: new OpenAI()
 * const result = await client.chat.completions.create({
 *   model: 'fast-triage-model',
 *   messages: [{ role: 'user', content: 'Is this email urgent?' }],
 * });
 * ```
 */
export class Switchyard {
  readonly chat: { readonly completions: Completions };
  /** Embeddings through the queue (OpenAI's `client.embeddings`). */
  readonly embeddings: Embeddings;
  readonly batches: Batches;
  readonly jobs: Jobs;
  /** The tenant, subjects and settings this client submits with. */
  readonly context: ClientContext;

  /** Throws a TypeError for a tenant that is not a subject token, and the contracts' SubjectError for an invalid subject root. */
  constructor(options: SwitchyardOptions) {
    const tenant = options.tenant ?? DEFAULT_TENANT;
    if (!tenantIdSchema.safeParse(tenant).success) {
      throw new TypeError(
        `invalid tenant ${JSON.stringify(tenant)}: must be 1 to 64 characters of A-Z a-z 0-9 _ -`,
      );
    }
    const subjects = createSubjects(options.subjectRoot);
    const streamPrefix = options.streamPrefix ?? '';
    this.context = {
      nc: options.nc,
      js: jetstream(options.nc),
      streams: new StreamPublisher(options.nc, { inboxPrefix: tenantInboxPrefix(tenant) }),
      tenant,
      subjects,
      streamPrefix,
      replies: new ReplyMux(options.nc, tenant, subjects, streamPrefix),
      timeoutMs: options.timeoutMs ?? 600_000,
      models: options.models === undefined ? undefined : new Set(options.models),
    };
    this.chat = { completions: new Completions(this.context) };
    this.embeddings = new Embeddings(this.context);
    this.batches = new Batches(this.context);
    this.jobs = new Jobs(this.context);
  }
}
