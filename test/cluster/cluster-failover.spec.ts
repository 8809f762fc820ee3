import { isBinaryOnPath } from '@switchyard/local-servers';
import { describe, expect, it } from 'vitest';
import { runJobsThroughNodeKill, type NodeKillRun } from './cluster-run.test-support';

const jobs = 1_000;
const haveNats = await isBinaryOnPath('nats-server');

describe.skipIf(!haveNats)(
  '3-node NATS cluster, streams at R3: kill -9 of the leading node',
  () => {
    it(`answers all ${jobs} jobs exactly once, each served once by the provider`, async () => {
      const run = await runJobsThroughNodeKill(jobs, {
        callTimeoutMs: 60_000,
        progress: (line) => console.info(`cluster-failover ${line}`),
      });
      console.info(`cluster-failover: ${JSON.stringify(run)}`);
      expect(run.killed.ledStream).toBe(true);
      expectExactlyOnce(run);
    }, 120_000);

    it('recovers from their records the answers its callers missed while they reconnected', async () => {
      const run = await runJobsThroughNodeKill(jobs, {
        callTimeoutMs: 60_000,
        leaders: 'surviving',
        progress: (line) => console.info(`cluster-callers ${line}`),
      });
      console.info(`cluster-callers: ${JSON.stringify(run)}`);
      expect(run.killed.ledStream).toBe(false);
      // The workers answered on while the callers' node was down: those answers were lost on
      // core NATS, and each caller got its answer from the job's record instead.
      expect(run.recovered).toBeGreaterThan(0);
      expectExactlyOnce(run);
    }, 120_000);
  },
);

function expectExactlyOnce(run: NodeKillRun): void {
  expect(run.killed.atServed).toBeLessThan(jobs);
  expect(run.failures).toEqual([]);
  expect(run.correctAnswers).toBe(jobs);
  expect(run.simRequests).toBe(jobs);
  expect(run.simCompleted).toBe(jobs);
  expect(run.usageInvalid).toBe(0);
  expect(run.usageEvents).toBe(jobs);
  expect(run.distinctUsageJobIds).toBe(jobs);
  expect(run.repeatedUsageJobIds).toEqual([]);
  expect(run.jobsLeftInStream).toBe(0);
  expect(run.ackPending).toBe(0);
}
