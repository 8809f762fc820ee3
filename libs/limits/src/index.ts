export { createRateLimiter, rateSlotMs, rateWindowMs } from './rate-limiter';
export type {
  RateLimitReason,
  RateLimitedDeployment,
  RateLimiter,
  RateLimiterOptions,
  Reservation,
  ReserveResult,
} from './rate-limiter.types';
export {
  createCooldownTracker,
  type CooldownOptions,
  type CooldownTracker,
} from './cooldown-tracker';
export {
  cooldownFailureTypes,
  countsTowardsCooldown,
  type CooldownFailureType,
} from './cooldown-failure-types';
export {
  estimateInputTokens,
  charactersPerToken,
  imageTokens,
  lowDetailImageTokens,
  replyPrimingTokens,
  tokensPerMessage,
} from './estimate-input-tokens';
export type { RedisClient } from './redis-script';
export { cooldownOptionsFrom, rateLimiterOptionsFrom } from './limits-options';
