import {
  makeError,
  type DeploymentAttempt,
  type ErrorType,
  type SwitchyardError,
} from '@switchyard/contracts';
import type { Deployment } from '@switchyard/config';
import { ProviderError } from '@switchyard/providers';

/** A failed provider call, classified once: the provider layer's error, or the worker's. */
export interface ClassifiedFailure {
  type: ErrorType;
  code: string;
  message: string;
  retryAfterMs?: number;
  /** The error as a caller sees it (without deployments_tried). */
  wire: SwitchyardError;
}

/**
 * Classifies what a provider call threw: a ProviderError as it is; the job's deadline running
 * out as `deadline_exceeded`; anything else (a bug, not the provider's fault) as `server` /
 * `worker_error`, which is retried like a provider 5xx.
 */
export function classifyFailure(
  error: unknown,
  deployment: Deployment,
  deadlinePassed: boolean,
): ClassifiedFailure {
  if (deadlinePassed) {
    const wire = makeError(
      'deadline_exceeded',
      'deadline_exceeded',
      "the job's deadline passed while the provider was answering",
      { provider: deployment.provider },
    );
    return { type: wire.type, code: wire.code, message: wire.message, wire };
  }
  if (error instanceof ProviderError) {
    return {
      type: error.type,
      code: error.code,
      message: error.message,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      wire: error.toWire(),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const wire = makeError('server', 'worker_error', message, { provider: deployment.provider });
  return { type: wire.type, code: wire.code, message: wire.message, wire };
}

/** The failure as remembered in a route hop and in `deployments_tried`. */
export function attemptOf(deployment: Deployment, failure: ClassifiedFailure): DeploymentAttempt {
  return {
    deployment: deployment.id,
    provider: deployment.provider,
    type: failure.type,
    code: failure.code,
    message: failure.message,
  };
}
