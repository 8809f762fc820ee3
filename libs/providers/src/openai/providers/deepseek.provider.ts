import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { noJsonSchemaFormat } from '../param-rules';

/**
 * DeepSeek. `response_format` takes `text` and `json_object` only; `thinking` switches its
 * reasoning mode.
 */
export const deepSeekProvider: OpenAiCompatibleProvider = {
  name: 'deepseek',
  defaultApiBase: 'https://api.deepseek.com',
  auth: 'bearer',
  apiKeyRequired: true,
  params: { response_format: noJsonSchemaFormat },
  extraBodyFields: ['thinking'],
  messages: { developerRole: false, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  references: ['https://api-docs.deepseek.com/api/create-chat-completion'],
};
