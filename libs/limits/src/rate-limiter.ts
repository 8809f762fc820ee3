import { rateWindowKey } from './limit-keys';
import type { RedisClient } from './redis-script';
import { adjustScript, reserveScript } from './rate-limit.scripts';
import type {
  RateLimitReason,
  RateLimiter,
  RateLimiterOptions,
  Reservation,
  ReserveResult,
} from './rate-limiter.types';

/** The window every rpm and tpm limit is counted over. */
export const rateWindowMs = 60_000;
/** The width of one counting slot: the precision of the sliding window. */
export const rateSlotMs = 1_000;
const slotsPerWindow = rateWindowMs / rateSlotMs;

function tokenCount(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  }
  return Math.ceil(value);
}

function parseReserveReply(deploymentId: string, tokens: number, reply: unknown): ReserveResult {
  if (!Array.isArray(reply) || reply.length !== 3) {
    throw new Error(`unexpected reply from the rate-limit script: ${JSON.stringify(reply)}`);
  }
  const [ok, first, second] = reply as [number, number, number | string];
  if (ok === 1) {
    return {
      ok: true,
      reservation: { deploymentId, slot: first, tokens, reservedAt: Number(second) },
    };
  }
  return { ok: false, waitMs: first, reason: second as RateLimitReason };
}

/**
 * Creates the rate limiter over `redis`: a sliding 60 s window of one-second slots per
 * deployment (see README.md for the precision). Deployments without rpm and tpm are never
 * limited and cost no Redis call.
 */
export function createRateLimiter(redis: RedisClient, options: RateLimiterOptions): RateLimiter {
  const keyOf = (deploymentId: string) => rateWindowKey(options.keyPrefix, deploymentId);

  async function adjust(reservation: Reservation, requests: number, tokens: number) {
    if (reservation.slot === undefined) return;
    await adjustScript.run(
      redis,
      [keyOf(reservation.deploymentId)],
      [reservation.slot, requests, tokens],
    );
  }

  return {
    async reserve(deployment, estimatedTokens, now) {
      const tokens = tokenCount(estimatedTokens, 'estimatedTokens');
      if (deployment.rpm === undefined && deployment.tpm === undefined) {
        const reservation = { deploymentId: deployment.id, tokens, reservedAt: now ?? Date.now() };
        return { ok: true, reservation };
      }
      const reply = await reserveScript.run(
        redis,
        [keyOf(deployment.id)],
        [now ?? '', deployment.rpm ?? '', deployment.tpm ?? '', tokens, rateSlotMs, slotsPerWindow],
      );
      return parseReserveReply(deployment.id, tokens, reply);
    },
    async reconcile(reservation, actualTokens) {
      const tokens = tokenCount(actualTokens, 'actualTokens');
      await adjust(reservation, 0, tokens - reservation.tokens);
    },
    async release(reservation) {
      await adjust(reservation, -1, -reservation.tokens);
    },
  };
}
