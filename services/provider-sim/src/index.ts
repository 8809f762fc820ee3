export { startProviderSim, type ProviderSimHandle, type ProviderSimOptions } from './server';
export {
  parseScenario,
  simProviders,
  type DeploymentSettings,
  type LatencyConfig,
  type SimProviderName,
  type SimScenario,
} from './scenario';
export {
  faultKinds,
  parseFaultSpec,
  type FaultKind,
  type FaultRuleInput,
  type FaultRuleView,
  type FaultSpec,
} from './faults';
export { countTokens, tokenRules } from './tokens';
export { measurePrompt, type NeutralPrompt, type PromptMessage, type PromptTool } from './prompt';
export { replyTokens, renderTokens, ECHO_TOKENS } from './reply';
export { minimalInstance } from './schema-instance';
export { FAULT_HEADER } from './provider-handler';
export type { SettingsTarget } from './sim-state';
export type { SimStats, UsageCounters } from './stats';
export {
  CALL_KEY_LENGTH,
  CALL_LEDGER_LIMIT,
  callKey,
  type CallOutcome,
  type CallQuery,
  type SimCall,
} from './call-ledger';
export type { GoogleAuthorizedUser } from './google-token';
