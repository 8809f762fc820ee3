import type { Deployment } from '@switchyard/config';

/** A random number in [0, 1), like Math.random; injectable so that tests can fix it. */
export type RandomSource = () => number;

/** A deployment's score under a routing strategy: lower is tried first. */
export type DeploymentScore = (deployment: Deployment) => number;

/**
 * The order in which to try a model's usable deployments: the lowest `order` group first
 * (deployments without an `order` come last), and within a group a weighted random
 * permutation (a deployment's chance to come first is its share of the group's `weight`),
 * sorted by `score` when a routing strategy gives one (the draw breaks ties). The caller
 * tries them in turn until one has room under its rate limit.
 */
export function rankDeployments(
  usable: readonly Deployment[],
  random: RandomSource = Math.random,
  score?: DeploymentScore,
): Deployment[] {
  const groups = new Map<number, Deployment[]>();
  for (const deployment of usable) {
    const order = deployment.order ?? Number.POSITIVE_INFINITY;
    const group = groups.get(order);
    if (group) group.push(deployment);
    else groups.set(order, [deployment]);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .flatMap((order) => {
      const drawn = weightedShuffle(groups.get(order) ?? [], random);
      if (score === undefined) return drawn;
      const scores = new Map(drawn.map((d) => [d, score(d)]));
      return drawn.sort((a, b) => (scores.get(a) ?? 0) - (scores.get(b) ?? 0));
    });
}

/** A permutation drawn one by one, each pick weighted by `weight` among those left. */
function weightedShuffle(deployments: readonly Deployment[], random: RandomSource): Deployment[] {
  const left = [...deployments];
  const picked: Deployment[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, d) => sum + Math.max(0, d.weight), 0);
    let index = 0;
    if (total > 0) {
      let point = random() * total;
      index = left.findIndex((d) => (point -= Math.max(0, d.weight)) < 0);
      if (index < 0) index = left.length - 1;
    }
    picked.push(...left.splice(index, 1));
  }
  return picked;
}
