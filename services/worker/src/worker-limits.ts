import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { CooldownTracker, RateLimiter } from '@switchyard/limits';

/**
 * The shared deployment state a worker consults (from `@switchyard/limits`): rpm/tpm
 * reservations, cooldowns, and the input-token estimate a reservation is made with.
 */
export interface WorkerLimits {
  readonly rateLimiter: RateLimiter;
  readonly cooldown: CooldownTracker;
  estimateInputTokens(request: ChatCompletionRequest): number;
}
