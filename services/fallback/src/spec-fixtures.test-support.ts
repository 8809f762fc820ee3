import { parseConfig, type SwitchyardConfig } from '@switchyard/config';
import {
  completionJobSchema,
  type CompletionJob,
  type CompletionJobInput,
  type DeploymentAttempt,
  type ErrorType,
  type RouteHop,
} from '@switchyard/contracts';

const providerModels = {
  openai: 'openai/gpt-4o-mini',
  anthropic: 'anthropic/claude-3-5-haiku-20241022',
  gemini: 'gemini/gemini-2.0-flash',
} as const;

/** The models of the fallback specs and the provider each is served by. */
export const specModels = {
  a: 'openai',
  b: 'anthropic',
  c: 'openai',
  d: 'gemini',
  big: 'anthropic',
  safe: 'gemini',
  e: 'gemini',
} as const;

/**
 * A config with fallbacks a → [b, c], context window a → [big], content policy a → [safe],
 * default fallbacks [d], built through the real config loader. `extra` lines are appended
 * (a `switchyard:` section, for example).
 */
export function specConfig(
  options: { maxFallbacks?: number; apiBase?: string; extra?: string[] } = {},
): SwitchyardConfig {
  const yaml = [
    'model_list:',
    ...Object.entries(specModels).flatMap(([name, provider]) => [
      `  - model_name: ${name}`,
      '    litellm_params:',
      `      model: ${providerModels[provider]}`,
      '      api_key: spec-key',
      ...(options.apiBase === undefined ? [] : [`      api_base: ${options.apiBase}`]),
    ]),
    'router_settings:',
    '  fallbacks: [{a: [b, c]}]',
    '  context_window_fallbacks: [{a: [big]}]',
    '  content_policy_fallbacks: [{a: [safe]}]',
    '  default_fallbacks: [d]',
    ...(options.maxFallbacks === undefined ? [] : [`  max_fallbacks: ${options.maxFallbacks}`]),
    ...(options.extra ?? []),
  ].join('\n');
  return parseConfig(yaml, { env: {} }).config;
}

/** A failed call of the model's deployment. */
export function attempt(model: keyof typeof specModels, type: ErrorType): DeploymentAttempt {
  return {
    deployment: `${model}/0`,
    provider: specModels[model],
    type,
    code: `${type}_code`,
    message: `${model} failed with ${type}`,
  };
}

/** A hop of the route: the model and its failed calls. */
export function hop(model: keyof typeof specModels, ...types: ErrorType[]): RouteHop {
  return { model, deployments: types.map((type) => attempt(model, type)) };
}

let counter = 0;

/** A decoded job for specs; a fresh id per call. */
export function specJob(overrides: Partial<CompletionJobInput> = {}): CompletionJob {
  counter += 1;
  return completionJobSchema.parse({
    v: 1,
    id: `fb-job-${counter}`,
    tenant: 'default',
    model: 'a',
    request: { messages: [{ role: 'user', content: 'hi' }] },
    submitted_at: Date.now(),
    ...overrides,
  });
}
