import type { Deployment } from '@switchyard/config';

/** What the rate limiter needs to know of a deployment: its id and its limits. */
export type RateLimitedDeployment = Pick<Deployment, 'id' | 'rpm' | 'tpm'>;

/**
 * Capacity held for one provider call. Settle it exactly once: `reconcile` after the provider
 * answered (success or failure), `release` when the call never reached the provider.
 */
export interface Reservation {
  readonly deploymentId: string;
  /**
   * The one-second slot the reservation was counted in; absent when the deployment has
   * neither rpm nor tpm, so nothing was stored.
   */
  readonly slot?: number;
  /** The tokens reserved (the estimate passed to `reserve`). */
  readonly tokens: number;
  /** When the reservation was made, epoch ms (the Redis server's clock unless `now` was passed). */
  readonly reservedAt: number;
}

/** Why a reservation was refused: the request count or the token count of the window is full. */
export type RateLimitReason = 'rpm' | 'tpm';

/** The answer of {@link RateLimiter.reserve}. */
export type ReserveResult =
  | { readonly ok: true; readonly reservation: Reservation }
  | {
      readonly ok: false;
      /** How long until enough of the window has slid past for this request to fit. */
      readonly waitMs: number;
      readonly reason: RateLimitReason;
    };

/**
 * Per-deployment rpm/tpm limits shared by every replica through Redis. The check and the
 * reservation happen in one Lua script, so concurrent replicas can never both take the last
 * unit of capacity.
 */
export interface RateLimiter {
  /**
   * Reserves one request and `estimatedTokens` tokens for a call to `deployment` if its
   * window has room for both; otherwise reserves nothing and says how long to wait.
   * `now` (epoch ms) replaces the Redis server's clock; tests use it to move time without
   * waiting. Pass it always or never for a deployment: mixing clocks skews the window.
   */
  reserve(
    deployment: RateLimitedDeployment,
    estimatedTokens: number,
    now?: number,
  ): Promise<ReserveResult>;
  /**
   * Replaces the reservation's estimate with the tokens the provider reported (usually
   * `usage.total_tokens`), moving the window's token count up or down. The request stays
   * counted. A reservation older than the window is left alone: it no longer counts.
   */
  reconcile(reservation: Reservation, actualTokens: number): Promise<void>;
  /**
   * Gives the whole reservation back (the request and its tokens), for a call that failed
   * before it reached the provider.
   */
  release(reservation: Reservation): Promise<void>;
}

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Prefix of every key; pass `config.switchyard.redis.keyPrefix` (default `sy:`). */
  readonly keyPrefix: string;
}
