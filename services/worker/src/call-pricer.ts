import { costOf, priceForDeployment, tokenCountsOf } from '@switchyard/pricing';
import type { CallPricer } from './budget-gate';

/** Calls priced by @switchyard/pricing: the deployment's override, else the built-in table. */
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
