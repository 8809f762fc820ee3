/** The part of a Kubernetes NetworkPolicy these checks read. */
export interface NetworkPolicy {
  kind: 'NetworkPolicy';
  metadata: { name: string };
  spec: {
    podSelector: { matchLabels?: Record<string, string> };
    policyTypes: string[];
    ingress?: {
      from?: {
        podSelector?: { matchLabels?: Record<string, string> };
        namespaceSelector?: { matchLabels?: Record<string, string> };
      }[];
      ports?: { port: number | string; protocol?: string }[];
    }[];
  };
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
          rule.from.some((peer) => {
            const namespace =
              peer.namespaceSelector === undefined
                ? source.namespace === target.namespace
                : selects(peer.namespaceSelector.matchLabels, {
                    'kubernetes.io/metadata.name': source.namespace,
                  });
            return namespace && selects(peer.podSelector?.matchLabels, source.labels);
          })),
    ),
  );
}
