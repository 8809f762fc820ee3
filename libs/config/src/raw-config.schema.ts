import { chatCompletionRequestSchema, errorTypeNames } from '@switchyard/contracts';
import { z } from 'zod';
import { parseByteSize } from './byte-sizes';
import { isNatsServer, splitServerList } from './connection-urls';
import { parseBudgetDuration } from './durations';
import type { Env } from './env-refs';
import {
  envPort,
  envText,
  envUrl,
  expected,
  flag,
  modelName,
  modelNames,
  nonNegativeInt,
  nonNegativeNumber,
  nonNegativeSeconds,
  positiveInt,
  positiveNumber,
  positiveSeconds,
  section,
  text,
} from './raw-scalars.schema';
import { cacheModes } from './config.types';
import { liteLlmRetryPolicyKeys, routingStrategies } from './router-options';

/** The top-level keys of config.yaml, besides `model_list`. */
export const sectionNames = [
  'router_settings',
  'litellm_settings',
  'general_settings',
  'switchyard',
] as const;

/** A top-level section of config.yaml other than `model_list`. */
export type SectionName = (typeof sectionNames)[number];

const fallbackSpecMessage =
  'expected a list of {model: [fallback, ...]} maps, or a map of model → [fallback, ...]';
const fallbackMap = z.record(z.string(), modelNames, expected(fallbackSpecMessage));

/** LiteLLM's `[{"gpt-4o": ["claude"]}]` form, or a plain `{gpt-4o: [claude]}` map. */
const fallbackSpec = z.union([z.array(fallbackMap), fallbackMap], expected(fallbackSpecMessage));

const modelAliasMessage =
  'expected a map of alias → model name, or alias → {model: name, hidden: true}';

const retryPolicyKeys = [...Object.keys(liteLlmRetryPolicyKeys), ...errorTypeNames];

const tenantId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, expected('tenant ids are 1-64 letters, digits, "_" or "-"'));

const budgetDurationMessage = 'expected a duration like "30s", "10m", "1h", "1d", "2w" or "1mo"';
const budgetDuration = z.string(expected(budgetDurationMessage)).transform((value, ctx) => {
  const ms = parseBudgetDuration(value);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: budgetDurationMessage });
    return z.NEVER;
  }
  return ms;
});

const byteSizeMessage = 'expected a size like 1073741824, "512MiB" or "4GiB", or -1 for no limit';
const byteSizeOrUnlimited = z
  .union([z.number(), z.string()], expected(byteSizeMessage))
  .transform((value, ctx) => {
    const bytes =
      typeof value === 'string'
        ? parseByteSize(value)
        : value === -1 || (Number.isSafeInteger(value) && value > 0)
          ? value
          : undefined;
    if (bytes === undefined) {
      ctx.addIssue({ code: 'custom', message: byteSizeMessage });
      return z.NEVER;
    }
    return bytes;
  });

const requestFields = chatCompletionRequestSchema.shape;

/**
 * The OpenAI call parameters a deployment's `litellm_params` may set as defaults for every call
 * to it (a request's own value wins), checked as the request would be.
 */
const callDefaultsShape = {
  temperature: requestFields.temperature.optional(),
  top_p: requestFields.top_p.optional(),
  max_tokens: requestFields.max_tokens.optional(),
  max_completion_tokens: requestFields.max_completion_tokens.optional(),
  stop: requestFields.stop.optional(),
  seed: requestFields.seed.optional(),
  presence_penalty: requestFields.presence_penalty.optional(),
  frequency_penalty: requestFields.frequency_penalty.optional(),
  reasoning_effort: requestFields.reasoning_effort.optional(),
  response_format: requestFields.response_format.optional(),
  parallel_tool_calls: requestFields.parallel_tool_calls.optional(),
};

/** The names of the call parameters a deployment may set defaults for. */
export const callDefaultNames = Object.keys(
  callDefaultsShape,
) as (keyof typeof callDefaultsShape)[];

/**
 * The zod schemas of config.yaml as written (snake_case, seconds), one per part the loader
 * validates separately so that one bad part does not hide the problems of another. `env`
 * resolves `os.environ/VAR` in free-form string settings.
 */
export function createRawSchemas(env: Env) {
  const str = envText(env);
  const httpUrl = envUrl(env, ['http:', 'https:'], 'expected an http(s) URL');

  const modelMessage = 'expected "provider/model", e.g. "openai/gpt-4o"';
  const litellmParams = section({
    model: envText(env, modelMessage).pipe(
      z.string().refine((value) => !/\s/.test(value), expected(modelMessage)),
    ),
    api_key: str.optional(),
    api_base: httpUrl.optional(),
    api_version: str.optional(),
    azure_ad_token: str.optional(),
    tenant_id: str.optional(),
    client_id: str.optional(),
    client_secret: str.optional(),
    azure_authority_host: httpUrl.optional(),
    aws_access_key_id: str.optional(),
    aws_secret_access_key: str.optional(),
    aws_session_token: str.optional(),
    aws_region_name: str.optional(),
    aws_profile_name: str.optional(),
    aws_bedrock_runtime_endpoint: httpUrl.optional(),
    vertex_project: str.optional(),
    vertex_location: str.optional(),
    vertex_credentials: str.optional(),
    rpm: positiveInt.optional(),
    tpm: positiveInt.optional(),
    timeout: positiveSeconds.optional(),
    max_retries: nonNegativeInt.optional(),
    weight: positiveNumber.optional(),
    order: positiveInt.optional(),
    input_cost_per_token: nonNegativeNumber.optional(),
    output_cost_per_token: nonNegativeNumber.optional(),
    ...callDefaultsShape,
  });

  const modelInfo = section({
    id: z
      .union([text, z.number().int()], expected('expected a non-empty id'))
      .transform((id) => String(id))
      .optional(),
    max_tokens: positiveInt.optional(),
    max_input_tokens: positiveInt.optional(),
    max_output_tokens: positiveInt.optional(),
    input_cost_per_token: nonNegativeNumber.optional(),
    output_cost_per_token: nonNegativeNumber.optional(),
    mode: text.optional(),
    base_model: text.optional(),
    rpm: positiveInt.optional(),
    tpm: positiveInt.optional(),
  }).optional();

  const modelEntry = section({
    model_name: modelName,
    litellm_params: litellmParams,
    model_info: modelInfo,
    rpm: positiveInt.optional(),
    tpm: positiveInt.optional(),
    max_retries: nonNegativeInt.optional(),
    fallback_models: modelNames.optional(),
  });

  const retryPolicy = section(
    Object.fromEntries(retryPolicyKeys.map((key) => [key, nonNegativeInt.optional()])),
  );

  const routerSettings = section({
    num_retries: nonNegativeInt.optional(),
    max_retries: nonNegativeInt.optional(),
    retry_policy: retryPolicy.optional(),
    allowed_fails: nonNegativeInt.optional(),
    cooldown_time: nonNegativeSeconds.optional(),
    fallbacks: fallbackSpec.optional(),
    context_window_fallbacks: fallbackSpec.optional(),
    content_policy_fallbacks: fallbackSpec.optional(),
    default_fallbacks: modelNames.optional(),
    fallback_models: modelNames.optional(),
    max_fallbacks: nonNegativeInt.optional(),
    timeout: positiveSeconds.optional(),
    routing_strategy: z
      .enum(routingStrategies, expected(`expected one of ${routingStrategies.join(', ')}`))
      .optional(),
    enable_pre_call_checks: flag.optional(),
    model_group_alias: z
      .record(
        z.string(),
        z.union(
          [modelName, section({ model: modelName, hidden: flag.optional() })],
          expected(modelAliasMessage),
        ),
        expected(modelAliasMessage),
      )
      .optional(),
  });

  const cacheParams = section({
    type: z
      .enum(['redis'], expected('unsupported cache type; Switchyard supports only "redis"'))
      .optional(),
    host: str.optional(),
    port: envPort(env).optional(),
    password: str.optional(),
    namespace: str.optional(),
    ttl: positiveSeconds.optional(),
    mode: z.enum(cacheModes, expected(`expected one of ${cacheModes.join(', ')}`)).optional(),
  });

  const litellmSettings = section({
    cache: flag.optional(),
    cache_params: cacheParams.optional(),
    drop_params: flag.optional(),
    num_retries: nonNegativeInt.optional(),
    fallbacks: fallbackSpec.optional(),
    context_window_fallbacks: fallbackSpec.optional(),
    content_policy_fallbacks: fallbackSpec.optional(),
    request_timeout: positiveSeconds.optional(),
  });

  const generalSettings = section({ master_key: str.optional() });

  const natsServersMessage =
    'expected NATS servers like nats://host:4222 (a list, or a comma-separated string)';
  const natsServers = z
    .union([str, z.array(str, expected(natsServersMessage))], expected(natsServersMessage))
    .transform((value, ctx) => {
      const servers = splitServerList(Array.isArray(value) ? value : [value]);
      if (servers.length === 0 || !servers.every(isNatsServer)) {
        ctx.addIssue({ code: 'custom', message: natsServersMessage });
        return z.NEVER;
      }
      return servers;
    });

  const replicasMessage = 'expected a whole number from 1 to 5';
  const nats = section({
    servers: natsServers.optional(),
    user: str.optional(),
    password: str.optional(),
    replicas: z
      .number(expected(replicasMessage))
      .int(expected(replicasMessage))
      .min(1, expected(replicasMessage))
      .max(5, expected(replicasMessage))
      .optional(),
    storage: z.enum(['file', 'memory'], expected('expected "file" or "memory"')).optional(),
    subject_root: z
      .string(expected('expected a subject prefix like "llm"'))
      .regex(
        /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
        expected('expected a subject prefix like "llm"'),
      )
      .optional(),
    stream_prefix: z
      .string(expected('expected letters, digits, "_" or "-" (may be empty)'))
      .regex(/^[A-Za-z0-9_-]*$/, expected('expected letters, digits, "_" or "-" (may be empty)'))
      .optional(),
    jobs_max_bytes: byteSizeOrUnlimited.optional(),
    dlq_max_bytes: byteSizeOrUnlimited.optional(),
    usage_max_bytes: byteSizeOrUnlimited.optional(),
    results_max_bytes: byteSizeOrUnlimited.optional(),
    answers_max_bytes: byteSizeOrUnlimited.optional(),
    cancels_max_bytes: byteSizeOrUnlimited.optional(),
    duplicate_window_seconds: positiveSeconds.optional(),
    answers_max_age_seconds: positiveSeconds.optional(),
    jobs_max_messages: z
      .int(expected('expected a whole number of messages above 0, or -1'))
      .refine(
        (n) => n === -1 || n > 0,
        expected('expected a whole number of messages above 0, or -1'),
      )
      .optional(),
  });

  const redis = section({
    url: envUrl(env, ['redis:', 'rediss:'], 'expected a redis:// or rediss:// URL').optional(),
    key_prefix: z.string(expected('expected a string')).optional(),
    command_timeout: positiveSeconds.optional(),
  });

  const worker = section({
    concurrency: positiveInt.optional(),
    shutdown_grace_seconds: nonNegativeSeconds.optional(),
    ack_wait_seconds: positiveSeconds.optional(),
    max_in_flight: positiveInt.optional(),
    max_in_flight_by_model: z
      .record(z.string(), positiveInt, expected('expected a mapping of model name to a number'))
      .optional(),
  });

  const gateway = section({
    max_in_flight: positiveInt.optional(),
    backlog: positiveInt.optional(),
  });

  const batches = section({
    max_in_flight: positiveInt.optional(),
    max_file_bytes: positiveInt.optional(),
    max_requests_per_file: positiveInt.optional(),
    lease_seconds: positiveSeconds.optional(),
  });

  const tenant = z.preprocess(
    (value) => value ?? {},
    section({
      max_budget: nonNegativeNumber.optional(),
      budget_duration: budgetDuration.optional(),
    }),
  );

  const switchyard = section({
    nats: nats.optional(),
    redis: redis.optional(),
    worker: worker.optional(),
    gateway: gateway.optional(),
    batches: batches.optional(),
    tenants: z
      .record(tenantId, tenant, expected('expected a map of tenant id → settings'))
      .optional(),
  });

  return {
    modelEntry,
    sections: {
      router_settings: routerSettings,
      litellm_settings: litellmSettings,
      general_settings: generalSettings,
      switchyard,
    },
  } as const;
}

type RawSchemas = ReturnType<typeof createRawSchemas>;

/** One `model_list` entry as written, validated. */
export type RawModelEntry = z.output<RawSchemas['modelEntry']>;
/** `router_settings` as written, validated. */
export type RawRouterSettings = z.output<RawSchemas['sections']['router_settings']>;
/** `litellm_settings` as written, validated. */
export type RawLitellmSettings = z.output<RawSchemas['sections']['litellm_settings']>;
/** `general_settings` as written, validated. */
export type RawGeneralSettings = z.output<RawSchemas['sections']['general_settings']>;
/** The `switchyard:` section as written, validated. */
export type RawSwitchyardSettings = z.output<RawSchemas['sections']['switchyard']>;
/** A fallbacks setting in either accepted form. */
export type RawFallbackSpec = z.output<typeof fallbackSpec>;
