import {
  deploymentsTried,
  makeError,
  makeErrorReply,
  type CompletionJob,
  type ErrorReply,
  routeWithFailedHop,
  type ErrorType,
} from '@switchyard/contracts';

/**
 * The error that answers a job whose fallback chain is spent: the last failure's type, code,
 * provider and message, with `deployments_tried` listing every deployment that failed it
 * across the whole route, oldest first.
 *
 * The dead letter's error type decides: when the last recorded call failed with that type,
 * its code and provider message are used; otherwise (the job failed before any call, such as
 * a deadline that passed while it waited) the error says which model gave up and why.
 */
export function finalErrorReply(
  job: CompletionJob,
  errorType: ErrorType,
  exhaustedReason: string,
): ErrorReply {
  const tried = deploymentsTried(routeWithFailedHop(job));
  const last = tried.at(-1);
  const error =
    last !== undefined && last.type === errorType
      ? makeError(last.type, last.code, last.message, {
          provider: last.provider,
          deployments_tried: tried,
        })
      : makeError(
          errorType,
          errorType,
          `job ${job.id} failed on model ${JSON.stringify(job.model)} with ${errorType}; ${exhaustedReason}`,
          { deployments_tried: tried },
        );
  return makeErrorReply(error, job.id);
}
