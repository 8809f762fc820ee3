import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { responseFormatToWire } from '../openai.messages';
import { renamed, requiredToolChoiceAsAny } from '../param-rules';

/**
 * Fireworks AI. Models are `accounts/<account>/models/<model>` (a bare name means the
 * `fireworks` account); `tool_choice: "required"` is spelled `any`; a JSON schema goes in a
 * `json_object` response format's `schema`.
 */
export const fireworksAiProvider: OpenAiCompatibleProvider = {
  name: 'fireworks_ai',
  defaultApiBase: 'https://api.fireworks.ai/inference/v1',
  auth: 'bearer',
  apiKeyRequired: true,
  modelName: (model) =>
    model.startsWith('accounts/') ? model : `accounts/fireworks/models/${model}`,
  params: {
    tool_choice: requiredToolChoiceAsAny,
    max_completion_tokens: renamed('max_tokens'),
    response_format: {
      convert: (format) =>
        format.type === 'json_schema'
          ? { type: 'json_object', schema: format.json_schema.schema ?? {} }
          : responseFormatToWire(format),
    },
  },
  extraBodyFields: [
    'top_k',
    'min_p',
    'repetition_penalty',
    'prompt_truncate_len',
    'context_length_exceeded_behavior',
  ],
  messages: { developerRole: false, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  embeddings: {},
  references: ['https://docs.fireworks.ai/api-reference/post-chatcompletions'],
};
