import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningWorker } from './start-worker';
import {
  createInstallation,
  makeJob,
  startServers,
  startSpecWorker,
  type Installation,
  type Servers,
} from './worker-harness.test-support';

describe('routing_strategy in a worker pool', () => {
  let servers: Servers;
  let install: Installation;
  let worker: RunningWorker;

  beforeAll(async () => {
    servers = await startServers();
    install = await createInstallation(
      servers,
      'routing',
      {
        priced: [
          {
            provider: 'openai',
            params: 'input_cost_per_token: 0.00001, output_cost_per_token: 0.00003',
          },
          {
            provider: 'openai',
            params: 'input_cost_per_token: 0.0000001, output_cost_per_token: 0.0000004',
          },
        ],
      },
      '{ routing_strategy: cost-based-routing }',
    );
    worker = await startSpecWorker(install, 'openai');
  });

  afterAll(async () => {
    await worker?.stop(0);
    await install?.close();
    await servers?.stop();
  });

  it('cost-based-routing sends every job to the cheaper deployment while it has a free slot', async () => {
    for (let i = 0; i < 6; i += 1) {
      const answer = await install.submit(makeJob('priced')).then((inbox) => inbox.final());
      expect(answer['switchyard']).toMatchObject({ deployment: 'priced/1' });
    }
    expect(await servers.sim.requests(install.simName('priced', 0))).toBe(0);
    expect(await servers.sim.requests(install.simName('priced', 1))).toBe(6);
  });
});
