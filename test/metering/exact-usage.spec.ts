import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startPipelineServers,
  type PipelineServers,
} from '../pipeline/pipeline-harness.test-support';
import { runExactUsage } from './exact-usage-run';

/**
 * The metering acceptance run, small enough for `npm test`: 300 jobs over openai, anthropic
 * and gemini deployments with injected retryable faults and a fallback chain, a metering
 * process killed with SIGKILL and restarted mid-run next to a second replica. The full
 * 2,000 jobs with a worker kill -9 too is `test/soak/metering.soak.ts`.
 */
describe('metering: exact usage across retries, fallbacks and a metering kill -9', () => {
  let servers: PipelineServers;

  beforeAll(async () => {
    servers = await startPipelineServers();
  });
  afterAll(async () => {
    await servers?.stop();
  });

  it('aggregates equal the simulator’s own counts exactly, and the cost is the price table applied', async () => {
    const run = await runExactUsage(servers, { jobs: 300, label: 'exact-usage' });
    expect(run.lost).toBe(0);
    expect(run.answered + run.failed).toBe(300);
    expect(
      Object.values(run.simFaults).reduce((sum: number, n) => sum + (n ?? 0), 0),
    ).toBeGreaterThan(20);
    // A call ended without the provider's count makes the totals differ for a reason of its own.
    expect(run.unknownUsage).toBe(0);
    expect(run.metered).toEqual(run.served);
    expect(Object.keys(run.served).sort()).toEqual([
      'flaky/0',
      'summarize/0',
      'triage/0',
      'triage/1',
    ]);
    for (const tally of Object.values(run.served)) expect(tally.prompt).toBeGreaterThan(0);
    // Fallbacks happened (75 jobs asked for summarize itself), and prompt caches were read.
    expect(run.served['summarize/0']?.requests).toBeGreaterThan(75);
    const cached = (id: string) => run.served[id]?.cached ?? 0;
    expect(cached('triage/0') + cached('summarize/0') + cached('flaky/0')).toBeGreaterThan(0);
    expect(run.problems).toEqual([]);
  }, 180_000);
});
