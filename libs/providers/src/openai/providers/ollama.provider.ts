import type { OpenAiCompatibleProvider } from '../openai-compatible.types';
import { notSupported, singleChoiceOnly } from '../param-rules';

function withV1(apiBase: string): string {
  return apiBase.endsWith('/v1') ? apiBase : `${apiBase}/v1`;
}

/**
 * A local Ollama through its OpenAI-compatible endpoint (`/v1`; a configured `api_base` such
 * as `http://localhost:11434` gets `/v1` added). Its compatibility page leaves out
 * `logit_bias` and `n`.
 */
export const ollamaProvider: OpenAiCompatibleProvider = {
  name: 'ollama',
  defaultApiBase: 'http://localhost:11434/v1',
  normalizeApiBase: withV1,
  auth: 'bearer',
  apiKeyRequired: false,
  params: {
    logit_bias: notSupported('Ollama ignores it'),
    n: singleChoiceOnly,
  },
  extraBodyFields: [],
  messages: { developerRole: false, names: true },
  streamUsage: 'stream_options',
  streamEnd: 'done',
  embeddings: {},
  references: ['https://docs.ollama.com/api/openai-compatibility'],
};

/** `ollama_chat/<model>`: the same Ollama endpoint (LiteLLM's name for its chat API). */
export const ollamaChatProvider: OpenAiCompatibleProvider = {
  ...ollamaProvider,
  name: 'ollama_chat',
};
