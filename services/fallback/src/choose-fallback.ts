import type { SwitchyardConfig } from '@switchyard/config';
import {
  mayFallBack,
  routeWithFailedHop,
  type CompletionJob,
  type ErrorType,
  type RouteHop,
} from '@switchyard/contracts';

/** The router's decision for one dead letter: the next model, or why there is none. */
export type FallbackChoice = { model: string } | { exhausted: string };

/** The fallback list of `model` for a failure of `type`, before filtering. */
function chainFor(model: string, type: ErrorType | undefined, config: SwitchyardConfig): string[] {
  const settings = Object.hasOwn(config.models, model) ? config.models[model] : undefined;
  const specific =
    type === 'context_window_exceeded'
      ? settings?.contextWindowFallbacks
      : type === 'content_policy'
        ? settings?.contentPolicyFallbacks
        : undefined;
  if (specific !== undefined && specific.length > 0) return [...specific];
  const own = settings?.fallbacks ?? [];
  return [...(own.length > 0 ? own : config.router.defaultFallbacks)];
}

/** The error type that ended a hop: its last failed call's, if one was recorded. */
function hopErrorType(hop: RouteHop): ErrorType | undefined {
  return hop.deployments.at(-1)?.type;
}

/**
 * Providers that already answered this job with bad_request. Such a failure usually comes
 * from one provider's translation of the request (a parameter it does not take), so a model
 * served only by those providers would fail the same way.
 */
function providersRejecting(route: readonly RouteHop[]): Set<string> {
  return new Set(
    route.flatMap((hop) =>
      hop.deployments.filter((d) => d.type === 'bad_request').map((d) => d.provider),
    ),
  );
}

/**
 * Picks the model a dead-lettered job moves to next. Pure: the same job, error type and
 * config always give the same answer.
 *
 * Order of candidates: the request's own `job.fallbacks` first; then the failed model's list
 * for this error type (`contextWindowFallbacks` for context_window_exceeded,
 * `contentPolicyFallbacks` for content_policy, when configured; else its `fallbacks`; else
 * `router.defaultFallbacks`); then, going back along the route, the lists of the models
 * before it, as if each fallback were a nested call (A → [B, C]: when B fails and has no
 * list of its own that helps, C is next), which is LiteLLM's recursive fallback order.
 *
 * A candidate is skipped when the job has already been to it (no loops), when the config
 * does not know it (a request-level fallback may name anything), and, for bad_request, when
 * every deployment of it is on a provider that already rejected the request.
 *
 * Exhausted when: the error type is one no model can cure (`fallsBack` in the error table
 * of libs/contracts: invalid_job, deadline_exceeded, budget_exceeded, cancelled), the
 * job has already used `router.maxFallbacks` fallbacks (hops after the first model), or no
 * candidate is left. bad_request does fall back, because a request one provider's
 * translation rejects (an unsupported parameter, a tool shape) often works on another; the
 * provider filter above keeps it from trying the same translation again.
 */
export function chooseFallback(
  job: CompletionJob,
  errorType: ErrorType,
  config: SwitchyardConfig,
): FallbackChoice {
  if (!mayFallBack(errorType)) {
    return { exhausted: `${errorType} cannot be cured by another model` };
  }
  const route = routeWithFailedHop(job);
  const fallbacksUsed = route.length - 1;
  if (fallbacksUsed >= config.router.maxFallbacks) {
    return {
      exhausted: `the job has used ${fallbacksUsed} of ${config.router.maxFallbacks} fallbacks (max_fallbacks)`,
    };
  }
  const tried = new Set(route.map((hop) => hop.model));
  const rejecting = errorType === 'bad_request' ? providersRejecting(route) : new Set<string>();
  const earlierHops = route.slice(0, -1).reverse();
  const candidates = [
    ...(job.fallbacks ?? []),
    ...chainFor(job.model, errorType, config),
    ...earlierHops.flatMap((hop) => chainFor(hop.model, hopErrorType(hop), config)),
  ];
  const next = candidates.find((model) => {
    if (tried.has(model) || !Object.hasOwn(config.models, model)) return false;
    if (rejecting.size === 0) return true;
    const deployments = config.models[model]?.deployments ?? [];
    return deployments.some((deployment) => !rejecting.has(deployment.provider));
  });
  if (next !== undefined) return { model: next };
  const triedList = [...tried].map((model) => JSON.stringify(model)).join(', ');
  return { exhausted: `no fallback left for ${errorType} after ${triedList}` };
}
