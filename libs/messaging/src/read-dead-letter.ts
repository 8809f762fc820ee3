import type { MsgHdrs } from '@nats-io/nats-core';
import {
  HeaderNames,
  errorTypeSchema,
  type CompletionJob,
  type ErrorType,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { jobMessageId } from './job-message-id';
import { readHeader } from './message-headers';
import { readJobMessage, type JobMessageInput } from './read-job-message';

/** The parts of a stored or delivered message that reading a dead letter needs. */
export type DeadLetterInput = JobMessageInput;

/** A dead letter, read: the failed job and what the worker said about the failure. */
export interface DeadLetter {
  /** The job as it should travel on; its `route` holds the failed model's hop. */
  job: CompletionJob;
  /**
   * Why the job failed on `job.model` (`Switchyard-Error-Type`); when the header is missing
   * or unknown, the type of the last failed call in the route, else `server`.
   */
  errorType: ErrorType;
  /** The delivery of the job that gave up (`Switchyard-Attempt`), when given. */
  attempt: number | null;
  /**
   * Where the job's answer goes (`Switchyard-Reply-To`); null when nobody waits, or when it is
   * not an inbox or results subject of the dead letter's tenant (see
   * SwitchyardSubjects.mayReplyTo): nothing may be published there.
   */
  replyTo: string | null;
  /** The dead letter's idempotency key, `<job id>#<hop>` (see jobMessageId). */
  msgId: string;
}

/** A dead letter read at the boundary; never an exception. */
export type ReadDeadLetterResult =
  | ({ ok: true } & DeadLetter)
  | { ok: false; reason: string; jobId: string | null; replyTo: string | null };

function readErrorType(headers: MsgHdrs | undefined, job: CompletionJob): ErrorType {
  const parsed = errorTypeSchema.safeParse(readHeader(headers, HeaderNames.errorType));
  if (parsed.success) return parsed.data;
  return job.route.at(-1)?.deployments.at(-1)?.type ?? 'server';
}

function readAttempt(headers: MsgHdrs | undefined): number | null {
  const value = Number(readHeader(headers, HeaderNames.attempt));
  return Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * Reads a message of the dead-letter stream (`<root>.dlq.<tenant>.<model token>`) with the one
 * reader of job-shaped messages ({@link readJobMessage}): the same reply-subject rule, contract
 * version and subject checks as a job. It is not a dead letter when the body is not a valid
 * job, the subject is not a dead-letter subject, or the job's tenant or model differs from the
 * subject's.
 */
export function readDeadLetter(
  msg: DeadLetterInput,
  subjects: SwitchyardSubjects,
): ReadDeadLetterResult {
  const read = readJobMessage(msg, subjects, 'dlq');
  if (!read.ok) {
    return { ok: false, reason: read.error.message, jobId: read.jobId, replyTo: read.replyTo };
  }
  return {
    ok: true,
    job: read.job,
    errorType: readErrorType(msg.headers, read.job),
    attempt: readAttempt(msg.headers),
    replyTo: read.replyTo,
    msgId: jobMessageId(read.job),
  };
}
