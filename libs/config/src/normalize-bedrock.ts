import type { AwsCredentials } from './config.types';
import type { Env } from './env-refs';
import { firstSetVariable } from './provider-env-defaults';
import type { Provider } from './providers';
import type { RawModelEntry } from './raw-config.schema';

/** What a Bedrock deployment adds to a Deployment. */
export interface BedrockSettings {
  /** The model id as Bedrock's URL names it (`bedrock/converse/<id>` loses its `converse/`). */
  readonly providerModel: string;
  readonly aws?: AwsCredentials;
  readonly awsRegion?: string;
}

const awsKeys = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_region_name',
  'aws_profile_name',
  'aws_bedrock_runtime_endpoint',
] as const;

type Params = RawModelEntry['litellm_params'];

/**
 * The Bedrock part of a deployment: the model id (LiteLLM's `bedrock/converse/<id>` spelling is
 * accepted, `bedrock/invoke/<id>` refused: only the Converse API is spoken), the region, and
 * the SigV4 credentials, from `litellm_params` first, else from the environment (AWS_* variables).
 * A deployment with an `api_key` (a Bedrock API key, or AWS_BEARER_TOKEN_BEDROCK) sends it as a
 * bearer token and needs no credentials. Named profiles (`aws_profile_name`, AWS_PROFILE) are not
 * supported yet and are a problem. The `aws_*` keys on another provider are a problem too.
 * Returns undefined after reporting a problem.
 */
export function bedrockSettingsOf(
  provider: Provider,
  providerModel: string,
  params: Params,
  apiKey: string | undefined,
  env: Env,
  problem: (key: string, message: string) => void,
): BedrockSettings | undefined {
  if (provider !== 'bedrock') {
    const given = awsKeys.filter((key) => params[key] !== undefined);
    for (const key of given) problem(key, 'is for bedrock deployments only');
    return given.length > 0 ? undefined : { providerModel };
  }
  const route = /^(converse|invoke)\//.exec(providerModel)?.[1];
  if (route === 'invoke') {
    problem('model', 'bedrock/invoke/… is not supported: Switchyard calls the Converse API');
    return undefined;
  }
  const modelId = route === 'converse' ? providerModel.slice('converse/'.length) : providerModel;
  if (modelId.trim() === '') {
    problem('model', `"bedrock/${providerModel}" names no model id`);
    return undefined;
  }
  if (params.aws_profile_name !== undefined) {
    problem(
      'aws_profile_name',
      'named AWS profiles are not supported yet; set aws_access_key_id and aws_secret_access_key (or the AWS_* environment variables)',
    );
    return undefined;
  }
  const region =
    params.aws_region_name ?? firstSetVariable(env, ['AWS_REGION', 'AWS_DEFAULT_REGION'])?.value;
  if (region === undefined) {
    problem(
      'model',
      'bedrock deployments need aws_region_name (or AWS_REGION / AWS_DEFAULT_REGION in the environment)',
    );
    return undefined;
  }
  const credentials = credentialsOf(params, env, apiKey, problem);
  if (credentials === 'invalid') return undefined;
  return {
    providerModel: modelId,
    awsRegion: region,
    ...(credentials === undefined ? {} : { aws: credentials }),
  };
}

function credentialsOf(
  params: Params,
  env: Env,
  apiKey: string | undefined,
  problem: (key: string, message: string) => void,
): AwsCredentials | undefined | 'invalid' {
  const fromFile =
    params.aws_access_key_id !== undefined || params.aws_secret_access_key !== undefined;
  const accessKeyId = fromFile
    ? params.aws_access_key_id
    : firstSetVariable(env, ['AWS_ACCESS_KEY_ID'])?.value;
  const secretAccessKey = fromFile
    ? params.aws_secret_access_key
    : firstSetVariable(env, ['AWS_SECRET_ACCESS_KEY'])?.value;
  if (accessKeyId === undefined && secretAccessKey === undefined) {
    if (params.aws_session_token !== undefined) {
      problem('aws_session_token', 'needs aws_access_key_id and aws_secret_access_key as well');
      return 'invalid';
    }
    if (apiKey !== undefined) return undefined;
    const profile = firstSetVariable(env, ['AWS_PROFILE'])?.value;
    problem(
      'model',
      profile === undefined
        ? 'bedrock deployments need aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment), or an api_key'
        : `AWS_PROFILE "${profile}" is set, but named AWS profiles are not supported yet; set aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)`,
    );
    return 'invalid';
  }
  if (accessKeyId === undefined || secretAccessKey === undefined) {
    const missing = accessKeyId === undefined ? 'aws_access_key_id' : 'aws_secret_access_key';
    const given = accessKeyId === undefined ? 'aws_secret_access_key' : 'aws_access_key_id';
    problem(fromFile ? given : 'model', `AWS credentials need ${missing} as well`);
    return 'invalid';
  }
  const sessionToken = fromFile
    ? params.aws_session_token
    : (params.aws_session_token ?? firstSetVariable(env, ['AWS_SESSION_TOKEN'])?.value);
  return { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) };
}
