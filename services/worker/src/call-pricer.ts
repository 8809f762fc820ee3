import { costOf, priceForDeployment, tokenCountsOf } from '@switchyard/pricing';
import type { CallPricer } from './budget-gate';

/**
 * Prices calls with `@switchyard/pricing`: the deployment's `input_cost_per_token` /
 * `output_cost_per_token`, else the built-in table's price of its base model or provider
 * model; null when neither knows it.
 */
export const callPricer: CallPricer = {
  estimate: (deployment, promptTokens, completionTokens) =>
    costOf(
      {
        prompt_tokens: promptTokens,
        completion_tokens: completionTokens,
        cached_tokens: 0,
        reasoning_tokens: 0,
      },
      priceForDeployment(deployment),
    ),
  actual: (deployment, usage) => costOf(tokenCountsOf(usage), priceForDeployment(deployment)),
};
