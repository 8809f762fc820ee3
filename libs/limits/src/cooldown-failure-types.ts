import type { ErrorType } from '@switchyard/contracts';

/**
 * The failures that say something about the deployment itself, so they count towards its
 * cooldown: it is limiting us (rate_limit), it is busy or broken (overloaded, server), it does
 * not answer (timeout, connection), or it is misconfigured (auth, not_found — LiteLLM cools
 * down on 401 and 404 too). Failures caused by the request or the job (bad_request,
 * context_window_exceeded, content_policy, invalid_job, deadline_exceeded, budget_exceeded, cancelled)
 * would happen on any deployment and never count.
 */
export const cooldownFailureTypes = [
  'rate_limit',
  'overloaded',
  'server',
  'timeout',
  'connection',
  'auth',
  'not_found',
] as const satisfies readonly ErrorType[];

/** An error type that counts towards a deployment's cooldown. */
export type CooldownFailureType = (typeof cooldownFailureTypes)[number];

const counted: ReadonlySet<ErrorType> = new Set(cooldownFailureTypes);

/** Whether a failure of this type counts towards the deployment's cooldown. */
export function countsTowardsCooldown(type: ErrorType): type is CooldownFailureType {
  return counted.has(type);
}
