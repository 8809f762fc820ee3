import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForMetaLeader, type MonitoredNode } from './jetstream-monitor';

/** A node's `/jsz` as nats-server writes it: the meta leader and the replicas this node sees. */
function jsz(leader: string, replicas: { name: string; current: boolean }[] = []) {
  return { meta_cluster: { leader, replicas } };
}

describe('waitForMetaLeader', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
    servers.length = 0;
  });

  async function monitor(name: string, body: unknown): Promise<MonitoredNode> {
    const server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(body));
    });
    servers.push(server);
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    return { name, host: '127.0.0.1', monitorPort: (server.address() as AddressInfo).port };
  }

  it('watches a node that starts while it waits, when that node won the election', async () => {
    // n1 came back first and names n3, which is still starting; once n3 runs, it leads with
    // n1 and n2 current. A wait that kept to the nodes running when it began never ends.
    const n1 = await monitor('n1', jsz('n3'));
    const n2 = await monitor('n2', jsz('n3'));
    const n3 = await monitor(
      'n3',
      jsz('n3', [
        { name: 'n1', current: true },
        { name: 'n2', current: true },
      ]),
    );
    const running = [n1, n2];
    setTimeout(() => running.push(n3), 300);
    await expect(waitForMetaLeader(() => [...running], ['n1', 'n2', 'n3'], 5_000)).resolves.toBe(
      'n3',
    );
  });

  it('gives up after the timeout while the leader named is not running, saying what each node said', async () => {
    const n1 = await monitor('n1', jsz('n3'));
    await expect(waitForMetaLeader(() => [n1], ['n1', 'n2', 'n3'], 300)).rejects.toThrow(
      /within 300 ms \(n1: \{"leader":"n3","peers":\[\]\}\)/,
    );
  });
});
