/** The ports and folder of one node of a local NATS cluster. */
export interface ClusterNodePlan {
  /** `server_name`: unique in the cluster, shown by JetStream as the stream leader. */
  name: string;
  host: string;
  clientPort: number;
  /** Route (cluster) port the other nodes connect to. */
  clusterPort: number;
  /** HTTP monitoring port (`/jsz`, `/routez`, `/healthz`). */
  monitorPort: number;
  /** JetStream `store_dir`. */
  storeDir: string;
}

/** Quotes a string for a nats-server config file (JSON string syntax is accepted there). */
function quoted(text: string): string {
  return JSON.stringify(text);
}

/**
 * The nats-server config text of one node of a cluster: its ports on `host`, JetStream storing
 * under its own folder, and routes to every other node (`routes` may list the node itself;
 * nats-server ignores a route to itself, but leaving it out keeps its log quiet). Works on
 * nats-server 2.9 and newer. `extra` is appended verbatim (an `authorization` block, limits).
 */
export function natsClusterNodeConfig(
  node: ClusterNodePlan,
  all: readonly ClusterNodePlan[],
  clusterName: string,
  extra = '',
): string {
  const routes = all
    .filter((other) => other.name !== node.name)
    .map((other) => `    ${quoted(`nats-route://${other.host}:${other.clusterPort}`)}`);
  return [
    `server_name: ${quoted(node.name)}`,
    `listen: ${quoted(`${node.host}:${node.clientPort}`)}`,
    `http: ${quoted(`${node.host}:${node.monitorPort}`)}`,
    'jetstream {',
    `  store_dir: ${quoted(node.storeDir)}`,
    '}',
    'cluster {',
    `  name: ${quoted(clusterName)}`,
    `  listen: ${quoted(`${node.host}:${node.clusterPort}`)}`,
    '  routes: [',
    ...routes,
    '  ]',
    '}',
    extra,
    '',
  ].join('\n');
}
