import type { DeploymentAttempt } from './error.schema';
import type { CompletionJob, RouteHop } from './job.schema';

/**
 * A job's route is the list of models it failed on before its current one (`job.route`),
 * each hop naming the deployments that failed it. These are the only functions that read or
 * extend it: the worker appends a hop when it dead-letters a job, the fallback router reads
 * the route to choose the next model, and both name the deployments tried in final errors.
 */

/** The job with a hop for its current model appended: what a worker dead-letters. */
export function withFailedHop(
  job: CompletionJob,
  deployments: readonly DeploymentAttempt[],
): CompletionJob {
  return { ...job, route: [...job.route, { model: job.model, deployments: [...deployments] }] };
}

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

/** The job moved on to its fallback `model`, its route naming the model it failed on. */
export function movedToFallback(job: CompletionJob, model: string): CompletionJob {
  return { ...job, model, route: routeWithFailedHop(job) };
}

/** Every deployment that failed the job across the route, then `onThisModel`, oldest first. */
export function deploymentsTried(
  route: readonly RouteHop[],
  onThisModel: readonly DeploymentAttempt[] = [],
): DeploymentAttempt[] {
  return [...route.flatMap((hop) => hop.deployments), ...onThisModel];
}

/** Failed provider calls recorded in the route (the job's earlier models). */
export function failedCallsInRoute(route: readonly RouteHop[]): number {
  return route.reduce((sum, hop) => sum + hop.deployments.length, 0);
}

/** The models the job went to, its current one last (a result's `fallback_path`). */
export function fallbackPath(job: CompletionJob): string[] {
  return [...job.route.map((hop) => hop.model), job.model];
}
