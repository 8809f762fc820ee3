import type { SpendRow } from '@switchyard/contracts';
import { costPicosOf, priceForDeployment } from '@switchyard/pricing';
import type { SimStats } from '@switchyard/provider-sim';
import type { Installation } from '../pipeline/pipeline-harness.test-support';

/** What metering counted, or what the simulator served, on one deployment. */
export interface DeploymentTally {
  requests: number;
  prompt: number;
  completion: number;
  cached: number;
  costPicos: bigint;
}

/**
 * The simulator's own count per deployment id, with the cost the price table (or the
 * deployment's override) gives for those tokens.
 */
export function servedTallies(
  install: Installation,
  stats: SimStats,
): Record<string, DeploymentTally> {
  const served: Record<string, DeploymentTally> = {};
  for (const model of Object.values(install.config.models)) {
    model.deployments.forEach((deployment, index) => {
      const sim = stats.deployments[install.simName(model.name, index)];
      const counts = {
        prompt_tokens: sim?.promptTokens ?? 0,
        completion_tokens: sim?.completionTokens ?? 0,
        cached_tokens: sim?.cachedTokens ?? 0,
        reasoning_tokens: 0,
      };
      served[deployment.id] = {
        requests: sim?.requests ?? 0,
        prompt: counts.prompt_tokens,
        completion: counts.completion_tokens,
        cached: counts.cached_tokens,
        costPicos: BigInt(costPicosOf(counts, priceForDeployment(deployment)) ?? -1),
      };
    });
  }
  return served;
}

/** A spend row as a tally. */
export function tallyOf(row: SpendRow): DeploymentTally {
  return {
    requests: row.requests,
    prompt: row.prompt_tokens,
    completion: row.completion_tokens,
    cached: row.cached_tokens,
    costPicos: BigInt(row.cost_picos),
  };
}

/** Whether metering's tallies equal the served ones for every deployment. */
export function sameTallies(
  metered: Record<string, DeploymentTally>,
  served: Record<string, DeploymentTally>,
  { compareRequests }: { compareRequests: boolean },
): boolean {
  return Object.keys(served).every((id) => {
    const a = metered[id];
    const b = served[id];
    return (
      a !== undefined &&
      b !== undefined &&
      a.prompt === b.prompt &&
      a.completion === b.completion &&
      a.cached === b.cached &&
      a.costPicos === b.costPicos &&
      (!compareRequests || a.requests === b.requests)
    );
  });
}
