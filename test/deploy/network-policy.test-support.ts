/** The part of a Kubernetes NetworkPolicy these checks read. */
export interface NetworkPolicy {
  kind: 'NetworkPolicy';
  metadata: { name: string };
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    ingress?: { from?: Peer[]; ports?: PolicyPort[] }[];
    egress?: { to?: Peer[]; ports?: PolicyPort[] }[];
  };
}

/** A peer of a rule (only selectors; no ipBlock). */
interface Peer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
interface PolicyPort {
  port: number | string;
  protocol?: string;
}

/** A pod: its namespace and labels. */
export interface Pod {
  namespace: string;
  labels: Record<string, string>;
}

/** Whether `labels` carry every label of a `matchLabels` selector (an empty one selects all). */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string>,
) {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}

/** Whether `peer` (a rule's peer, as written in a policy of `home`'s namespace) matches `pod`. */
function peerMatches(peer: Peer, pod: Pod, home: string) {
  const namespace =
    peer.namespaceSelector === undefined
      ? pod.namespace === home
      : selects(peer.namespaceSelector.matchLabels, {
          'kubernetes.io/metadata.name': pod.namespace,
        });
  return namespace && selects(peer.podSelector?.matchLabels, pod.labels);
}

/**
 * Whether `policies` (those of `source`'s namespace) let `source` open a connection to `port`
 * of `target`, as Kubernetes decides it for egress: a pod no Egress policy selects may connect
 * anywhere; otherwise some egress rule of a policy selecting it must match the port (any, when
 * the rule names none) and the target (any, when the rule names no peer).
 */
export function letsOut(
  policies: readonly NetworkPolicy[],
  source: Pod,
  port: number,
  target: Pod,
) {
  const isolating = policies.filter(
    (policy) =>
      policy.spec.policyTypes.includes('Egress') &&
      selects(policy.spec.podSelector.matchLabels, source.labels),
  );
  if (isolating.length === 0) return true;
  return isolating.some((policy) =>
    (policy.spec.egress ?? []).some(
      (rule) =>
        (rule.ports === undefined || rule.ports.some((allowed) => allowed.port === port)) &&
        (rule.to === undefined ||
          rule.to.some((peer) => peerMatches(peer, target, source.namespace))),
    ),
  );
}

/** Whether `source` may connect to `port` of `target`: its egress and the target's ingress allow it. */
export function connects(
  policies: readonly NetworkPolicy[],
  source: Pod,
  port: number,
  target: Pod,
) {
  return letsOut(policies, source, port, target) && admits(policies, target, port, source);
}

/**
 * Whether the NetworkPolicies of `target`'s namespace let `source` connect to `port` of
 * `target`, as Kubernetes decides it for ingress: a pod no policy selects takes everything;
 * otherwise some rule of a policy selecting it must match the port and the source (a pod
 * selector alone means pods of the target's namespace; a namespace selector matches the
 * namespace's `kubernetes.io/metadata.name` label). Only `matchLabels` selectors are read.
 */
export function admits(policies: readonly NetworkPolicy[], target: Pod, port: number, source: Pod) {
  const isolating = policies.filter(
    (policy) =>
      policy.spec.policyTypes.includes('Ingress') &&
      selects(policy.spec.podSelector.matchLabels, target.labels),
  );
  if (isolating.length === 0) return true;
  return isolating.some((policy) =>
    (policy.spec.ingress ?? []).some(
      (rule) =>
        (rule.ports === undefined || rule.ports.some((allowed) => allowed.port === port)) &&
        (rule.from === undefined ||
          rule.from.some((peer) => peerMatches(peer, source, target.namespace))),
    ),
  );
}
