export type {
  AdapterContext,
  ProviderAdapter,
  ProviderChunk,
  ProviderCompletion,
  ProviderEmbeddings,
  ProviderHttpRequest,
  ResponseHeaders,
  SseEvent,
  StreamDecoder,
  StreamSummary,
} from './adapter';
export { ProviderError, type ProviderErrorDetails } from './provider-error';
export { completeChat } from './complete-chat';
export type { ChatCallOptions } from './provider-call';
export { createEmbeddings, supportsEmbeddings } from './create-embeddings';
export { EntraTokens, azureOpenAiScope } from './openai/providers/azure-entra';
export { streamChat } from './stream-chat';
export { adapterFor, adapterProviders } from './registry';
export {
  closeAll,
  defaultProviderHttp,
  ProviderHttp,
  type ExchangeOptions,
} from './http/provider-http';
export type { PoolSettings } from './http/pool-registry';
export { retryAfterMs, parseDurationMs } from './retry-after';
export { toErrorCode } from './error-code';
export { SseParser } from './sse/sse-parser';
export {
  createOpenAiCompatibleAdapter,
  openAiCompatibleAdapters,
  openAiCompatibleProviders,
  type OpenAiCompatibleProvider,
} from './openai';
export { anthropicAdapter } from './anthropic';
export { geminiAdapter } from './gemini';
export { cohereAdapter } from './cohere';
export { vertexAdapter, GoogleTokens, googleCloudScope } from './vertex';
export { AwsProfileCredentials, type ResolvedAwsCredentials } from './bedrock';
