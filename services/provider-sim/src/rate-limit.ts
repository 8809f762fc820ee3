/** Limits reported (not enforced) when a deployment configures none. */
export const nominalLimits = { rpm: 10_000, tpm: 10_000_000 } as const;

/** A token bucket of `capacity` that refills fully in one minute, continuously. */
export class TokenBucket {
  private level: number;
  private updatedAt: number;
  private readonly perMs: number;

  constructor(
    readonly capacity: number,
    now: number,
  ) {
    this.level = capacity;
    this.updatedAt = now;
    this.perMs = capacity / 60_000;
  }

  private refill(now: number): void {
    if (now > this.updatedAt) {
      this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.perMs);
      this.updatedAt = now;
    }
  }

  /** What is left now, rounded down. */
  remaining(now: number): number {
    this.refill(now);
    return Math.max(Math.floor(this.level), 0);
  }

  /** Milliseconds until `amount` is available (0 if it is now). */
  msUntil(amount: number, now: number): number {
    this.refill(now);
    return this.level >= amount ? 0 : Math.ceil((amount - this.level) / this.perMs);
  }

  /** Milliseconds until the bucket is full again. */
  msUntilFull(now: number): number {
    return this.msUntil(this.capacity, now);
  }

  /** Takes `amount` (may go below zero when `force`); whether it was available. */
  take(amount: number, now: number, force = false): boolean {
    this.refill(now);
    if (this.level < amount && !force) return false;
    this.level -= amount;
    return true;
  }
}

/** A deployment's rate-limit state as the response headers report it. */
export interface RateLimitSnapshot {
  limitRequests: number;
  remainingRequests: number;
  resetRequestsMs: number;
  limitTokens: number;
  remainingTokens: number;
  resetTokensMs: number;
}

/** The state reported on refusals that never reached a deployment's buckets. */
export const nominalSnapshot: RateLimitSnapshot = {
  limitRequests: nominalLimits.rpm,
  remainingRequests: nominalLimits.rpm,
  resetRequestsMs: 0,
  limitTokens: nominalLimits.tpm,
  remainingTokens: nominalLimits.tpm,
  resetTokensMs: 0,
};

/** The outcome of asking for capacity. */
export type LimitCheck =
  | { ok: true }
  | { ok: false; scope: 'requests' | 'tokens'; retryAfterMs: number; requested: number };

/**
 * One deployment's request and token buckets. Enforced only when the deployment configures a
 * limit; otherwise the nominal limits are only reported in headers.
 */
export class DeploymentLimiter {
  private readonly requests: TokenBucket;
  private readonly tokens: TokenBucket;

  constructor(
    private readonly limits: { rpm?: number; tpm?: number } | undefined,
    now: number,
  ) {
    this.requests = new TokenBucket(limits?.rpm ?? nominalLimits.rpm, now);
    this.tokens = new TokenBucket(limits?.tpm ?? nominalLimits.tpm, now);
  }

  /** Takes one request and `tokens` tokens, unless an enforced limit says no. */
  admit(tokens: number, now: number): LimitCheck {
    if (this.limits?.rpm !== undefined) {
      const wait = this.requests.msUntil(1, now);
      if (wait > 0) return { ok: false, scope: 'requests', retryAfterMs: wait, requested: 1 };
    }
    if (this.limits?.tpm !== undefined) {
      const wanted = Math.min(tokens, this.tokens.capacity);
      const wait = this.tokens.msUntil(wanted, now);
      if (wait > 0) return { ok: false, scope: 'tokens', retryAfterMs: wait, requested: tokens };
    }
    this.requests.take(1, now, true);
    this.tokens.take(tokens, now, true);
    return { ok: true };
  }

  /** The current state for rate-limit headers. */
  snapshot(now: number): RateLimitSnapshot {
    return {
      limitRequests: this.requests.capacity,
      remainingRequests: this.requests.remaining(now),
      resetRequestsMs: this.requests.msUntilFull(now),
      limitTokens: this.tokens.capacity,
      remainingTokens: this.tokens.remaining(now),
      resetTokensMs: this.tokens.msUntilFull(now),
    };
  }
}

/** A duration as OpenAI writes its reset headers (Go style): `20ms`, `1s`, `1.5s`, `6m0s`. */
export function goDuration(ms: number): string {
  const total = Math.max(Math.round(ms), 0);
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}

/** An instant as Anthropic writes its reset headers: RFC 3339 in UTC, whole seconds. */
export function rfc3339(epochMs: number): string {
  return new Date(Math.ceil(epochMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
