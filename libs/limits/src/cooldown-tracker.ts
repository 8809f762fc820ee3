import { randomUUID } from 'node:crypto';
import { countsTowardsCooldown, type ErrorType } from '@switchyard/contracts';
import { recordFailureScript } from './cooldown.scripts';
import { cooldownKey, failuresKey } from './limit-keys';
import type { RedisClient } from './redis-script';

/** Options of {@link createCooldownTracker}; pass the values of `config.router`. */
export interface CooldownOptions {
  /** Prefix of every key; pass `config.switchyard.redis.keyPrefix` (default `sy:`). */
  readonly keyPrefix: string;
  /**
   * Failures a deployment may have within `windowMs`; one more cools it down
   * (`router.allowedFails`, LiteLLM's `allowed_fails`).
   */
  readonly allowedFails: number;
  /** How long a cooldown lasts (`router.cooldownMs`); 0 turns cooldowns off. */
  readonly cooldownMs: number;
  /**
   * The window failures are counted over.
   * @defaultValue 60000
   */
  readonly windowMs?: number;
}

/**
 * Whether deployments are cooling down, shared by every replica through Redis: a deployment
 * with more than `allowedFails` counted failures within `windowMs` stops receiving work for
 * `cooldownMs`.
 */
export interface CooldownTracker {
  /**
   * Records a failed provider call. Only the types that cool a deployment down count
   * (`countsTowardsCooldown`, from the error table in libs/contracts); others
   * change nothing. Resolves to the end of the deployment's cooldown if one is running,
   * whether this failure started it or not.
   */
  recordFailure(deploymentId: string, errorType: ErrorType): Promise<{ coolingDownUntil?: number }>;
  /**
   * Records a successful provider call: the deployment answers, so the failures counted so
   * far are forgotten (a cooldown needs more than `allowedFails` failures with no success
   * between them). A running cooldown is not shortened.
   */
  recordSuccess(deploymentId: string): Promise<void>;
  /** The end of the deployment's cooldown (epoch ms, Redis clock), or undefined if none runs. */
  coolingDownUntil(deploymentId: string): Promise<number | undefined>;
}

function checkOptions(options: CooldownOptions): Required<CooldownOptions> {
  const { allowedFails, cooldownMs, windowMs = 60_000 } = options;
  if (!Number.isInteger(allowedFails) || allowedFails < 0) {
    throw new RangeError(`allowedFails must be an integer >= 0, got ${allowedFails}`);
  }
  if (!Number.isInteger(cooldownMs) || cooldownMs < 0) {
    throw new RangeError(`cooldownMs must be an integer >= 0, got ${cooldownMs}`);
  }
  if (!Number.isInteger(windowMs) || windowMs <= 0) {
    throw new RangeError(`windowMs must be an integer > 0, got ${windowMs}`);
  }
  return { keyPrefix: options.keyPrefix, allowedFails, cooldownMs, windowMs };
}

/** Creates the cooldown tracker over `redis`. */
export function createCooldownTracker(
  redis: RedisClient,
  options: CooldownOptions,
): CooldownTracker {
  const { keyPrefix, allowedFails, cooldownMs, windowMs } = checkOptions(options);

  async function coolingDownUntil(deploymentId: string): Promise<number | undefined> {
    const until = await redis.get(cooldownKey(keyPrefix, deploymentId));
    return until === null ? undefined : Number(until);
  }

  return {
    async recordFailure(deploymentId, errorType) {
      if (cooldownMs === 0) return {};
      if (!countsTowardsCooldown(errorType)) {
        const until = await coolingDownUntil(deploymentId);
        return until === undefined ? {} : { coolingDownUntil: until };
      }
      const reply = await recordFailureScript.run(
        redis,
        [failuresKey(keyPrefix, deploymentId), cooldownKey(keyPrefix, deploymentId)],
        [windowMs, allowedFails, cooldownMs, randomUUID()],
      );
      return typeof reply === 'number' ? { coolingDownUntil: reply } : {};
    },
    async recordSuccess(deploymentId) {
      await redis.del(failuresKey(keyPrefix, deploymentId));
    },
    coolingDownUntil,
  };
}
