import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isBinaryOnPath,
  isNatsReachable,
  isPortOpen,
  startNatsCluster,
  type NatsCluster,
} from './index';
import { readMetaCluster } from './jetstream-monitor';

const haveNats = await isBinaryOnPath('nats-server');

describe.skipIf(!haveNats)('startNatsCluster', () => {
  let cluster: NatsCluster;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('starts three routed nodes that agree on a JetStream meta leader', async () => {
    expect(cluster.urls).toHaveLength(3);
    expect(new Set(cluster.urls).size).toBe(3);
    for (const url of cluster.urls) expect(await isNatsReachable(url)).toBe(true);
    const views = await Promise.all(
      cluster.nodes.map((node) => readMetaCluster('127.0.0.1', node.monitorPort)),
    );
    const leaders = new Set(views.map((view) => view?.leader));
    expect(leaders.size).toBe(1);
    expect(['n1', 'n2', 'n3']).toContain([...leaders][0]);
  });

  it('keeps an R3 stream readable and writable when its leader is killed, and restarts the node', async () => {
    const nc = await connect({
      servers: [...cluster.urls],
      maxReconnectAttempts: -1,
      reconnectTimeWait: 100,
    });
    try {
      const jsm = await jetstreamManager(nc);
      const info = await jsm.streams.add({ name: 'R3TEST', subjects: ['r3.>'], num_replicas: 3 });
      expect(info.config.num_replicas).toBe(3);
      const js = jetstream(nc);
      for (let i = 0; i < 10; i++) await js.publish('r3.x', `m${i}`);
      const leader = (await jsm.streams.info('R3TEST')).cluster?.leader;
      const victim = cluster.nodes.find((node) => node.name === leader);
      expect(victim).toBeDefined();
      await victim?.kill();
      expect(await isPortOpen('127.0.0.1', Number(new URL(victim?.url ?? '').port), 300)).toBe(
        false,
      );

      const after = await retry(() => js.publish('r3.x', 'after', { timeout: 2_000 }), 20_000);
      expect(after.seq).toBe(11);
      const newLeader = (await jsm.streams.info('R3TEST')).cluster?.leader;
      expect(newLeader).not.toBe(leader);

      await victim?.restart();
      expect(await isNatsReachable(victim?.url ?? '')).toBe(true);
      const state = await retry(async () => {
        const s = await jsm.streams.info('R3TEST');
        const replicas = s.cluster?.replicas ?? [];
        if (replicas.length !== 2 || !replicas.every((r) => r.current))
          throw new Error('catching up');
        return s.state;
      }, 20_000);
      expect(state.messages).toBe(11);
    } finally {
      await nc.close();
    }
  }, 60_000);

  it('stop() ends every node and can be called twice', async () => {
    const small = await startNatsCluster({ size: 2, name: 'pair' });
    await small.stop();
    await small.stop();
    for (const url of small.urls) expect(await isNatsReachable(url, 300)).toBe(false);
  });

  it('rejects a size that is not a positive whole number', async () => {
    await expect(startNatsCluster({ size: 0 })).rejects.toThrow('size must be ≥ 1, got 0');
  });

  it('rejects with the server output when a node cannot start, leaving nothing running', async () => {
    await expect(
      startNatsCluster({ size: 2, extraConfig: 'no_such_option: {', startTimeoutMs: 5_000 }),
    ).rejects.toThrow(/nats-server n\d exited .*before it was ready/s);
  });
});

async function retry<T>(attempt: () => Promise<T>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
