import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipelineServers, type PipelineServers } from './pipeline-harness.test-support';
import { maxInWindow, rateLimitProblems, runRateLimitedJobs } from './rate-limit-run';

describe('pipeline: a deployment with an rpm limit', () => {
  let servers: PipelineServers;

  beforeAll(async () => {
    servers = await startPipelineServers();
  });

  afterAll(async () => {
    await servers?.stop();
  });

  it('70 jobs at rpm 60: no 429 reaches the simulator, 60 in the first minute, all done after it', async () => {
    const run = await runRateLimitedJobs(servers, { rpm: 60, jobs: 70 });
    expect(rateLimitProblems(run)).toEqual([]);
    expect(run.simFaults).toEqual({});
    expect(run.completed).toBe(70);
    // The first minute serves exactly the limit; the rest waits in the stream for the next.
    expect(run.callAtMs).toHaveLength(70);
    expect(run.callAtMs.filter((at) => at < 59_000)).toHaveLength(60);
    expect(run.callAtMs.at(-1)).toBeGreaterThanOrEqual(59_000);
    expect(maxInWindow(run.callAtMs, 59_000)).toBeLessThanOrEqual(60);
  }, 90_000);
});
