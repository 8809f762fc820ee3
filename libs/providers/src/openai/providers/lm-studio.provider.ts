import type { OpenAiCompatibleProvider } from '../openai-compatible.types';

/** LM Studio's local OpenAI-compatible server. */
export const lmStudioProvider: OpenAiCompatibleProvider = {
  name: 'lm_studio',
  defaultApiBase: 'http://localhost:1234/v1',
  auth: 'bearer',
  apiKeyRequired: false,
  params: {},
  extraBodyFields: ['top_k', 'repeat_penalty', 'ttl'],
  messages: { developerRole: false, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  embeddings: {},
  references: ['https://lmstudio.ai/docs/app/api/endpoints/openai'],
};
