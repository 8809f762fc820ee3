import {
  createInstallation,
  questionMessages,
  startPipeline,
  type PipelineServers,
} from './pipeline-harness.test-support';

/** What a run of jobs against an rpm-limited deployment observed. */
export interface RateLimitRun {
  rpm: number;
  jobs: number;
  /** Jobs that resolved to a result. */
  completed: number;
  /** Messages of the jobs that failed. */
  failures: string[];
  /**
   * When the simulator answered each call, in ms after the first, ascending: the provider's
   * clock, which an rpm limit is about (the caller's arrival times add the reply's way back).
   */
  callAtMs: number[];
  /** Requests the simulator got for the deployment, and the faults it injected. */
  simRequests: number;
  simFaults: Record<string, number>;
  durationMs: number;
}

/**
 * Sends `jobs` jobs at once through the client to a model whose one deployment has `rpm` in
 * the config, while the simulator deployment enforces the same rpm (so any request over the
 * limit would be a 429 in its stats).
 */
export async function runRateLimitedJobs(
  servers: PipelineServers,
  options: { rpm: number; jobs: number; label?: string },
): Promise<RateLimitRun> {
  const { rpm, jobs } = options;
  const install = createInstallation(servers, options.label ?? 'pipe-rpm', {
    models: { metered: [{ provider: 'openai', params: `rpm: ${rpm}` }] },
  });
  const sim = install.simName('metered');
  servers.sim.configure({ rateLimit: { rpm } }, { deployment: sim });
  const windows = Math.ceil(jobs / rpm) + 1;
  const pipeline = await startPipeline(servers, install, ['openai'], {
    timeoutMs: windows * 65_000,
  });
  try {
    const started = Date.now();
    const settled = await Promise.allSettled(
      Array.from({ length: jobs }, () =>
        pipeline.client.chat.completions.create({ model: 'metered', messages: questionMessages }),
      ),
    );
    const answeredAt = servers.sim
      .calls({ deployment: sim })
      .flatMap((call) => (call.endedAt === null ? [] : [call.endedAt]));
    const first = Math.min(...answeredAt);
    const stats = servers.sim.stats().deployments[sim];
    return {
      rpm,
      jobs,
      completed: settled.filter((outcome) => outcome.status === 'fulfilled').length,
      failures: settled.flatMap((outcome) =>
        outcome.status === 'rejected' ? [String(outcome.reason)] : [],
      ),
      callAtMs: answeredAt.map((at) => at - first).sort((a, b) => a - b),
      simRequests: stats?.requests ?? 0,
      simFaults: { ...stats?.faults },
      durationMs: Date.now() - started,
    };
  } finally {
    await pipeline.stop();
  }
}

/** The most of `times` (ascending) within any `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  let max = 0;
  let from = 0;
  for (let to = 0; to < times.length; to += 1) {
    while ((times[to] ?? 0) - (times[from] ?? 0) >= windowMs) from += 1;
    max = Math.max(max, to - from + 1);
  }
  return max;
}

/**
 * The problems of a run, empty when it passed: a job failed, a 429 (or any fault) reached
 * the simulator, more than `rpm` calls answered within a minute (less 1 s for the time
 * between the worker's admission of a call and the simulator's answer), or the run was much
 * slower than the limit allows (the observed rate fell well below it).
 */
export function rateLimitProblems(run: RateLimitRun): string[] {
  const problems: string[] = [];
  if (run.completed !== run.jobs) {
    problems.push(`${run.jobs - run.completed} of ${run.jobs} jobs failed: ${run.failures[0]}`);
  }
  if (Object.keys(run.simFaults).length > 0) {
    problems.push(`faults reached the simulator: ${JSON.stringify(run.simFaults)}`);
  }
  if (run.simRequests !== run.jobs) {
    problems.push(`the simulator got ${run.simRequests} requests for ${run.jobs} jobs`);
  }
  const busiest = maxInWindow(run.callAtMs, 59_000);
  if (busiest > run.rpm) problems.push(`${busiest} calls within a minute, over rpm ${run.rpm}`);
  const fullMinutes = Math.ceil(run.jobs / run.rpm) - 1;
  const last = run.callAtMs.at(-1) ?? 0;
  if (last > fullMinutes * 60_000 + 15_000 * Math.max(1, fullMinutes)) {
    problems.push(
      `the last call came ${last} ms after the first: slower than rpm ${run.rpm} allows`,
    );
  }
  return problems;
}
