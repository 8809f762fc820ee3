import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForMetaLeader } from './jetstream-monitor';
import { startLocalServer, type LocalServer } from './local-server';
import { natsClusterNodeConfig, type ClusterNodePlan } from './nats-cluster-config';
import { findFreePort } from './ports';
import { probeNats } from './protocol-probe';
import { formatServerUrl } from './server-address';

/** Options of {@link startNatsCluster}. */
export interface NatsClusterOptions {
  /** Number of nodes. @defaultValue 3 */
  size?: number;
  /** The cluster's name (`cluster.name`). @defaultValue 'switchyard-local' */
  name?: string;
  /** Folder under which each node keeps its config and JetStream data; a temp folder (deleted by `stop()`) if unset. */
  dataDir?: string;
  /** Text appended to every node's config, e.g. an `authorization { … }` block. */
  extraConfig?: string;
  /** Program to run, a name on PATH or a path. @defaultValue 'nats-server' */
  binary?: string;
  /** How long to wait for the nodes to answer and elect a JetStream meta leader. @defaultValue 30000 */
  startTimeoutMs?: number;
}

/** One node of a {@link NatsCluster}. */
export interface NatsClusterNode {
  /** Its `server_name` (`n1`, `n2`, …): what JetStream reports as a stream's leader. */
  readonly name: string;
  /** `nats://127.0.0.1:PORT`: the same port across restarts. */
  readonly url: string;
  /** Its HTTP monitoring port (`/jsz`, `/routez`). */
  readonly monitorPort: number;
  /** Shuts the node down (SIGTERM, then SIGKILL after 10 s). Its data stays for `restart()`. */
  stop(): Promise<void>;
  /** Kills the node at once (SIGKILL), as a crash would. Its data stays for `restart()`. */
  kill(): Promise<void>;
  /**
   * Starts the node again on the same ports and data (stopping it first if it runs) and
   * resolves once it answers and every running node agrees on a JetStream meta leader.
   */
  restart(): Promise<void>;
}

/** A local NATS cluster with JetStream, started by {@link startNatsCluster}. */
export interface NatsCluster {
  /** Every node's client URL, for a client's `servers` list. */
  readonly urls: readonly string[];
  readonly nodes: readonly NatsClusterNode[];
  /** Stops every node and deletes the data folder if this call created it. Safe to call more than once. */
  stop(): Promise<void>;
}

const host = '127.0.0.1';

/**
 * Starts `size` nats-server processes (from PATH unless `binary` says otherwise) as one
 * cluster with JetStream, each with a generated config: `server_name` n1…nN, client, route
 * and monitoring ports on free loopback ports, routes to every other node, and a JetStream
 * store folder of its own. Resolves once every node answers clients and all agree on a
 * JetStream meta leader that sees every other node as current, so streams with
 * `num_replicas: size` can be created at once. Works on nats-server 2.9 and newer. Rejects,
 * after stopping whatever started, when a node does not come up or no leader is elected
 * within `startTimeoutMs`.
 */
export async function startNatsCluster(options: NatsClusterOptions = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be ≥ 1, got ${size}`);
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const ownDir = options.dataDir === undefined;
  const root = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-nats-cluster-')));
  const plans = await planNodes(size, root);
  const configs = plans.map((plan) =>
    natsClusterNodeConfig(plan, plans, options.name ?? 'switchyard-local', options.extraConfig),
  );
  await Promise.all(
    plans.map(async (plan, i) => {
      await mkdir(plan.storeDir, { recursive: true });
      await writeFile(configPath(root, plan), configs[i] ?? '');
    }),
  );

  const running = new Map<string, LocalServer>();
  const startNode = async (plan: ClusterNodePlan) => {
    const server = await startLocalServer({
      name: `nats-server ${plan.name}`,
      binary: options.binary ?? 'nats-server',
      args: ['-c', configPath(root, plan)],
      host,
      port: plan.clientPort,
      url: formatServerUrl('nats', host, plan.clientPort),
      isReady: (ms) => probeNats(host, plan.clientPort, ms),
      startTimeoutMs: timeoutMs,
      stopTimeoutMs: 10_000,
    });
    running.set(plan.name, server);
  };
  // The nodes running are read at every poll: while two nodes restart at once, the one that
  // comes up first waits, and the other may join (and win the election) meanwhile.
  const waitForLeader = () =>
    waitForMetaLeader(
      () => plans.filter((plan) => running.has(plan.name)),
      plans.map((plan) => plan.name),
      timeoutMs,
    );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all([...running.values()].map((server) => server.stop()));
      running.clear();
      if (ownDir) await rm(root, { recursive: true, force: true });
    })());

  try {
    await Promise.all(plans.map(startNode));
    await waitForLeader();
  } catch (error) {
    await stop();
    throw error;
  }

  const takeDown = async (plan: ClusterNodePlan, how: 'stop' | 'kill') => {
    const server = running.get(plan.name);
    running.delete(plan.name);
    await server?.[how]();
  };
  const nodes = plans.map((plan): NatsClusterNode => ({
    name: plan.name,
    url: formatServerUrl('nats', host, plan.clientPort),
    monitorPort: plan.monitorPort,
    stop: () => takeDown(plan, 'stop'),
    kill: () => takeDown(plan, 'kill'),
    async restart() {
      await takeDown(plan, 'stop');
      await startNode(plan);
      await waitForLeader();
    },
  }));
  return { urls: nodes.map((node) => node.url), nodes, stop };
}

async function planNodes(size: number, root: string): Promise<ClusterNodePlan[]> {
  const plans: ClusterNodePlan[] = [];
  const taken = new Set<number>();
  const freePort = async () => {
    for (;;) {
      const port = await findFreePort(host);
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  for (let i = 1; i <= size; i++) {
    const name = `n${i}`;
    plans.push({
      name,
      host,
      clientPort: await freePort(),
      clusterPort: await freePort(),
      monitorPort: await freePort(),
      storeDir: join(root, name, 'jetstream'),
    });
  }
  return plans;
}

function configPath(root: string, plan: ClusterNodePlan): string {
  return join(root, plan.name, 'nats-server.conf');
}
