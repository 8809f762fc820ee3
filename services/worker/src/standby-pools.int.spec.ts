import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '@switchyard/telemetry';
import type { RunningWorker } from './start-worker';
import {
  createInstallation,
  makeJob,
  startServers,
  startSpecWorker,
  waitUntil,
  type Installation,
  type Servers,
} from './worker-harness.test-support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('order across provider pools: the secondary pool serves only what the primary leaves waiting', () => {
  let servers: Servers;
  let install: Installation;
  const workers: Partial<Record<'anthropic' | 'openai', RunningWorker>> = {};
  const metrics = createMetrics('switchyard-worker');
  /** The secondary pool's switchyard_standby_serving gauge. */
  const standbyServing = async () =>
    /switchyard_standby_serving\{[^}]*model="tiered"[^}]*\} (\d)/.exec(
      await metrics.prometheusText(),
    )?.[1];

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(servers, 'standby', {
      tiered: [
        { provider: 'anthropic', params: 'order: 1' },
        { provider: 'openai', params: 'order: 2' },
      ],
    });
    workers.anthropic = await startSpecWorker(install, 'anthropic');
    workers.openai = await startSpecWorker(install, 'openai', metrics);
  });

  afterAll(async () => {
    await Promise.all(Object.values(workers).map((worker) => worker.stop(0)));
    await metrics.shutdown();
    await install?.close();
    await servers?.stop();
  });

  const primary = () => install.simName('tiered', 0);
  const secondary = () => install.simName('tiered', 1);
  /** Sends `count` jobs and returns the provider that answered each. */
  async function send(count: number): Promise<string[]> {
    const inboxes = await Promise.all(
      Array.from({ length: count }, () => install.submit(makeJob('tiered'))),
    );
    const answers = await Promise.all(inboxes.map((inbox) => inbox.final(30_000)));
    return answers.map((answer) => (answer['switchyard'] as { provider: string }).provider);
  }
  const calls = async () => [
    await servers.sim.requests(primary()),
    await servers.sim.requests(secondary()),
  ];

  it('leaves every job to the primary while it keeps up', async () => {
    await servers.sim.setLatency(primary(), { ttftMs: 50 });
    for (let round = 0; round < 3; round += 1) {
      expect(new Set(await send(8))).toEqual(new Set(['anthropic']));
    }
    expect(await calls()).toEqual([24, 0]);
    expect(await standbyServing()).toBe('0');
  });

  it('joins in while the primary is saturated, each job served once', async () => {
    await servers.sim.setLatency(primary(), { ttftMs: 1_500 });
    const sending = send(40);
    await waitUntil(async () => (await standbyServing()) === '1', 10_000);
    const providers = await sending;
    const served = providers.filter((p) => p === 'openai').length;
    expect(served).toBeGreaterThan(0);
    expect(await calls()).toEqual([24 + 40 - served, served]);
  });

  it('stands back once no job waits', async () => {
    await servers.sim.setLatency(primary(), { ttftMs: 0 });
    await sleep(2_500); // the secondary's next check finds nothing waiting
    const before = await calls();
    expect(new Set(await send(8))).toEqual(new Set(['anthropic']));
    expect(await calls()).toEqual([(before[0] ?? 0) + 8, before[1]]);
  });

  it('serves alone while the primary pool is gone', async () => {
    await workers.anthropic?.stop(0);
    delete workers.anthropic;
    expect(await send(4)).toEqual(['openai', 'openai', 'openai', 'openai']);
  });
});
