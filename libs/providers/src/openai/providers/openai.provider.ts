import type { OpenAiCompatibleProvider } from '../openai-compatible.types';

/**
 * Request fields of OpenAI's chat-completions API outside the parameters Switchyard's request
 * schema names, passed through as written.
 */
export const openAiExtraBodyFields = [
  'store',
  'service_tier',
  'prediction',
  'modalities',
  'audio',
  'verbosity',
  'prompt_cache_key',
  'safety_identifier',
  'web_search_options',
  'functions',
  'function_call',
] as const;

/**
 * OpenAI itself, and any OpenAI-compatible server configured as `openai/<model>` with its own
 * `api_base` (then the API key is optional).
 */
export const openAiProvider: OpenAiCompatibleProvider = {
  name: 'openai',
  defaultApiBase: 'https://api.openai.com/v1',
  auth: 'bearer',
  apiKeyRequired: true,
  params: {},
  extraBodyFields: openAiExtraBodyFields,
  messages: { developerRole: true, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  embeddings: {},
  references: [
    'https://platform.openai.com/docs/api-reference/chat/create',
    'https://platform.openai.com/docs/api-reference/embeddings/create',
  ],
};
