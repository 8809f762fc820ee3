import type { Deployment, RouterSettings } from '@switchyard/config';
import { priceForDeployment } from '@switchyard/pricing';
import type { DeploymentBoard } from './deployment-board';
import type { DeploymentScore } from './deployment-picker';

/**
 * The score `router_settings.routing_strategy` ranks a model's deployments by within an
 * `order` group (lower first), from what this worker's board has seen; undefined for
 * `simple-shuffle`, which draws by weight alone:
 * - `least-busy`: calls in flight on the deployment;
 * - `latency-based-routing`: moving average of ms per completion token (untried first);
 * - `usage-based-routing`, `usage-based-routing-v2`: this minute's tokens as a share of its
 *   `tpm`, else requests as a share of its `rpm`, else tokens;
 * - `cost-based-routing`: its price per input plus output token (unpriced last).
 */
export function routingScore(
  strategy: RouterSettings['routingStrategy'],
  board: DeploymentBoard,
): DeploymentScore | undefined {
  switch (strategy) {
    case 'simple-shuffle':
      return undefined;
    case 'least-busy':
      return (d) => board.routingFigures(d.id).inFlight;
    case 'latency-based-routing':
      return (d) => board.routingFigures(d.id).msPerToken ?? 0;
    case 'usage-based-routing':
    case 'usage-based-routing-v2':
      return (d) => usageShare(d, board);
    case 'cost-based-routing':
      return costPerToken;
  }
}

function usageShare(deployment: Deployment, board: DeploymentBoard): number {
  const figures = board.routingFigures(deployment.id);
  if (deployment.tpm !== undefined) return figures.tokensThisMinute / deployment.tpm;
  if (deployment.rpm !== undefined) return figures.requestsThisMinute / deployment.rpm;
  return figures.tokensThisMinute;
}

function costPerToken(deployment: Deployment): number {
  const price = priceForDeployment(deployment);
  return price === undefined ? Number.POSITIVE_INFINITY : price.inputPicos + price.outputPicos;
}
