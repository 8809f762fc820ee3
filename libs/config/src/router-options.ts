import type { ErrorType } from '@switchyard/contracts';

/** The values LiteLLM accepts for `router_settings.routing_strategy`. */
export const routingStrategies = [
  'simple-shuffle',
  'least-busy',
  'usage-based-routing',
  'usage-based-routing-v2',
  'latency-based-routing',
  'cost-based-routing',
] as const;

/** A LiteLLM routing strategy name. */
export type RoutingStrategy = (typeof routingStrategies)[number];

/**
 * LiteLLM's `retry_policy` keys and the Switchyard error type each one sets the retry count
 * for. Switchyard's own error type names are accepted as keys as well.
 */
export const liteLlmRetryPolicyKeys = {
  BadRequestErrorRetries: 'bad_request',
  AuthenticationErrorRetries: 'auth',
  TimeoutErrorRetries: 'timeout',
  RateLimitErrorRetries: 'rate_limit',
  ContentPolicyViolationErrorRetries: 'content_policy',
  InternalServerErrorRetries: 'server',
} as const satisfies Record<string, ErrorType>;

/** A LiteLLM `retry_policy` key. */
export type LiteLlmRetryPolicyKey = keyof typeof liteLlmRetryPolicyKeys;
