import type { Deployment } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';

/**
 * The request as the deployment is called with it: the deployment's `litellm_params` call
 * defaults (temperature, max_tokens, …) filled in where the request does not set the field.
 * A field the request sets, even to null, is the request's.
 */
export function withCallDefaults(
  request: ChatCompletionRequest,
  deployment: Pick<Deployment, 'callDefaults'>,
): ChatCompletionRequest {
  const defaults = deployment.callDefaults;
  if (defaults === undefined) return request;
  const unset = Object.entries(defaults).filter(([name]) => request[name] === undefined);
  return unset.length === 0 ? request : { ...Object.fromEntries(unset), ...request };
}
