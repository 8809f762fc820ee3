import type { Deployment } from '@switchyard/config';
import { priceForDeployment, priceTable } from '@switchyard/pricing';
import type { Logger } from '@switchyard/telemetry';

/**
 * Logs one warning per deployment whose price is unknown (no config override, not in the
 * built-in table): its calls are metered with `cost_usd: null`, never as free. Returns them.
 */
export function warnUnpricedDeployments(
  deployments: readonly Deployment[],
  logger: Logger,
): Deployment[] {
  const unpriced = deployments.filter((deployment) => priceForDeployment(deployment) === undefined);
  for (const deployment of unpriced) {
    logger.warn(
      {
        deployment: deployment.id,
        provider: deployment.provider,
        providerModel: deployment.baseModel ?? deployment.providerModel,
        priceTableAsOf: priceTable.as_of,
      },
      'no known price: calls are metered with cost unknown; set input_cost_per_token and output_cost_per_token in litellm_params',
    );
  }
  return unpriced;
}
