import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { notSupported, renamed, singleChoiceOnly } from '../param-rules';

const searchModels = 'Perplexity chat completions do not take it';

/**
 * Perplexity (Sonar). Takes the sampling and length parameters and `response_format`, not
 * tools, logprobs, logit bias or seeds; reports usage in every chunk; may close a stream
 * without `[DONE]`, so a finish reason also ends it.
 */
export const perplexityProvider: OpenAiCompatibleProvider = {
  name: 'perplexity',
  defaultApiBase: 'https://api.perplexity.ai',
  auth: 'bearer',
  apiKeyRequired: true,
  params: {
    tools: notSupported(searchModels),
    tool_choice: notSupported(searchModels),
    parallel_tool_calls: notSupported(searchModels),
    logit_bias: notSupported(searchModels),
    logprobs: notSupported(searchModels),
    top_logprobs: notSupported(searchModels),
    seed: notSupported(searchModels),
    stop: notSupported(searchModels),
    user: notSupported(searchModels),
    metadata: notSupported(searchModels),
    n: singleChoiceOnly,
    max_completion_tokens: renamed('max_tokens'),
  },
  extraBodyFields: [
    'search_mode',
    'search_domain_filter',
    'search_recency_filter',
    'search_after_date_filter',
    'search_before_date_filter',
    'return_images',
    'return_related_questions',
    'web_search_options',
    'disable_search',
    'top_k',
  ],
  messages: { developerRole: false, names: true },
  streamUsage: 'always',
  streamEnd: 'done_or_finish',
  references: [
    'https://docs.perplexity.ai/api-reference/chat-completions-post',
    'https://github.com/perplexityai/api-discussion/issues/209',
  ],
};
