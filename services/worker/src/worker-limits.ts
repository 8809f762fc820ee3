import type { JobRequest } from '@switchyard/contracts';
import type { CooldownTracker, RateLimiter, TokenizerTarget } from '@switchyard/limits';

/**
 * The shared deployment state a worker consults (from `@switchyard/limits`): rpm/tpm
 * reservations, cooldowns, and the input-token estimate (per deployment: its tokenizer) that
 * reservations and pre-call checks use.
 */
export interface WorkerLimits {
  readonly rateLimiter: RateLimiter;
  readonly cooldown: CooldownTracker;
  estimateInputTokens(request: JobRequest, target?: TokenizerTarget): number;
}
