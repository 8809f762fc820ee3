import type { SwitchyardConfig } from '@switchyard/config';
import type { CooldownOptions } from './cooldown-tracker';
import type { RateLimiterOptions } from './rate-limiter.types';

/** The rate limiter's options from the config: its Redis key prefix. */
export function rateLimiterOptionsFrom(config: SwitchyardConfig): RateLimiterOptions {
  return { keyPrefix: config.switchyard.redis.keyPrefix };
}

/**
 * The cooldown tracker's options from the config: the Redis key prefix and the router's
 * `allowed_fails` and `cooldown_time`, counted over LiteLLM's one-minute window.
 */
export function cooldownOptionsFrom(config: SwitchyardConfig): CooldownOptions {
  return {
    keyPrefix: config.switchyard.redis.keyPrefix,
    allowedFails: config.router.allowedFails,
    cooldownMs: config.router.cooldownMs,
  };
}
