/**
 * The providers Switchyard has adapters for, spelled as LiteLLM spells them in
 * `litellm_params.model: <provider>/<model>`.
 */
export const supportedProviders = [
  'openai',
  'azure',
  'anthropic',
  'gemini',
  'groq',
  'mistral',
  'deepseek',
  'together_ai',
  'fireworks_ai',
  'openrouter',
  'xai',
  'perplexity',
  'hosted_vllm',
  'ollama',
  'ollama_chat',
  'lm_studio',
  'cohere',
  'cohere_chat',
  'bedrock',
  'vertex_ai',
] as const;

/** A provider Switchyard can call. */
export type Provider = (typeof supportedProviders)[number];

/** Whether `name` is one of {@link supportedProviders}. */
export function isSupportedProvider(name: string): name is Provider {
  return (supportedProviders as readonly string[]).includes(name);
}

/** Bare model-name prefixes from which the provider is inferred when `model` has no `provider/`. */
const inferredProviders: ReadonlyArray<readonly [RegExp, Provider]> = [
  [/^(gpt-|o1|o3|o4|chatgpt-)/, 'openai'],
  [/^claude-/, 'anthropic'],
  [/^gemini-/, 'gemini'],
];

/** The result of reading `litellm_params.model`. */
export type ModelRef =
  | { readonly ok: true; readonly provider: Provider; readonly providerModel: string }
  | { readonly ok: false; readonly message: string };

/**
 * Splits `litellm_params.model` into provider and provider model on the FIRST `/`
 * (`openrouter/meta-llama/llama-3` → `openrouter` + `meta-llama/llama-3`). A model without a
 * prefix gets its provider inferred from well-known names (gpt-*, o1*, o3*, o4*, chatgpt-* →
 * openai; claude-* → anthropic; gemini-* → gemini).
 */
export function parseModelRef(model: string): ModelRef {
  const slash = model.indexOf('/');
  if (slash === -1) {
    const inferred = inferredProviders.find(([pattern]) => pattern.test(model));
    if (inferred) return { ok: true, provider: inferred[1], providerModel: model };
    return {
      ok: false,
      message: `cannot tell the provider of "${model}"; write it as "provider/model", e.g. "openai/${model}"`,
    };
  }
  const provider = model.slice(0, slash);
  const providerModel = model.slice(slash + 1);
  if (!isSupportedProvider(provider)) {
    return {
      ok: false,
      message: `provider "${provider}" is not supported; supported providers: ${supportedProviders.join(', ')}`,
    };
  }
  if (providerModel.trim() === '') {
    return { ok: false, message: `"${model}" names no model after "${provider}/"` };
  }
  return { ok: true, provider, providerModel };
}
