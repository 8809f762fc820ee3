/*
 * Key layout. The registry's hashes share the `{registry}` hash tag, so one script may touch
 * them all on a Redis Cluster; each key's rpm windows are tagged by the key id.
 */

/** The Redis keys of one store, all under `<keyPrefix>keys:`. */
export interface KeyLayout {
  /** Hash: key id → the record as JSON (without revokedAt). */
  readonly records: string;
  /** Hash: sha256(secret) hex → key id. */
  readonly secrets: string;
  /** Hash: alias → key id (of the newest key given that alias). */
  readonly aliases: string;
  /** Hash: key id → revokedAt (epoch ms), for revoked keys. */
  readonly revoked: string;
  /** Hash of one key's current 60 s window: its index and the requests counted in it. */
  rpm(keyId: string): string;
}

/** The layout of a store whose keys start with `keyPrefix` (e.g. `sy:`). */
export function keyLayout(keyPrefix: string): KeyLayout {
  const base = `${keyPrefix}keys:`;
  return {
    records: `${base}{registry}:records`,
    secrets: `${base}{registry}:secrets`,
    aliases: `${base}{registry}:aliases`,
    revoked: `${base}{registry}:revoked`,
    rpm: (keyId) => `${base}{${keyId}}:rpm`,
  };
}
