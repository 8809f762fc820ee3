import type { CompletionJob, DeploymentAttempt, RouteHop } from '@switchyard/contracts';

/**
 * The job's route ending with a hop for the model it failed on. Workers append that hop
 * before dead-lettering; a dead letter without it (no deployment was called, or an older
 * worker) gets an empty hop here, so the route always names every model the job went to.
 */
export function routeWithFailedHop(job: CompletionJob): RouteHop[] {
  const last = job.route.at(-1);
  if (last !== undefined && last.model === job.model) return [...job.route];
  return [...job.route, { model: job.model, deployments: [] }];
}

/** Every deployment that failed the job across its whole route, oldest first. */
export function deploymentsTried(route: readonly RouteHop[]): DeploymentAttempt[] {
  return route.flatMap((hop) => hop.deployments);
}

/** The last failed call of the route, if any deployment was called at all. */
export function lastAttempt(route: readonly RouteHop[]): DeploymentAttempt | undefined {
  return deploymentsTried(route).at(-1);
}
