/** A virtual key's record as stored (never the secret; the secret is stored only as sha256 hex). */
export interface VirtualKey {
  /** `key_` + 16 random base62 characters; valid as a `keyIdSchema` id. */
  id: string;
  /** A unique human name, optional. */
  alias?: string;
  /** The tenant every job submitted with this key runs as. */
  tenant: string;
  /** The logical models this key may use; `[]` means all of them. */
  models: string[];
  /** Requests per minute allowed with this key; absent means unlimited. */
  rpm?: number;
  /** USD allowed per budget period (enforced by the worker). */
  maxBudget?: number;
  /** The length of one budget period, ms. */
  budgetDurationMs?: number;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; absent while the key is live. */
  revokedAt?: number;
  /** The first 8 and last 4 characters of the secret, for `keys list`. */
  hint: string;
}

/** What `create` accepts; every field optional (tenant defaults to `default`). */
export interface CreateKeyInput {
  tenant?: string;
  alias?: string;
  models?: string[];
  rpm?: number;
  maxBudget?: number;
  budgetDurationMs?: number;
}

/** The answer of `takeRequest`. */
export type TakeRequestResult = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Filters of `list`. */
export interface ListKeysOptions {
  /** Only this tenant's keys. */
  tenant?: string;
  /** Revoked keys too (default: live keys only). */
  includeRevoked?: boolean;
}
