import { jetstreamManager } from '@nats-io/jetstream';
import { isBinaryOnPath, startNatsCluster, type NatsCluster } from '@switchyard/local-servers';
import type { NatsConnection } from '@nats-io/nats-core';
import { closeNats, connectNats, provisionTopology } from '@switchyard/messaging';
import { keysBucketName, streamNames } from '@switchyard/contracts';
import { VirtualKeyStore } from '@switchyard/keys';
import { uniquePrefix } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quietLogger } from '../pipeline/pipeline-harness.test-support';

const haveNats = await isBinaryOnPath('nats-server');

/**
 * Services start together with (or before) a NATS cluster that has not elected its
 * JetStream leader yet, as on a fresh Kubernetes install: provisioning waits for JetStream
 * instead of exiting on the first timed-out API request.
 */
describe.skipIf(!haveNats)('provisioning while the cluster has no JetStream quorum', () => {
  let cluster: NatsCluster;

  beforeAll(async () => {
    cluster = await startNatsCluster({ size: 3 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  /**
   * Stops two of the three nodes and runs `use` with a connection to the one left, closed
   * afterwards. `backAfter(pending)` lets the set-up in `pending` wait for 2 s, restarts the two
   * nodes and resolves with what the set-up resolves with.
   */
  async function withoutQuorum(
    use: (nc: NatsConnection, backAfter: <T>(pending: Promise<T>) => Promise<T>) => Promise<void>,
  ): Promise<void> {
    const [n1, n2, n3] = cluster.nodes;
    if (!n1 || !n2 || !n3) throw new Error('the cluster has three nodes');
    await Promise.all([n2.stop(), n3.stop()]);
    const backAfter = async <T>(pending: Promise<T>): Promise<T> => {
      pending.catch(() => undefined); // awaited below, after the nodes are back
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await Promise.all([n2.restart(), n3.restart()]);
      return pending;
    };
    const nc = await connectNats({ servers: n1.url, name: 'provision-quorum', timeoutMs: 1_000 });
    try {
      await use(nc, backAfter);
    } finally {
      await closeNats(nc);
    }
  }

  it('waits for a leader and then provisions; gives up after unavailableForMs', async () => {
    await withoutQuorum(async (nc, backAfter) => {
      const prefix = uniquePrefix('quorum');
      const settings = {
        subjectRoot: prefix,
        streamPrefix: prefix.slice(0, 32),
        models: ['chat'],
        ackWaitMs: 60_000,
        replicas: 3,
        logger: quietLogger,
      };
      await expect(provisionTopology(nc, { ...settings, unavailableForMs: 1_500 })).rejects.toThrow(
        /timeout|unavailable|no suitable peers/i,
      );

      const provisioned = await backAfter(
        provisionTopology(nc, { ...settings, unavailableForMs: 60_000 }),
      );
      expect(provisioned.consumers.map((consumer) => consumer.outcome)).toEqual(['created']);
      const jobs = await (
        await jetstreamManager(nc)
      ).streams.info(streamNames(settings.streamPrefix).jobs);
      expect(jobs.config.num_replicas).toBe(3);
    });
  }, 120_000);

  it('opens the keys bucket once the cluster has a leader again', async () => {
    await withoutQuorum(async (nc, backAfter) => {
      const streamPrefix = uniquePrefix('keysq').slice(0, 32);
      const store = await backAfter(
        VirtualKeyStore.open(nc, {
          bucket: { streamPrefix, replicas: 3, storage: 'memory' },
          logger: quietLogger,
        }),
      );
      await store.close();
      const bucket = await (
        await jetstreamManager(nc)
      ).streams.info(`KV_${keysBucketName(streamPrefix)}`);
      expect(bucket.config.num_replicas).toBe(3);
    });
  }, 120_000);
});
