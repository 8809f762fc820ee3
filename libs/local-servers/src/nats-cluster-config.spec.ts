import { describe, expect, it } from 'vitest';
import { natsClusterNodeConfig, type ClusterNodePlan } from './nats-cluster-config';

const node = (i: number): ClusterNodePlan => ({
  name: `n${i}`,
  host: '127.0.0.1',
  clientPort: 4000 + i,
  clusterPort: 5000 + i,
  monitorPort: 6000 + i,
  storeDir: `/data/n${i}`,
});

describe('natsClusterNodeConfig', () => {
  const all = [node(1), node(2), node(3)];

  it('names the node, its ports and store, and routes to the other nodes only', () => {
    const text = natsClusterNodeConfig(node(2), all, 'c1');
    expect(text).toContain('server_name: "n2"');
    expect(text).toContain('listen: "127.0.0.1:4002"');
    expect(text).toContain('http: "127.0.0.1:6002"');
    expect(text).toContain('store_dir: "/data/n2"');
    expect(text).toContain('name: "c1"');
    expect(text).toContain('listen: "127.0.0.1:5002"');
    expect(text).toContain('"nats-route://127.0.0.1:5001"');
    expect(text).toContain('"nats-route://127.0.0.1:5003"');
    expect(text).not.toContain('nats-route://127.0.0.1:5002');
  });

  it('quotes a store folder with spaces and quotes, and appends extra text', () => {
    const odd = { ...node(1), storeDir: '/tmp/a "b" c' };
    const text = natsClusterNodeConfig(odd, [odd], 'c', 'authorization { token: "x" }');
    expect(text).toContain('store_dir: "/tmp/a \\"b\\" c"');
    expect(text).toContain('routes: [\n  ]');
    expect(text.trimEnd().endsWith('authorization { token: "x" }')).toBe(true);
  });
});
