import { isBinaryOnPath } from '@switchyard/local-servers';
import { describe, expect, it } from 'vitest';
import { runChaos } from './chaos-run.test-support';

const jobs = 600;
const haveServers = (await isBinaryOnPath('nats-server')) && (await isBinaryOnPath('redis-server'));

describe.skipIf(!haveServers)('chaos: kill -9 of every part while jobs arrive', () => {
  it(`answers each of ${jobs} jobs once, bills each provider call once, and metering agrees`, async () => {
    const run = await runChaos({
      jobs,
      ratePerSecond: 12,
      progress: (line) => console.info(`chaos ${line}`),
    });
    console.info(`chaos: ${JSON.stringify(run)}`);
    expect(run.faults).toHaveLength(7);
    expect(run.problems).toEqual([]);
    expect(run.lost).toBe(0);
    expect(run.finalErrors).toBe(0);
    expect(run.duplicated).toBe(0);
    expect(run.results + run.streams + run.streamCuts + run.httpCut).toBe(jobs);
    expect(run.billedEvents + run.unbilledAtWorkerKill).toBe(run.providerCalls);
    expect(run.meteringAgrees).toBe(true);
    expect(run.metered.requests).toBe(run.billedEvents);
  }, 420_000);
});
