import type { PubAck } from '@nats-io/jetstream';
import { InvalidArgumentError } from '@nats-io/nats-core';
import type { Context } from '@opentelemetry/api';
import {
  laneOf,
  completionJobSchema,
  formatIssues,
  makeError,
  subjects as defaultSubjects,
  ContractErrorCodes,
  type CompletionJob,
  type CompletionJobInput,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { ApiErrorCodes, isApiError } from './jetstream-api-errors';
import { jobMessageId } from './job-message-id';
import { isPublishableSubject, switchyardHeaders } from './message-headers';
import {
  InvalidMessageError,
  InvalidReplySubjectError,
  JobsStreamFullError,
} from './messaging.errors';
import type { StreamPublish } from './stream-publisher';

/** Options of {@link publishJob}. */
export interface PublishJobOptions {
  /**
   * Where the answer goes: an inbox the caller subscribed to, or a durable
   * `<root>.results.<batch>` subject. Omit it only when nobody waits for the answer.
   */
  replyTo?: string;
  /** The installation's subjects. @defaultValue the subjects under `llm` */
  subjects?: SwitchyardSubjects;
  /** The trace context to propagate. @defaultValue the active context */
  traceContext?: Context;
  /** Milliseconds to wait for the stream's acknowledgement. @defaultValue the client's */
  timeoutMs?: number;
}

/**
 * Checks a job against the contract and returns it as it goes on the wire (with defaults
 * such as an empty `route`). Throws an InvalidMessageError (`invalid_job`) naming every
 * failing field.
 */
export function validateJob(job: CompletionJobInput): CompletionJob {
  const parsed = completionJobSchema.safeParse(job);
  if (parsed.success) return parsed.data;
  throw new InvalidMessageError(
    makeError(
      'invalid_job',
      ContractErrorCodes.schema_mismatch,
      `invalid job: ${formatIssues(parsed.error.issues)}`,
    ),
  );
}

/**
 * Publishes a job to `<root>.jobs.<tenant>.<model token>` (stream LLM_JOBS) and resolves
 * when the stream has stored it.
 *
 * Headers: `Nats-Msg-Id` (see {@link jobMessageId}: the job id, so a job published twice
 * within the stream's duplicate window is stored, and so run, once; the PubAck then has
 * `duplicate: true`), `Switchyard-Reply-To`, `Switchyard-Contract`, and the W3C trace
 * context. After a timeout, publishing again with the same job is safe.
 *
 * Throws an InvalidMessageError for a job that fails the contract or is larger than the
 * server's `max_payload` (`request_too_large`: it can never be queued, so publishing it again
 * is pointless) and an InvalidReplySubjectError for a reply subject one cannot publish to;
 * nothing is published.
 * Throws a JobsStreamFullError when the jobs stream is full (`max_bytes`): it refuses new jobs
 * rather than dropping queued ones.
 */
export async function publishJob(
  js: StreamPublish,
  job: CompletionJobInput,
  options: PublishJobOptions = {},
): Promise<PubAck> {
  const { replyTo, subjects = defaultSubjects, traceContext, timeoutMs } = options;
  if (replyTo !== undefined && !isPublishableSubject(replyTo)) {
    throw new InvalidReplySubjectError(
      `cannot publish a job with reply subject ${JSON.stringify(replyTo)}: not a publishable subject`,
    );
  }
  const valid = validateJob(job);
  const msgId = jobMessageId(valid);
  try {
    return await js.publish(
      subjects.jobs(valid.tenant, valid.model, laneOf(valid)),
      JSON.stringify(valid),
      {
        msgID: msgId,
        headers: switchyardHeaders({ replyTo, traceContext }),
        ...(timeoutMs === undefined ? {} : { timeout: timeoutMs }),
      },
    );
  } catch (error) {
    if (isPayloadTooLarge(error)) {
      throw new InvalidMessageError(
        makeError(
          'invalid_job',
          'request_too_large',
          `job ${valid.id} is larger than one NATS message may be (max_payload): it cannot be queued`,
        ),
        { cause: error },
      );
    }
    if (!isApiError(error, ApiErrorCodes.streamStoreFailed)) throw error;
    throw new JobsStreamFullError(
      `the jobs stream is full (${error.message}): job ${valid.id} was not queued`,
      { cause: error },
    );
  }
}

/** The client refuses to send a message over the server's `max_payload`. */
function isPayloadTooLarge(error: unknown): boolean {
  return error instanceof InvalidArgumentError && error.message.includes('max_payload');
}
