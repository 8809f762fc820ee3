import type { OpenAiCompatibleProvider } from '../openai-compatible.types';

/**
 * A vLLM server's OpenAI-compatible endpoint (`api_base` required, key optional), with vLLM's
 * documented extra sampling and structured-output parameters.
 */
export const hostedVllmProvider: OpenAiCompatibleProvider = {
  name: 'hosted_vllm',
  auth: 'bearer',
  apiKeyRequired: false,
  params: {},
  extraBodyFields: [
    'top_k',
    'min_p',
    'repetition_penalty',
    'length_penalty',
    'min_tokens',
    'stop_token_ids',
    'ignore_eos',
    'skip_special_tokens',
    'include_stop_str_in_output',
    'truncate_prompt_tokens',
    'guided_json',
    'guided_regex',
    'guided_choice',
    'guided_grammar',
    'structured_outputs',
    'chat_template_kwargs',
    'priority',
  ],
  messages: { developerRole: true, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  embeddings: {},
  references: ['https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html'],
};
