import type { NatsConnection } from '@nats-io/nats-core';

/** A nats-server version as `[major, minor, patch]`. */
export type ServerVersion = readonly [major: number, minor: number, patch: number];

/**
 * The JetStream features Switchyard uses only where the server has them, with the first
 * server version that has each. Everything else Switchyard needs is in nats-server 2.9.
 */
export const ServerFeatures = {
  /** `metadata` on streams and consumers. */
  metadata: [2, 10, 0],
  /** Changing a consumer's `filter_subject` with an update. */
  consumerFilterUpdate: [2, 10, 0],
  /** A reason with `+TERM`; older servers ignore a term that carries one. */
  termReason: [2, 11, 0],
  /**
   * A stream with `discard: new` refuses a message that would exceed `max_bytes`. Before
   * 2.10.5 the server under-counts the message (headers), stores it, and then drops the
   * stream's oldest messages to get back under the limit (nats-server issues 4771 and 4775):
   * a full work queue would silently lose queued jobs.
   */
  exactDiscardNewBytes: [2, 10, 5],
} as const satisfies Record<string, ServerVersion>;
export type ServerFeature = keyof typeof ServerFeatures;

/**
 * Reads a version such as `2.9.10` or `2.11.0-RC.1`; a pre-release counts as its release.
 * Returns null for anything else.
 */
export function parseServerVersion(text: string): ServerVersion | null {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(text.trim());
  if (match === null) return null;
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** True when `version` is `minimum` or later. */
export function isAtLeast(version: ServerVersion, minimum: ServerVersion): boolean {
  for (let i = 0; i < 3; i += 1) {
    const have = version[i] ?? 0;
    const need = minimum[i] ?? 0;
    if (have !== need) return have > need;
  }
  return true;
}

/**
 * The version of the server the connection is talking to (from its INFO), or
 * `[0, 0, 0]` when unknown, so that every optional feature is then left unused.
 */
export function serverVersionOf(nc: NatsConnection): ServerVersion {
  return parseServerVersion(nc.info?.version ?? '') ?? [0, 0, 0];
}

/** What the connected server can do that changes the topology's plan. */
export function planCapabilities(nc: NatsConnection): {
  metadata: boolean;
  exactDiscardNewBytes: boolean;
} {
  return {
    metadata: serverSupports(nc, 'metadata'),
    exactDiscardNewBytes: serverSupports(nc, 'exactDiscardNewBytes'),
  };
}

/** True when the connected server has the feature. */
export function serverSupports(nc: NatsConnection, feature: ServerFeature): boolean {
  return isAtLeast(serverVersionOf(nc), ServerFeatures[feature]);
}
