import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { toolsToWire } from '../openai.messages';
import { renamed } from '../param-rules';

/**
 * xAI (Grok). Tools go without `strict`, `name` on messages is left out, and
 * `max_completion_tokens` is sent as `max_tokens`; reasoning tokens that xAI counts outside
 * `completion_tokens` are folded back in by the usage normaliser.
 */
export const xAiProvider: OpenAiCompatibleProvider = {
  name: 'xai',
  defaultApiBase: 'https://api.x.ai/v1',
  auth: 'bearer',
  apiKeyRequired: true,
  params: {
    tools: { convert: (tools) => toolsToWire(tools, false) },
    max_completion_tokens: renamed('max_tokens'),
  },
  extraBodyFields: [],
  messages: { developerRole: false, names: false },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  references: ['https://docs.x.ai/docs/api-reference#chat-completions'],
};
