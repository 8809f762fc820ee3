import type { SwitchyardError } from '@switchyard/contracts';

/** The codes of the errors this package produces for jobs it cannot accept. */
export const MessagingErrorCodes = {
  /** `Switchyard-Reply-To` is not a subject an answer can be published to. */
  invalid_reply_to: 'invalid_reply_to',
  /** The job's tenant or model differs from the subject it was published on. */
  subject_mismatch: 'subject_mismatch',
  /**
   * `Switchyard-Reply-To` names a subject under the installation's root that is not one of the
   * job's tenant's results subjects (see SwitchyardSubjects.mayReplyTo); nothing is sent there.
   */
  reply_to_not_allowed: 'reply_to_not_allowed',
} as const;
export type MessagingErrorCode = (typeof MessagingErrorCodes)[keyof typeof MessagingErrorCodes];

/**
 * Thrown by a publish helper for a message that fails its schema; nothing was published.
 * `error` is the classified error (`invalid_job` for a job) naming every failing field.
 */
export class InvalidMessageError extends Error {
  override readonly name = 'InvalidMessageError';
  constructor(
    readonly error: SwitchyardError,
    options?: ErrorOptions,
  ) {
    super(error.message, options);
  }
}

/** Thrown for a reply subject that cannot be published to (empty, wildcard, whitespace). */
export class InvalidReplySubjectError extends Error {
  override readonly name = 'InvalidReplySubjectError';
}

/**
 * Thrown by provisioning when what exists on the server cannot be brought to the wanted
 * shape without losing messages or breaking another consumer: a stream whose retention or
 * storage differs, a consumer whose filter overlaps on the work queue, a setting the server
 * refuses to update. The message says what differs and what an operator can do; `cause` is
 * the server's error when there is one.
 */
export class TopologyConflictError extends Error {
  override readonly name = 'TopologyConflictError';
}

/**
 * Thrown by {@link publishJob} when the jobs stream refused the job because it is full (its
 * `max_bytes`; the stream discards new messages rather than old jobs). Nothing was queued;
 * publishing the same job later is safe. `cause` is the server's error.
 */
export class JobsStreamFullError extends Error {
  override readonly name = 'JobsStreamFullError';
}
