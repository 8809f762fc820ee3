import { createOpenAiCompatibleAdapter } from './openai.adapter';
import type { OpenAiCompatibleProvider } from './openai-compatible.types';
import { azureProvider } from './providers/azure.provider';
import { deepSeekProvider } from './providers/deepseek.provider';
import { fireworksAiProvider } from './providers/fireworks-ai.provider';
import { groqProvider } from './providers/groq.provider';
import { hostedVllmProvider } from './providers/hosted-vllm.provider';
import { lmStudioProvider } from './providers/lm-studio.provider';
import { mistralProvider } from './providers/mistral.provider';
import { ollamaChatProvider, ollamaProvider } from './providers/ollama.provider';
import { openAiProvider } from './providers/openai.provider';
import { openRouterProvider } from './providers/openrouter.provider';
import { perplexityProvider } from './providers/perplexity.provider';
import { togetherAiProvider } from './providers/together-ai.provider';
import { xAiProvider } from './providers/xai.provider';

/** Every OpenAI-compatible provider Switchyard knows, one configuration entry each. */
export const openAiCompatibleProviders: readonly OpenAiCompatibleProvider[] = [
  openAiProvider,
  azureProvider,
  groqProvider,
  mistralProvider,
  deepSeekProvider,
  togetherAiProvider,
  fireworksAiProvider,
  openRouterProvider,
  xAiProvider,
  perplexityProvider,
  hostedVllmProvider,
  ollamaProvider,
  ollamaChatProvider,
  lmStudioProvider,
];

/** The adapters of the OpenAI family, one per provider. */
export const openAiCompatibleAdapters = openAiCompatibleProviders.map(
  createOpenAiCompatibleAdapter,
);

export { createOpenAiCompatibleAdapter } from './openai.adapter';
export type {
  AuthScheme,
  OpenAiCompatibleProvider,
  OpenAiParam,
  OpenAiParamValue,
  ParamRule,
  ParamRules,
} from './openai-compatible.types';
export { openAiParamNames } from './openai-compatible.types';
export { classifyOpenAiError, readOpenAiError, type OpenAiErrorInfo } from './openai.errors';
