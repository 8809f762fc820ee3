import type { PubAck } from '@nats-io/jetstream';
import type { Context } from '@opentelemetry/api';
import {
  subjects as defaultSubjects,
  type CompletionJobInput,
  type ErrorType,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { jobMessageId } from './job-message-id';
import { isPublishableSubject, switchyardHeaders } from './message-headers';
import { InvalidReplySubjectError } from './messaging.errors';
import { validateJob } from './publish-job';
import type { StreamPublish } from './stream-publisher';

/** Options of {@link publishDeadLetter}. */
export interface PublishDeadLetterOptions {
  /** Why the job failed on this model; the fallback router routes on it. */
  errorType: ErrorType;
  /** The 1-based delivery of the job that gave up (its JetStream delivery count). */
  attempt: number;
  /** The job's reply subject, carried on so the router can answer. */
  replyTo?: string;
  /** The installation's subjects. @defaultValue the subjects under `llm` */
  subjects?: SwitchyardSubjects;
  /** The trace context to propagate. @defaultValue the active context */
  traceContext?: Context;
  /** Milliseconds to wait for the stream's acknowledgement. @defaultValue the client's */
  timeoutMs?: number;
}

/**
 * Publishes a job that failed on its model to `<root>.dlq.<tenant>.<model token>` (stream
 * LLM_DLQ), with `Switchyard-Error-Type`, `Switchyard-Attempt`, `Switchyard-Reply-To` and
 * the trace context. The body is the job as it should travel on (its `route` already holding
 * this model's failures, when the caller adds them). `Nats-Msg-Id` is
 * {@link jobMessageId}, so a worker that dead-letters the same hop twice (it crashed before
 * acking the job) stores it once.
 */
export async function publishDeadLetter(
  js: StreamPublish,
  job: CompletionJobInput,
  options: PublishDeadLetterOptions,
): Promise<PubAck> {
  const { errorType, attempt, replyTo, subjects = defaultSubjects, traceContext } = options;
  if (replyTo !== undefined && !isPublishableSubject(replyTo)) {
    throw new InvalidReplySubjectError(
      `cannot dead-letter a job with reply subject ${JSON.stringify(replyTo)}: not a publishable subject`,
    );
  }
  const valid = validateJob(job);
  return js.publish(subjects.dlq(valid.tenant, valid.model), JSON.stringify(valid), {
    msgID: jobMessageId(valid),
    headers: switchyardHeaders({ replyTo, errorType, attempt, traceContext }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
}
