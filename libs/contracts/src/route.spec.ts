import { describe, expect, it } from 'vitest';
import { completionJobSchema, type CompletionJob } from './job.schema';
import {
  deploymentsTried,
  failedCallsInRoute,
  fallbackPath,
  movedToFallback,
  routeWithFailedHop,
  withFailedHop,
} from './route';

const attempt = (deployment: string) => ({
  deployment,
  provider: 'openai',
  type: 'rate_limit' as const,
  code: 'rate_limit_exceeded',
  message: 'slow down',
});

function jobOn(model: string, route: CompletionJob['route']): CompletionJob {
  return completionJobSchema.parse({
    v: 1,
    id: 'job-1',
    tenant: 'acme',
    model,
    request: { messages: [{ role: 'user', content: 'hi' }] },
    submitted_at: 1_000,
    route,
  });
}

describe('a job route', () => {
  const onB = jobOn('b', [{ model: 'a', deployments: [attempt('a/0'), attempt('a/1')] }]);

  it('appends a hop for the current model when the job is dead-lettered', () => {
    const dead = withFailedHop(onB, [attempt('b/0')]);
    expect(dead.route.map((hop) => hop.model)).toEqual(['a', 'b']);
    expect(dead.model).toBe('b');
    expect(failedCallsInRoute(dead.route)).toBe(3);
    expect(onB.route).toHaveLength(1);
  });

  it('names every model once, even when no deployment of the last one was called', () => {
    expect(routeWithFailedHop(onB).map((hop) => hop.model)).toEqual(['a', 'b']);
    const dead = withFailedHop(onB, [attempt('b/0')]);
    expect(routeWithFailedHop(dead)).toEqual(dead.route);
  });

  it('moves the job to its fallback with the failed model in its route', () => {
    const moved = movedToFallback(withFailedHop(onB, [attempt('b/0')]), 'c');
    expect(moved.model).toBe('c');
    expect(fallbackPath(moved)).toEqual(['a', 'b', 'c']);
    expect(deploymentsTried(moved.route).map((d) => d.deployment)).toEqual(['a/0', 'a/1', 'b/0']);
  });

  it('lists the deployments tried on earlier hops first, then those of this model', () => {
    const tried = deploymentsTried(onB.route, [attempt('b/0')]);
    expect(tried.map((d) => d.deployment)).toEqual(['a/0', 'a/1', 'b/0']);
  });
});
