import type { MsgHdrs } from '@nats-io/nats-core';
import type { Context } from '@opentelemetry/api';
import {
  CONTRACT_VERSION,
  ContractErrorCodes,
  HeaderNames,
  decodeJob,
  makeError,
  unsupportedVersionMessage,
  type CompletionJob,
  type SwitchyardError,
  type SwitchyardSubjects,
} from '@switchyard/contracts';
import { readHeader, readReplyTo } from './message-headers';
import { MessagingErrorCodes } from './messaging.errors';
import { extractTraceContext } from './trace-context';

/** The parts of a delivered message that reading a job needs. */
export interface JobMessageInput {
  subject: string;
  data: Uint8Array;
  headers: MsgHdrs | undefined;
}

/**
 * The job-shaped messages: a job (`<root>.jobs.<tenant>.<model token>`), and a dead letter, the
 * job that failed on a model (`<root>.dlq.<tenant>.<model token>`).
 */
export type JobMessageKind = 'jobs' | 'dlq';

/** What every read job message carries, valid or not. */
export interface JobMessageEnvelope {
  /** The subject the message was published on. */
  subject: string;
  /**
   * The tenant of the subject: the authority on who submitted the job (NATS permissions
   * decide who may publish there). Null when the subject is not of the kind read.
   */
  tenant: string | null;
  /** Where the answer goes (`Switchyard-Reply-To`); null when nobody waits or it is invalid. */
  replyTo: string | null;
  /** The producer's trace context, to start the consumer's span in. */
  traceContext: Context;
}

/**
 * A job message read at the boundary: the decoded job, or an `invalid_job` error ready to
 * send to `replyTo` (with the job id when the body held a valid one).
 */
export type ReadJobMessageResult = JobMessageEnvelope &
  ({ ok: true; job: CompletionJob } | { ok: false; error: SwitchyardError; jobId: string | null });

/**
 * Reads a job-shaped message: every job and every dead letter is read here, and nowhere else.
 * Never throws. The reply subject is checked first, against the tenant of
 * the subject (which NATS permissions guard): `replyTo` is null unless it is an inbox or results
 * subject of that tenant (SwitchyardSubjects.mayReplyTo), so no error about a job, however
 * broken, is ever sent anywhere else. It is an `invalid_job` error when, in this order: the
 * subject is not a jobs subject (`subject_mismatch`), `Switchyard-Reply-To` is not publishable (`invalid_reply_to`) or not the tenant's
 * (`reply_to_not_allowed`), `Switchyard-Contract` names a version this build does not know
 * (`unsupported_contract_version`), the body is not a job (`malformed_json`, `schema_mismatch`,
 * …, from decodeJob), or the job's tenant or model differs from the subject's
 * (`subject_mismatch`: the subject is the authority).
 */
export function readJobMessage(
  msg: JobMessageInput,
  subjects: SwitchyardSubjects,
  kind: JobMessageKind = 'jobs',
): ReadJobMessageResult {
  const parsedSubject = subjects.parse(msg.subject);
  const tenant = parsedSubject.ok && parsedSubject.kind === kind ? parsedSubject.tenant : null;
  const reply = readReplyTo(msg.headers);
  const replyAllowed =
    reply.ok &&
    reply.replyTo !== null &&
    tenant !== null &&
    subjects.mayReplyTo(tenant, reply.replyTo);
  const envelope: JobMessageEnvelope = {
    subject: msg.subject,
    tenant,
    replyTo: replyAllowed ? reply.replyTo : null,
    traceContext: extractTraceContext(msg.headers),
  };
  const decoded = decodeJob(msg.data);
  const jobId = decoded.ok ? decoded.job.id : decoded.job_id;
  const fail = (code: string, message: string) => ({
    ...envelope,
    ok: false as const,
    error: makeError('invalid_job', code, message),
    jobId,
  });

  if (!parsedSubject.ok || parsedSubject.kind !== kind) {
    const why = parsedSubject.ok
      ? `it is a ${parsedSubject.kind} subject, not ${kind}`
      : parsedSubject.reason;
    return fail(MessagingErrorCodes.subject_mismatch, `invalid job: ${why}`);
  }
  if (!reply.ok) return fail(MessagingErrorCodes.invalid_reply_to, reply.reason);
  if (reply.replyTo !== null && !replyAllowed) {
    return fail(
      MessagingErrorCodes.reply_to_not_allowed,
      `invalid job: ${HeaderNames.replyTo} ${JSON.stringify(reply.replyTo.slice(0, 80))} is not an inbox (_INBOX.<tenant>.…) nor a results subject of the job's tenant`,
    );
  }
  const version = readHeader(msg.headers, HeaderNames.contract);
  if (version !== null && version !== String(CONTRACT_VERSION)) {
    return fail(
      ContractErrorCodes.unsupported_contract_version,
      `invalid job: ${HeaderNames.contract} header: ${unsupportedVersionMessage(version)}`,
    );
  }
  if (!decoded.ok) return { ...envelope, ok: false, error: decoded.error, jobId };

  const { job } = decoded;
  if (job.tenant !== parsedSubject.tenant) {
    return fail(
      MessagingErrorCodes.subject_mismatch,
      `invalid job: tenant ${JSON.stringify(job.tenant)} differs from the subject's tenant ${JSON.stringify(parsedSubject.tenant)}`,
    );
  }
  if (job.model !== parsedSubject.model) {
    return fail(
      MessagingErrorCodes.subject_mismatch,
      `invalid job: model ${JSON.stringify(job.model)} differs from the subject's model ${JSON.stringify(parsedSubject.model)}`,
    );
  }
  return { ...envelope, ok: true, job };
}
