import type { Deployment, Provider } from '@switchyard/config';
import type { chatCompletionRequestSchema } from '@switchyard/contracts';
import { type ChatCompletionRequest } from '@switchyard/contracts';

/**
 * The OpenAI request parameters a provider may take differently, besides `model`,
 * `messages`, `stream` and `stream_options` (which the adapter always sets itself).
 */
export const openAiParamNames = [
  'tools',
  'tool_choice',
  'parallel_tool_calls',
  'response_format',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'stop',
  'seed',
  'n',
  'user',
  'metadata',
  'presence_penalty',
  'frequency_penalty',
  'logit_bias',
  'logprobs',
  'top_logprobs',
  'reasoning_effort',
] as const satisfies readonly (keyof typeof chatCompletionRequestSchema.shape)[];

export type OpenAiParam = (typeof openAiParamNames)[number];

/** The value of an OpenAI parameter when it is set (null means "not set" and is never sent). */
export type OpenAiParamValue<K extends OpenAiParam> = NonNullable<ChatCompletionRequest[K]>;

/** How a provider takes one OpenAI parameter. Without a rule, it takes it as OpenAI does. */
export interface ParamRule<V> {
  /**
   * Why the provider cannot honour `value`, or undefined when it can. A refused parameter is
   * a `bad_request` (with `param`), or is left out when `drop_params` is on.
   */
  readonly reject?: (value: V) => string | undefined;
  /** The provider's name for the parameter (Mistral's `random_seed` for `seed`). */
  readonly sendAs?: string;
  /** The value in the provider's form, when it differs from OpenAI's. */
  readonly convert?: (value: V) => unknown;
}

/** A provider's rules, by OpenAI parameter. */
export type ParamRules = { readonly [K in OpenAiParam]?: ParamRule<OpenAiParamValue<K>> };

/** How the API key travels: `Authorization: Bearer <key>`, or Azure's `api-key: <key>`. */
export type AuthScheme = 'bearer' | 'api-key';

/**
 * One OpenAI-compatible provider, as configuration over the shared OpenAI adapter. Everything
 * that differs between OpenAI-compatible servers is here; the code is the same for all.
 */
export interface OpenAiCompatibleProvider {
  /** The provider as config spells it (`litellm_params.model: groq/...`). */
  readonly name: Provider;
  /**
   * The base URL (what precedes `/chat/completions`) when a deployment sets no `api_base`.
   * Absent when every deployment must say where its server is.
   */
  readonly defaultApiBase?: string;
  /** Adjusts a configured `api_base` (Ollama's is often given without `/v1`). */
  readonly normalizeApiBase?: (apiBase: string) => string;
  /**
   * The endpoint URL for a base URL; may throw a ProviderError for a deployment that lacks
   * what the URL needs.
   * @defaultValue `${apiBase}/chat/completions`
   */
  readonly chatUrl?: (apiBase: string, deployment: Deployment) => string;
  readonly auth: AuthScheme;
  /**
   * Whether a call to the provider's own endpoint without an API key is refused before it is
   * sent (`auth` / `missing_api_key`). A deployment with its own `api_base` may go keyless.
   */
  readonly apiKeyRequired: boolean;
  /** The model name the provider expects for a deployment's `providerModel`. */
  readonly modelName?: (providerModel: string) => string;
  /** The OpenAI parameters this provider does not take as OpenAI does. */
  readonly params: ParamRules;
  /**
   * Request fields outside the OpenAI set that the provider documents (`top_k`, `safe_prompt`),
   * passed through as written. Any other unknown field is refused like an unsupported
   * parameter.
   */
  readonly extraBodyFields: readonly string[];
  /**
   * `developerRole`: whether `developer` messages are understood (else they are sent as
   * `system`). `names`: whether `name` on messages is accepted (else it is left out).
   */
  readonly messages: { readonly developerRole: boolean; readonly names: boolean };
  /**
   * How a stream reports usage: `stream_options` (the adapter sends
   * `stream_options: {include_usage: true}`) or `always` (the provider includes it unasked and
   * may reject `stream_options`).
   */
  readonly streamUsage: 'stream_options' | 'always';
  /**
   * What shows a stream is complete: `done` (`data: [DONE]`), or `done_or_finish` for servers
   * that may close the stream without it, where a finish reason on every choice also counts.
   */
  readonly streamEnd: 'done' | 'done_or_finish';
  /**
   * How the provider serves OpenAI's embeddings API; absent when it has none. `url`: the
   * endpoint for a base URL (@defaultValue `${apiBase}/embeddings`); `dimensionsField`: its
   * name for `dimensions` (@defaultValue `dimensions`).
   */
  readonly embeddings?: {
    readonly url?: (apiBase: string, deployment: Deployment) => string;
    readonly dimensionsField?: string;
  };
  /** Where the facts in this entry come from. */
  readonly references: readonly string[];
}
