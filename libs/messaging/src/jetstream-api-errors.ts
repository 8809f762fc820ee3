import { JetStreamApiError } from '@nats-io/jetstream';

/** The JetStream API error codes (`err_code`) provisioning reacts to. */
export const ApiErrorCodes = {
  consumerNotFound: 10014,
  streamNotFound: 10059,
  /** A stream of that name exists with a different configuration. */
  streamNameExists: 10058,
  /** The stream's subjects overlap another stream's. */
  streamSubjectOverlap: 10065,
  /** A durable of that name exists (nats-server 2.10+, create action). */
  consumerAlreadyExists: 10148,
  /** A consumer name is in use (older servers' form of the above). */
  consumerNameExists: 10013,
  /** Two consumers of a work-queue stream would receive the same subject. */
  workQueueFilterNotUnique: 10100,
  /** The stream could not store a message: a limit it discards new messages at was reached. */
  streamStoreFailed: 10077,
} as const;

/** True when `error` is a JetStream API error with one of the codes. */
export function isApiError(error: unknown, ...codes: number[]): error is JetStreamApiError {
  return error instanceof JetStreamApiError && codes.includes(error.code);
}

/** The server's description of an API error, or the error's message. */
export function describeError(error: unknown): string {
  if (error instanceof JetStreamApiError) {
    return `${error.apiError().description} (err_code ${error.code})`;
  }
  return error instanceof Error ? error.message : String(error);
}
