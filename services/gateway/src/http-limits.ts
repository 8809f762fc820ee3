/**
 * The HTTP limits of the gateway. Only receiving a request is bounded: an answer may take
 * as long as its job (a long generation sends nothing for minutes), so idle sockets are not
 * timed out while a request is being answered.
 */
export const HttpLimits = {
  /**
   * Largest request body; more is a 413. The gateway lowers it to what one NATS message can
   * carry as a job (see bodyLimitFor), since a job is one message.
   */
  bodyLimitBytes: 10 * 1024 * 1024,
  /** Room a job's envelope and headers take besides the request body. */
  jobEnvelopeBytes: 64 * 1024,
  /** Time to receive the request headers. */
  headersTimeoutMs: 15_000,
  /** Time to receive the whole request (headers and body). */
  requestTimeoutMs: 60_000,
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: 75_000,
  /** How long a stopping gateway lets requests in flight finish before aborting them. */
  shutdownGraceMs: 10_000,
} as const;

/**
 * The largest request body the gateway accepts: `wanted`, but never more than fits in one NATS
 * message (`max_payload`, 1 MiB by default) once wrapped in a job, so a body the gateway takes
 * can always be queued.
 */
export function bodyLimitFor(wanted: number, maxPayload: number | undefined): number {
  if (maxPayload === undefined) return wanted;
  return Math.max(1024, Math.min(wanted, maxPayload - HttpLimits.jobEnvelopeBytes));
}
