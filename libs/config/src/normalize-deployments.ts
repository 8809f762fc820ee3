import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AwsSharedFiles } from './aws-shared-files';
import type { ConfigProblem } from './config-error';
import type { AzureEntraCredentials, Deployment, DeploymentPricing } from './config.types';
import { secondsToMs } from './durations';
import type { Env } from './env-refs';
import type { IndexedModelEntry, RawConfig } from './parse-raw';
import { bedrockSettingsOf } from './normalize-bedrock';
import { vertexSettingsOf } from './normalize-vertex';
import { firstSetVariable, providerEnvDefaults } from './provider-env-defaults';
import { parseModelRef, type Provider } from './providers';
import { callDefaultNames, type RawModelEntry } from './raw-config.schema';
import { isUrlWith } from './raw-scalars.schema';
import { problemAt, type YamlLocator } from './yaml-locate';
import { formatPath, type YamlPath } from './yaml-path';

/** Retries when nothing in the file sets them (LiteLLM's default). */
export const defaultNumRetries = 2;
/** Provider call timeout in seconds when nothing in the file sets one (LiteLLM's default). */
export const defaultTimeoutSeconds = 600;

/** Providers that have no public endpoint, so a deployment must say where the server is. */
const needsApiBase: ReadonlySet<Provider> = new Set(['azure', 'hosted_vllm']);

/** The model_info modes Switchyard serves (`/v1/chat/completions`, `/v1/embeddings`). */
const servedModes: ReadonlySet<string> = new Set(['chat', 'embedding']);

/** Deployments in file order, and what is wrong with them. */
export interface NormalizedDeployments {
  readonly deployments: readonly Deployment[];
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigProblem[];
}

function pricingOf(
  { index, entry }: IndexedModelEntry,
  locate: YamlLocator,
  problems: ConfigProblem[],
): DeploymentPricing | undefined {
  const params = entry.litellm_params;
  const info = entry.model_info;
  const input = params.input_cost_per_token ?? info?.input_cost_per_token;
  const output = params.output_cost_per_token ?? info?.output_cost_per_token;
  if (input === undefined && output === undefined) return undefined;
  if (input !== undefined && output !== undefined) {
    return { inputPerToken: input, outputPerToken: output };
  }
  const [set, unset] =
    input === undefined
      ? (['output_cost_per_token', 'input_cost_per_token'] as const)
      : (['input_cost_per_token', 'output_cost_per_token'] as const);
  const section = params[set] === undefined ? 'model_info' : 'litellm_params';
  problems.push(
    problemAt(
      locate,
      ['model_list', index, section, set],
      `${set} is set but ${unset} is not; set both, or neither to use the built-in price table`,
    ),
  );
  return undefined;
}

/**
 * Turns valid `model_list` entries into deployments: provider split, ids, environment defaults
 * for keys and endpoints, and the retry and timeout precedence of docs/config.md.
 */
export function normalizeDeployments(
  raw: RawConfig,
  env: Env,
  locate: YamlLocator,
  awsFiles: AwsSharedFiles | undefined,
): NormalizedDeployments {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const router = raw.routerSettings;
  const litellm = raw.litellmSettings;
  const defaultRetries =
    router?.num_retries ?? router?.max_retries ?? litellm?.num_retries ?? defaultNumRetries;
  const defaultTimeout = router?.timeout ?? litellm?.request_timeout ?? defaultTimeoutSeconds;

  const countByName = new Map<string, number>();
  const idOwners = new Map<string, YamlPath>();
  const deployments: Deployment[] = [];

  for (const item of raw.modelEntries) {
    const { index, entry } = item;
    const params = entry.litellm_params;
    const info = entry.model_info;
    const at = (...path: (string | number)[]): YamlPath => ['model_list', index, ...path];

    const ordinal = countByName.get(entry.model_name) ?? 0;
    countByName.set(entry.model_name, ordinal + 1);
    const id = info?.id ?? `${entry.model_name}/${ordinal}`;
    const idPath = info?.id === undefined ? at() : at('model_info', 'id');
    const owner = idOwners.get(id);
    if (owner) {
      problems.push(
        problemAt(locate, idPath, `deployment id "${id}" is already used by ${formatPath(owner)}`),
      );
    } else {
      idOwners.set(id, idPath);
    }

    const ref = parseModelRef(params.model);
    if (!ref.ok) {
      problems.push(problemAt(locate, at('litellm_params', 'model'), ref.message));
      continue;
    }
    const defaults = providerEnvDefaults[ref.provider];
    const apiKey = params.api_key ?? firstSetVariable(env, defaults.apiKey)?.value;
    const apiVersion = params.api_version ?? firstSetVariable(env, defaults.apiVersion)?.value;
    const baseInFile = params.api_base ?? params.aws_bedrock_runtime_endpoint;
    const baseFromEnv =
      baseInFile === undefined ? firstSetVariable(env, defaults.apiBase) : undefined;
    if (baseFromEnv && !isUrlWith(baseFromEnv.value, ['http:', 'https:'])) {
      problems.push(
        problemAt(
          locate,
          at('litellm_params'),
          `environment variable ${baseFromEnv.name} (the default api_base of ${ref.provider}) is not an http(s) URL`,
        ),
      );
    }
    const apiBase = baseInFile ?? baseFromEnv?.value;
    if (apiBase === undefined && needsApiBase.has(ref.provider)) {
      const envHint =
        defaults.apiBase.length > 0
          ? ` (or ${defaults.apiBase.join(' / ')} in the environment)`
          : '';
      problems.push(
        problemAt(
          locate,
          at('litellm_params'),
          `${ref.provider} deployments need api_base${envHint}`,
        ),
      );
    }

    const mode = info?.mode ?? 'chat';
    if (!servedModes.has(mode)) {
      warnings.push(
        problemAt(
          locate,
          at('model_info', 'mode'),
          `model "${entry.model_name}" has mode "${mode}"; Switchyard serves chat completions and embeddings only, so requests to it will fail`,
        ),
      );
    }

    const maxOutputTokens = info?.max_output_tokens ?? info?.max_tokens;
    // Where LiteLLM's router looks for a deployment's limits, in its order.
    const rpm = entry.rpm ?? params.rpm ?? info?.rpm;
    const tpm = entry.tpm ?? params.tpm ?? info?.tpm;
    const pricing = pricingOf(item, locate, problems);
    const entra = entraOf(ref.provider, params, env, (key, message) =>
      problems.push(problemAt(locate, at('litellm_params', key), message, 'key')),
    );
    const bedrock = bedrockSettingsOf(
      ref.provider,
      ref.providerModel,
      params,
      apiKey,
      env,
      awsFiles,
      (key, message) => problems.push(problemAt(locate, at('litellm_params', key), message, 'key')),
    );
    const vertex = vertexSettingsOf(ref.provider, ref.providerModel, params, env, (key, message) =>
      problems.push(problemAt(locate, at('litellm_params', key), message, 'key')),
    );
    if (bedrock === undefined || vertex === undefined) continue;
    deployments.push({
      id,
      modelName: entry.model_name,
      provider: ref.provider,
      providerModel: bedrock.providerModel,
      ...(bedrock.aws === undefined ? {} : { aws: bedrock.aws }),
      ...(bedrock.awsProfile === undefined ? {} : { awsProfile: bedrock.awsProfile }),
      ...(bedrock.awsRegion === undefined ? {} : { awsRegion: bedrock.awsRegion }),
      ...vertex,
      ...(apiKey === undefined ? {} : { apiKey }),
      ...(apiBase === undefined ? {} : { apiBase }),
      ...(apiVersion === undefined ? {} : { apiVersion }),
      ...(entra === undefined ? {} : { entra }),
      ...(rpm === undefined ? {} : { rpm }),
      ...(tpm === undefined ? {} : { tpm }),
      timeoutMs: secondsToMs(params.timeout ?? defaultTimeout),
      maxRetries: params.max_retries ?? entry.max_retries ?? defaultRetries,
      weight: params.weight ?? 1,
      ...(params.order === undefined ? {} : { order: params.order }),
      ...(pricing === undefined ? {} : { pricing }),
      limits: {
        ...(info?.max_input_tokens === undefined ? {} : { maxInputTokens: info.max_input_tokens }),
        ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
      },
      mode,
      ...(info?.base_model === undefined ? {} : { baseModel: info.base_model }),
      ...callDefaultsOf(params),
    });
  }
  return { deployments, problems, warnings };
}

/** The call parameters `litellm_params` sets (see callDefaultNames), as a Deployment's field. */
function callDefaultsOf(params: RawModelEntry['litellm_params']): {
  callDefaults?: Partial<ChatCompletionRequest>;
} {
  const set = callDefaultNames.filter((name) => params[name] !== undefined);
  if (set.length === 0) return {};
  return { callDefaults: Object.fromEntries(set.map((name) => [name, params[name]])) };
}

/** Where Entra ID tokens come from when neither the deployment nor the environment says. */
export const defaultAzureAuthorityHost = 'https://login.microsoftonline.com';

const entraClientKeys = ['tenant_id', 'client_id', 'client_secret'] as const;

/**
 * The Entra ID credentials of `litellm_params`: `azure_ad_token`, or all three of
 * `tenant_id`, `client_id` and `client_secret` (with `azure_authority_host`). Reports a
 * problem for them on another provider, for both forms at once, or for part of the second.
 */
function entraOf(
  provider: Provider,
  params: RawModelEntry['litellm_params'],
  env: Env,
  problem: (key: string, message: string) => void,
): AzureEntraCredentials | undefined {
  const given = (['azure_ad_token', ...entraClientKeys, 'azure_authority_host'] as const).filter(
    (key) => params[key] !== undefined,
  );
  if (given.length === 0) return undefined;
  if (provider !== 'azure') {
    for (const key of given) problem(key, 'is for azure deployments only');
    return undefined;
  }
  if (params.api_key !== undefined) {
    problem('api_key', `set api_key or Entra ID credentials (${given.join(', ')}), not both`);
    return undefined;
  }
  const clientKeys = entraClientKeys.filter((key) => params[key] !== undefined);
  if (params.azure_ad_token !== undefined) {
    if (clientKeys.length > 0) {
      problem('azure_ad_token', `set azure_ad_token or ${entraClientKeys.join(', ')}, not both`);
      return undefined;
    }
    return { kind: 'token', token: params.azure_ad_token };
  }
  const { tenant_id: tenantId, client_id: clientId, client_secret: clientSecret } = params;
  if (tenantId === undefined || clientId === undefined || clientSecret === undefined) {
    const missing = entraClientKeys.filter((key) => params[key] === undefined);
    problem(given[0] ?? 'tenant_id', `Entra ID sign-in needs ${missing.join(' and ')} as well`);
    return undefined;
  }
  const authorityHost =
    params.azure_authority_host ??
    firstSetVariable(env, ['AZURE_AUTHORITY_HOST'])?.value ??
    defaultAzureAuthorityHost;
  return {
    kind: 'client_secret',
    tenantId,
    clientId,
    clientSecret,
    authorityHost: authorityHost.replace(/\/+$/, ''),
  };
}
