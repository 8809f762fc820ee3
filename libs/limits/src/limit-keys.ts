/*
 * Key layout. The deployment id is URI-encoded (so `{`, `}` and spaces cannot leak into the
 * key) and wrapped in a Redis Cluster hash tag, so that every key of one deployment lives on
 * the same cluster slot and one script may touch them all.
 */

function deploymentTag(deploymentId: string): string {
  return `{${encodeURIComponent(deploymentId)}}`;
}

/** The hash holding one deployment's per-second request and token counts. */
export function rateWindowKey(keyPrefix: string, deploymentId: string): string {
  return `${keyPrefix}limits:${deploymentTag(deploymentId)}:rate`;
}

/** The sorted set of one deployment's recent failures that count towards a cooldown. */
export function failuresKey(keyPrefix: string, deploymentId: string): string {
  return `${keyPrefix}limits:${deploymentTag(deploymentId)}:fails`;
}

/** The string holding, while it exists, the end of one deployment's cooldown (epoch ms). */
export function cooldownKey(keyPrefix: string, deploymentId: string): string {
  return `${keyPrefix}limits:${deploymentTag(deploymentId)}:cooldown`;
}

/**
 * The hash of one budget scope: `<prefix>budget:{<tenant>}:tenant` for a tenant,
 * `<prefix>budget:{<tenant>}:key:<key id>` for a virtual key. The tenant is the hash tag, so a
 * job's tenant and key budgets share a cluster slot and one script reserves on both.
 */
export function budgetKey(keyPrefix: string, tenant: string, keyId?: string): string {
  const tag = `{${encodeURIComponent(tenant)}}`;
  return keyId === undefined
    ? `${keyPrefix}budget:${tag}:tenant`
    : `${keyPrefix}budget:${tag}:key:${encodeURIComponent(keyId)}`;
}

/** The sorted set of one budget scope's live reservations (`<budget key>:holds`). */
export function budgetHoldsKey(keyPrefix: string, tenant: string, keyId?: string): string {
  return `${budgetKey(keyPrefix, tenant, keyId)}:holds`;
}

/**
 * The marker of a usage event whose cost the budgets of `tenant` (and its keys) counted:
 * `<prefix>budget:{<tenant>}:counted:<event id>`, in the tenant's slot like its budgets.
 */
export function budgetCountedKey(keyPrefix: string, tenant: string, usageEventId: string): string {
  return `${keyPrefix}budget:{${encodeURIComponent(tenant)}}:counted:${usageEventId}`;
}
