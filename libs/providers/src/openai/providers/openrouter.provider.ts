import type { OpenAiCompatibleProvider } from '../openai-compatible.types';

/**
 * OpenRouter: every OpenAI parameter is forwarded to the upstream model; usage is always in a
 * stream's last chunk (`stream_options` has no effect there); routing fields pass through.
 */
export const openRouterProvider: OpenAiCompatibleProvider = {
  name: 'openrouter',
  defaultApiBase: 'https://openrouter.ai/api/v1',
  auth: 'bearer',
  apiKeyRequired: true,
  params: {},
  extraBodyFields: [
    'provider',
    'models',
    'route',
    'transforms',
    'plugins',
    'reasoning',
    'usage',
    'top_k',
    'top_a',
    'min_p',
    'repetition_penalty',
    'prediction',
  ],
  messages: { developerRole: true, names: true },
  streamUsage: 'always',
  streamEnd: 'done',
  references: [
    'https://openrouter.ai/docs/api-reference/parameters',
    'https://openrouter.ai/docs/api-reference/streaming',
  ],
};
