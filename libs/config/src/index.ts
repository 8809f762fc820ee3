export { loadConfig, type LoadConfigOptions } from './load-config';
export { parseConfig, type ParseConfigOptions } from './parse-config';
export { ConfigError, formatProblem, type ConfigProblem } from './config-error';
export type {
  AzureEntraCredentials,
  AwsCredentials,
  AwsProfileRef,
  CacheSettings,
  Deployment,
  DeploymentLimits,
  DeploymentPricing,
  GeneralSettings,
  LoadedConfig,
  LogicalModel,
  ModelAlias,
  NatsSettings,
  RedisSettings,
  RouterSettings,
  SwitchyardConfig,
  SwitchyardSettings,
  TenantSettings,
  WorkerSettings,
  GatewaySettings,
  BatchSettings,
  GoogleCredentialsJson,
  VertexSettings,
} from './config.types';
export type { Env } from './env-refs';
export { supportedProviders, isSupportedProvider, parseModelRef, type Provider } from './providers';
export { providerEnvDefaults } from './provider-env-defaults';
export {
  routingStrategies,
  liteLlmRetryPolicyKeys,
  type RoutingStrategy,
  type LiteLlmRetryPolicyKey,
} from './router-options';
export { defaultTenantId } from './normalize-switchyard';
export { jobsAckWaitMs, longestCallMs, topologyOf, type TopologyOfConfig } from './jobs-ack-wait';
export { serviceNatsOptions, type ServiceNatsOptions } from './nats-login';
export {
  awsSharedFilePaths,
  readAwsSharedFiles,
  type AwsProfileSettings,
  type AwsSharedFilePaths,
  type AwsSharedFiles,
} from './aws-shared-files';
