import { sleep } from './ports';

/** What a node's `/jsz` monitoring endpoint says about the JetStream meta group. */
export interface MetaClusterView {
  /** The meta leader's server name, or undefined while none is elected. */
  leader: string | undefined;
  /** The other members this node knows and whether each is current. */
  peers: { name: string; current: boolean }[];
}

interface JszBody {
  meta_cluster?: {
    leader?: string;
    replicas?: { name?: string; current?: boolean }[];
  };
}

/**
 * Reads `http://host:port/jsz` and returns the meta group as this node sees it; undefined when
 * the endpoint does not answer (the node is down or still starting) or JetStream is off.
 */
export async function readMetaCluster(
  host: string,
  monitorPort: number,
  timeoutMs = 1_000,
): Promise<MetaClusterView | undefined> {
  try {
    const response = await fetch(`http://${host}:${monitorPort}/jsz`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return undefined;
    const body = (await response.json()) as JszBody;
    const meta = body.meta_cluster;
    if (meta === undefined) return undefined;
    return {
      leader: meta.leader === undefined || meta.leader === '' ? undefined : meta.leader,
      peers: (meta.replicas ?? []).map((r) => ({
        name: r.name ?? '',
        current: r.current === true,
      })),
    };
  } catch {
    return undefined;
  }
}

/** A node to watch: where its monitoring answers. */
export interface MonitoredNode {
  name: string;
  host: string;
  monitorPort: number;
}

/**
 * Resolves to the leader's name once every node `watched()` returns names the same JetStream
 * meta leader, that leader is one of them and of `expectedMembers`, and it sees all other
 * expected members as current peers (followers do not report peers), so an
 * R-`expectedMembers.length` stream can be created. `watched` is called at every poll: a node
 * that starts while this waits (a second restart) is watched from then on. Rejects after
 * `timeoutMs` with what each node last said.
 */
export async function waitForMetaLeader(
  watched: () => readonly MonitoredNode[],
  expectedMembers: readonly string[],
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last: (MetaClusterView | undefined)[] = [];
  for (;;) {
    const nodes = watched();
    last = await Promise.all(nodes.map((n) => readMetaCluster(n.host, n.monitorPort)));
    const leader = last[0]?.leader;
    const agreed =
      leader !== undefined &&
      expectedMembers.includes(leader) &&
      last.every((view) => view !== undefined && view.leader === leader) &&
      leaderSeesAll(last[nodes.findIndex((n) => n.name === leader)], leader, expectedMembers);
    if (agreed) return leader;
    if (Date.now() > deadline) {
      const said = nodes
        .map(
          (n, i) => `${n.name}: ${last[i] === undefined ? 'no answer' : JSON.stringify(last[i])}`,
        )
        .join('; ');
      throw new Error(
        `the NATS cluster did not agree on a JetStream meta leader within ${timeoutMs} ms (${said})`,
      );
    }
    await sleep(100);
  }
}

function leaderSeesAll(
  view: MetaClusterView | undefined,
  leader: string,
  expectedMembers: readonly string[],
): boolean {
  if (view === undefined) return false;
  const current = new Set(view.peers.filter((p) => p.current).map((p) => p.name));
  return expectedMembers.every((m) => m === leader || current.has(m));
}
