import type { OpenAiCompatibleProvider } from '../openai-compatible.types';

/** Together AI, with its documented sampling extras. */
export const togetherAiProvider: OpenAiCompatibleProvider = {
  name: 'together_ai',
  defaultApiBase: 'https://api.together.xyz/v1',
  auth: 'bearer',
  apiKeyRequired: true,
  params: {},
  extraBodyFields: ['top_k', 'repetition_penalty', 'min_p', 'safety_model', 'echo'],
  messages: { developerRole: false, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  embeddings: {},
  references: ['https://docs.together.ai/reference/chat-completions-1'],
};
