import type { Provider } from './providers';

/** Environment variables a deployment falls back to, in order, when a setting is not in the file. */
export interface ProviderEnvDefaults {
  readonly apiKey: readonly string[];
  readonly apiBase: readonly string[];
  readonly apiVersion: readonly string[];
}

const keyOnly = (...apiKey: string[]): ProviderEnvDefaults => ({
  apiKey,
  apiBase: [],
  apiVersion: [],
});

/**
 * The environment variables LiteLLM reads when `api_key` / `api_base` / `api_version` are left
 * out of a deployment, so that a LiteLLM config that relies on them keeps working. The loader is
 * the only code that reads them (from the `env` it is given); the first non-empty one wins.
 */
export const providerEnvDefaults = {
  openai: keyOnly('OPENAI_API_KEY'),
  azure: {
    apiKey: ['AZURE_API_KEY'],
    apiBase: ['AZURE_API_BASE'],
    apiVersion: ['AZURE_API_VERSION'],
  },
  anthropic: keyOnly('ANTHROPIC_API_KEY'),
  gemini: keyOnly('GEMINI_API_KEY'),
  groq: keyOnly('GROQ_API_KEY'),
  mistral: keyOnly('MISTRAL_API_KEY'),
  deepseek: keyOnly('DEEPSEEK_API_KEY'),
  together_ai: keyOnly('TOGETHER_API_KEY', 'TOGETHER_AI_API_KEY', 'TOGETHERAI_API_KEY'),
  fireworks_ai: keyOnly('FIREWORKS_API_KEY', 'FIREWORKS_AI_API_KEY', 'FIREWORKSAI_API_KEY'),
  openrouter: keyOnly('OPENROUTER_API_KEY'),
  xai: keyOnly('XAI_API_KEY'),
  perplexity: keyOnly('PERPLEXITYAI_API_KEY', 'PERPLEXITY_API_KEY'),
  hosted_vllm: {
    apiKey: ['HOSTED_VLLM_API_KEY'],
    apiBase: ['HOSTED_VLLM_API_BASE'],
    apiVersion: [],
  },
  ollama: { apiKey: [], apiBase: ['OLLAMA_API_BASE'], apiVersion: [] },
  ollama_chat: { apiKey: [], apiBase: ['OLLAMA_API_BASE'], apiVersion: [] },
  lm_studio: { apiKey: ['LM_STUDIO_API_KEY'], apiBase: ['LM_STUDIO_API_BASE'], apiVersion: [] },
  cohere: keyOnly('COHERE_API_KEY', 'CO_API_KEY'),
  cohere_chat: keyOnly('COHERE_API_KEY', 'CO_API_KEY'),
  // A Bedrock API key (sent as a bearer token); AWS credentials are read by normalizeDeployments.
  bedrock: {
    apiKey: ['AWS_BEARER_TOKEN_BEDROCK'],
    apiBase: ['AWS_BEDROCK_RUNTIME_ENDPOINT'],
    apiVersion: [],
  },
  // Google credentials, project and location are read by normalizeDeployments (normalize-vertex.ts).
  vertex_ai: { apiKey: [], apiBase: [], apiVersion: [] },
} as const satisfies Record<Provider, ProviderEnvDefaults>;

/** The first of `names` that is set to a non-empty value in `env`, with that value. */
export function firstSetVariable(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): { readonly name: string; readonly value: string } | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}
