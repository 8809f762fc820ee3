import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { notSupported, singleChoiceOnly } from '../param-rules';

const refused = 'Groq answers 400 when it is supplied';

/**
 * Groq. Its compatibility page lists `logprobs`, `logit_bias`, `top_logprobs` and
 * `messages[].name` as unsupported (400) and `n` as 1 only.
 */
export const groqProvider: OpenAiCompatibleProvider = {
  name: 'groq',
  defaultApiBase: 'https://api.groq.com/openai/v1',
  auth: 'bearer',
  apiKeyRequired: true,
  params: {
    logprobs: notSupported(refused),
    logit_bias: notSupported(refused),
    top_logprobs: notSupported(refused),
    n: singleChoiceOnly,
  },
  extraBodyFields: ['reasoning_format', 'include_reasoning', 'service_tier'],
  messages: { developerRole: false, names: false },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  references: ['https://console.groq.com/docs/openai'],
};
