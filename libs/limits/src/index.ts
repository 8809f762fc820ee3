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
  estimateInputTokens,
  estimateTextTokens,
  charactersPerToken,
  imageTokens,
  lowDetailImageTokens,
  replyPrimingTokens,
  tokensPerMessage,
  tokensPerName,
} from './estimate-input-tokens';
export {
  countTokens,
  tokenEncodingFor,
  TokenEncodings,
  type TokenEncoding,
  type TokenizerTarget,
} from './token-encoding';
export {
  BudgetLedgerDefaults,
  createBudgetLedger,
  microsToUsd,
  usdToMicros,
} from './budget-ledger';
export type {
  BudgetCrossing,
  BudgetLedger,
  BudgetLedgerOptions,
  BudgetRefusal,
  BudgetReservation,
  BudgetReserveResult,
  BudgetScope,
  RecordedSpend,
  SpendOptions,
} from './budget-ledger.types';
export { budgetScopesOf, type BudgetSettings } from './budget-scopes';
export { acquireLease, type RedisLease } from './redis-lease';
export { defineScript, type RedisClient, type RedisScript, type ScriptArg } from './redis-script';
export { cooldownOptionsFrom, rateLimiterOptionsFrom } from './limits-options';
