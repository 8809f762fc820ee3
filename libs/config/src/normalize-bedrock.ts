import type { AwsSharedFiles } from './aws-shared-files';
import type { AwsCredentials, AwsProfileRef } from './config.types';
import type { Env } from './env-refs';
import { firstSetVariable } from './provider-env-defaults';
import type { Provider } from './providers';
import type { RawModelEntry } from './raw-config.schema';

/** What a Bedrock deployment adds to a Deployment. */
export interface BedrockSettings {
  /** The model id as Bedrock's URL names it (`bedrock/converse/<id>` loses its `converse/`). */
  readonly providerModel: string;
  readonly aws?: AwsCredentials;
  readonly awsProfile?: AwsProfileRef;
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

/** The profile LiteLLM and the AWS SDKs use when nothing names one. */
const defaultProfile = 'default';

/**
 * Profile settings the AWS SDK's `fromIni` turns into credentials besides static keys: a
 * command, an assumed role, IAM Identity Center (SSO), a web identity token, `aws login`.
 */
const credentialSourceKeys = [
  'credential_process',
  'role_arn',
  'sso_session',
  'sso_start_url',
  'web_identity_token_file',
  'login_session',
] as const;

type Params = RawModelEntry['litellm_params'];
type Problem = (key: string, message: string) => void;

/** The credentials a Bedrock deployment signs with, or 'invalid' after a problem. */
type Credentials =
  | { readonly aws: AwsCredentials }
  | { readonly awsProfile: AwsProfileRef; readonly profileRegion: string | undefined }
  | { readonly bearer: true }
  | 'invalid';

/**
 * Whether the Bedrock deployments of `entries` may sign with a profile of the AWS shared files,
 * so that loadConfig reads them: a Bedrock deployment naming `aws_profile_name`, or one without
 * keys of its own (it may fall back to AWS_PROFILE or the `default` profile).
 */
export function mayUseAwsProfiles(entries: readonly { entry: RawModelEntry }[]): boolean {
  return entries.some(({ entry }) => {
    const params = entry.litellm_params;
    if (!params.model.startsWith('bedrock/')) return false;
    return (
      params.aws_profile_name !== undefined ||
      (params.aws_access_key_id === undefined && params.aws_secret_access_key === undefined)
    );
  });
}

/**
 * The Bedrock part of a deployment: the model id (LiteLLM's `bedrock/converse/<id>` spelling is
 * accepted, `bedrock/invoke/<id>` refused: only the Converse API is spoken), the credentials
 * (see credentialsOf) and the region: `aws_region_name`, else AWS_REGION / AWS_DEFAULT_REGION,
 * else the `region` of the profile the deployment signs with. The `aws_*` keys on another
 * provider are a problem. Returns undefined after reporting a problem.
 */
export function bedrockSettingsOf(
  provider: Provider,
  providerModel: string,
  params: Params,
  apiKey: string | undefined,
  env: Env,
  awsFiles: AwsSharedFiles | undefined,
  problem: Problem,
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
  const credentials = credentialsOf(params, env, apiKey, awsFiles, problem);
  if (credentials === 'invalid') return undefined;
  const profile = 'awsProfile' in credentials ? credentials : undefined;
  const region =
    params.aws_region_name ??
    firstSetVariable(env, ['AWS_REGION', 'AWS_DEFAULT_REGION'])?.value ??
    profile?.profileRegion;
  if (region === undefined) {
    problem(
      'model',
      `bedrock deployments need aws_region_name (or AWS_REGION / AWS_DEFAULT_REGION in the environment${profile === undefined ? '' : `, or a region in AWS profile "${profile.awsProfile.name}"`})`,
    );
    return undefined;
  }
  return {
    providerModel: modelId,
    awsRegion: region,
    ...('aws' in credentials ? { aws: credentials.aws } : {}),
    ...(profile === undefined ? {} : { awsProfile: profile.awsProfile }),
  };
}

/**
 * How a Bedrock deployment signs, first match wins (LiteLLM's order; its last resort, boto3's
 * default chain, reads AWS_PROFILE or the `default` profile):
 *
 * 1. `aws_profile_name`: that profile of the AWS shared files (AWS_* keys in the environment are
 *    not used, as boto3 ignores them for an explicitly named profile);
 * 2. `aws_access_key_id` + `aws_secret_access_key` (+ `aws_session_token`);
 * 3. AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN) from the environment, which
 *    win over AWS_PROFILE as in boto3 (the JavaScript SDK prefers AWS_PROFILE, with a warning);
 * 4. `api_key` (or AWS_BEARER_TOKEN_BEDROCK): a Bedrock API key, sent as a bearer token;
 * 5. the profile AWS_PROFILE names, else the `default` profile when the shared files have one.
 *
 * A profile beside keys on the same deployment is a problem rather than a silent choice, as is
 * an unknown profile or one without credentials.
 */
function credentialsOf(
  params: Params,
  env: Env,
  apiKey: string | undefined,
  awsFiles: AwsSharedFiles | undefined,
  problem: Problem,
): Credentials {
  const keysInFile = (['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'] as const)
    .filter((key) => params[key] !== undefined)
    .join(', ');
  if (params.aws_profile_name !== undefined) {
    if (keysInFile !== '') {
      problem(
        'aws_profile_name',
        `a deployment signs with a profile or with keys, not both: remove aws_profile_name or ${keysInFile}`,
      );
      return 'invalid';
    }
    return profileCredentials(params.aws_profile_name, 'aws_profile_name', awsFiles, problem);
  }
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
    if (apiKey !== undefined) return { bearer: true };
    const named = firstSetVariable(env, ['AWS_PROFILE'])?.value;
    if (named !== undefined) return profileCredentials(named, 'AWS_PROFILE', awsFiles, problem);
    if (awsFiles?.profiles[defaultProfile] !== undefined) {
      return profileCredentials(defaultProfile, 'default', awsFiles, problem);
    }
    problem(
      'model',
      'bedrock deployments need aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment), a profile of the AWS shared files (aws_profile_name, AWS_PROFILE or [default]), or an api_key',
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
  return {
    aws: { accessKeyId, secretAccessKey, ...(sessionToken === undefined ? {} : { sessionToken }) },
  };
}

/**
 * The profile `name` of the AWS shared files, named by `origin` (`aws_profile_name`,
 * `AWS_PROFILE` or `default`), when it exists and holds credentials: static keys, or a source
 * the AWS SDK resolves at call time (credentialSourceKeys). Problems never quote a setting.
 */
function profileCredentials(
  name: string,
  origin: 'aws_profile_name' | 'AWS_PROFILE' | 'default',
  awsFiles: AwsSharedFiles | undefined,
  problem: Problem,
): Credentials {
  const key = origin === 'aws_profile_name' ? 'aws_profile_name' : 'model';
  const what = `AWS profile "${name}"${origin === 'AWS_PROFILE' ? ' (from AWS_PROFILE)' : ''}`;
  if (awsFiles === undefined) {
    problem(
      key,
      `${what}: the AWS shared credentials and config files were not read (loadConfig reads them; parseConfig takes them as awsSharedFiles)`,
    );
    return 'invalid';
  }
  const settings = Object.hasOwn(awsFiles.profiles, name) ? awsFiles.profiles[name] : undefined;
  if (settings === undefined) {
    const missing =
      awsFiles.missing.length === 0 ? '' : ` (${awsFiles.missing.join(' and ')}: no such file)`;
    problem(
      key,
      `${what} is in neither ${awsFiles.credentialsFile} nor ${awsFiles.configFile}${missing}`,
    );
    return 'invalid';
  }
  const hasId = settings['aws_access_key_id'] !== undefined;
  const hasSecret = settings['aws_secret_access_key'] !== undefined;
  if (hasId !== hasSecret) {
    problem(
      key,
      `${what} has ${hasId ? 'aws_access_key_id but no aws_secret_access_key' : 'aws_secret_access_key but no aws_access_key_id'}`,
    );
    return 'invalid';
  }
  if (!hasId && !credentialSourceKeys.some((source) => settings[source] !== undefined)) {
    problem(
      key,
      `${what} has no credentials: neither aws_access_key_id and aws_secret_access_key nor ${credentialSourceKeys.join(', ')}`,
    );
    return 'invalid';
  }
  return {
    awsProfile: {
      name,
      credentialsFile: awsFiles.credentialsFile,
      configFile: awsFiles.configFile,
    },
    profileRegion: settings['region'],
  };
}
