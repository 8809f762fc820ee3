import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { notSupported, renamed } from '../param-rules';

const noField = 'Mistral rejects fields it does not define (422 extra_forbidden)';

/**
 * Mistral La Plateforme. Its API takes `random_seed` for `seed` and `max_tokens` for
 * `max_completion_tokens`, rejects unknown fields, drops `name` on messages, and puts usage in
 * a stream's last chunk unasked.
 */
export const mistralProvider: OpenAiCompatibleProvider = {
  name: 'mistral',
  defaultApiBase: 'https://api.mistral.ai/v1',
  normalizeApiBase: (apiBase) => (apiBase.endsWith('/v1') ? apiBase : `${apiBase}/v1`),
  auth: 'bearer',
  apiKeyRequired: true,
  params: {
    seed: renamed('random_seed'),
    max_completion_tokens: renamed('max_tokens'),
    logit_bias: notSupported(noField),
    logprobs: notSupported(noField),
    top_logprobs: notSupported(noField),
    user: notSupported(noField),
    metadata: notSupported(noField),
    reasoning_effort: notSupported(noField),
  },
  extraBodyFields: ['safe_prompt', 'random_seed', 'prediction', 'prompt_mode'],
  messages: { developerRole: false, names: false },
  streamUsage: 'always',
  streamEnd: 'done',
  embeddings: { dimensionsField: 'output_dimension' },
  references: [
    'https://docs.mistral.ai/api/#tag/chat/operation/chat_completion_v1_chat_completions_post',
  ],
};
