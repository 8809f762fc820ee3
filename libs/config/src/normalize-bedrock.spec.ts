import { describe, expect, it } from 'vitest';
import type { AwsSharedFiles } from './aws-shared-files';
import { ConfigError } from './config-error';
import type { Env } from './env-refs';
import { parseConfig } from './parse-config';
import { parse, problemsOf, yaml } from './spec-helpers';

const oneModel = (params: string) => yaml`
  model_list:
    - model_name: m
      litellm_params: { ${params} }
`;

const messages = (text: string, env: Record<string, string> = {}) =>
  problemsOf(text, env).map(
    (p) => `${p.path.replace('model_list[0].litellm_params.', '')}: ${p.message}`,
  );

const keys =
  'aws_access_key_id: AKIDSIMULATOR, aws_secret_access_key: sim-secret, aws_region_name: eu-west-1';

describe('bedrock deployments', () => {
  it('read credentials and region from litellm_params, and accept bedrock/converse/<id>', () => {
    const { config } = parse(
      oneModel(`model: bedrock/converse/anthropic.claude-3-5-haiku-20241022-v1:0, ${keys}`),
      { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_REGION: 'us-east-1' },
    );
    expect(config.models['m']?.deployments[0]).toMatchObject({
      provider: 'bedrock',
      providerModel: 'anthropic.claude-3-5-haiku-20241022-v1:0',
      aws: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey: 'sim-secret' },
      awsRegion: 'eu-west-1',
    });
    expect(config.models['m']?.deployments[0]?.aws?.sessionToken).toBeUndefined();
  });

  it('fall back to the AWS_* environment variables', () => {
    const { config } = parse(oneModel('model: bedrock/amazon.nova-lite-v1:0'), {
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      AWS_SESSION_TOKEN: 'env-session',
      AWS_DEFAULT_REGION: 'us-west-2',
    });
    expect(config.models['m']?.deployments[0]).toMatchObject({
      providerModel: 'amazon.nova-lite-v1:0',
      aws: { accessKeyId: 'AKIDENV', secretAccessKey: 'env-secret', sessionToken: 'env-session' },
      awsRegion: 'us-west-2',
    });
  });

  it('take the endpoint from aws_bedrock_runtime_endpoint or api_base', () => {
    const deployment = parse(
      oneModel(
        `model: bedrock/amazon.nova-lite-v1:0, ${keys}, aws_bedrock_runtime_endpoint: "http://127.0.0.1:9/bedrock"`,
      ),
    ).config.models['m']?.deployments[0];
    expect(deployment?.apiBase).toBe('http://127.0.0.1:9/bedrock');
  });

  it('use a Bedrock API key instead of credentials', () => {
    const deployment = parse(oneModel('model: bedrock/amazon.nova-lite-v1:0, api_key: k'), {
      AWS_REGION: 'us-east-1',
    }).config.models['m']?.deployments[0];
    expect(deployment).toMatchObject({ apiKey: 'k', awsRegion: 'us-east-1' });
    expect(deployment?.aws).toBeUndefined();
  });

  it('refuse missing region or credentials, half credentials and invoke', () => {
    expect(messages(oneModel('model: bedrock/amazon.nova-lite-v1:0'), { AWS_REGION: 'r' })).toEqual(
      [
        'model: bedrock deployments need aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment), a profile of the AWS shared files (aws_profile_name, AWS_PROFILE or [default]), or an api_key',
      ],
    );
    expect(
      messages(
        oneModel(
          'model: bedrock/amazon.nova-lite-v1:0, aws_access_key_id: A, aws_secret_access_key: s',
        ),
      ),
    ).toEqual([
      'model: bedrock deployments need aws_region_name (or AWS_REGION / AWS_DEFAULT_REGION in the environment)',
    ]);
    expect(
      messages(
        oneModel('model: bedrock/amazon.nova-lite-v1:0, aws_access_key_id: A, aws_region_name: r'),
      ),
    ).toEqual(['aws_access_key_id: AWS credentials need aws_secret_access_key as well']);
    expect(messages(oneModel(`model: bedrock/invoke/amazon.nova-lite-v1:0, ${keys}`))).toEqual([
      'model: bedrock/invoke/… is not supported: Switchyard calls the Converse API',
    ]);
    expect(messages(oneModel('model: openai/gpt-4o, api_key: k, aws_region_name: r'))).toEqual([
      'aws_region_name: is for bedrock deployments only',
    ]);
  });
});

/** Shared files as readAwsSharedFiles returns them, without reading any. */
function sharedFiles(
  profiles: Record<string, Record<string, string>>,
  missing: string[] = [],
): AwsSharedFiles {
  return { credentialsFile: 'aws/credentials', configFile: 'aws/config', missing, profiles };
}

const files = sharedFiles({
  default: { aws_access_key_id: 'AKIDDEFAULT', aws_secret_access_key: 's', region: 'eu-north-1' },
  dev: { aws_access_key_id: 'AKIDDEV', aws_secret_access_key: 's', aws_session_token: 't' },
  west: { aws_access_key_id: 'AKIDWEST', aws_secret_access_key: 's', region: 'us-west-2' },
  tool: { credential_process: 'aws-vault export --format=json tool', region: 'eu-west-1' },
  half: { aws_access_key_id: 'AKIDHALF' },
  empty: { region: 'eu-west-1' },
});

const withFiles = (text: string, env: Env = {}, awsSharedFiles: AwsSharedFiles = files) =>
  parseConfig(text, { env, awsSharedFiles }).config.models['m']?.deployments[0];

const profileMessages = (text: string, env: Env = {}, awsSharedFiles: AwsSharedFiles = files) => {
  try {
    parseConfig(text, { env, awsSharedFiles });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map(
      (p) => `${p.path.replace('model_list[0].litellm_params.', '')}: ${p.message}`,
    );
  }
  throw new Error('expected a ConfigError');
};

describe('bedrock deployments with a profile of the AWS shared files', () => {
  const nova = 'model: bedrock/amazon.nova-lite-v1:0';
  const ref = (name: string) => ({
    name,
    credentialsFile: 'aws/credentials',
    configFile: 'aws/config',
  });

  it('sign with aws_profile_name, in the profile’s region unless the deployment or environment names one', () => {
    const west = withFiles(oneModel(`${nova}, aws_profile_name: west`));
    expect(west).toMatchObject({ awsProfile: ref('west'), awsRegion: 'us-west-2' });
    expect(west?.aws).toBeUndefined();
    expect(
      withFiles(oneModel(`${nova}, aws_profile_name: west, aws_region_name: ap-south-1`))
        ?.awsRegion,
    ).toBe('ap-south-1');
    expect(
      withFiles(oneModel(`${nova}, aws_profile_name: west`), { AWS_REGION: 'ca-central-1' })
        ?.awsRegion,
    ).toBe('ca-central-1');
    expect(withFiles(oneModel(`${nova}, aws_profile_name: tool`))).toMatchObject({
      awsProfile: ref('tool'),
      awsRegion: 'eu-west-1',
    });
  });

  it('prefer aws_profile_name over AWS_* keys in the environment, as boto3 does', () => {
    const deployment = withFiles(oneModel(`${nova}, aws_profile_name: west`), {
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
    });
    expect(deployment?.awsProfile?.name).toBe('west');
    expect(deployment?.aws).toBeUndefined();
  });

  it('fall back to AWS_PROFILE, then [default], after keys and an api_key', () => {
    const region = { AWS_REGION: 'us-east-1' };
    expect(withFiles(oneModel(nova), { ...region, AWS_PROFILE: 'dev' })?.awsProfile?.name).toBe(
      'dev',
    );
    expect(withFiles(oneModel(nova))).toMatchObject({
      awsProfile: ref('default'),
      awsRegion: 'eu-north-1',
    });
    const envKeys = withFiles(oneModel(nova), {
      ...region,
      AWS_PROFILE: 'dev',
      AWS_ACCESS_KEY_ID: 'AKIDENV',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
    });
    expect(envKeys).toMatchObject({ aws: { accessKeyId: 'AKIDENV' } });
    expect(envKeys?.awsProfile).toBeUndefined();
    expect(
      withFiles(oneModel(`${nova}, ${keys}`), { AWS_PROFILE: 'dev' })?.awsProfile,
    ).toBeUndefined();
    const bearer = withFiles(oneModel(`${nova}, api_key: k`), { ...region, AWS_PROFILE: 'dev' });
    expect(bearer).toMatchObject({ apiKey: 'k' });
    expect(bearer?.awsProfile).toBeUndefined();
  });

  it('refuse a profile beside keys, unknown profiles, profiles without credentials or region', () => {
    expect(profileMessages(oneModel(`${nova}, ${keys}, aws_profile_name: dev`))).toEqual([
      'aws_profile_name: a deployment signs with a profile or with keys, not both: remove aws_profile_name or aws_access_key_id, aws_secret_access_key',
    ]);
    expect(
      profileMessages(
        oneModel(`${nova}, aws_session_token: t, aws_profile_name: dev, aws_region_name: r`),
      ),
    ).toEqual([
      'aws_profile_name: a deployment signs with a profile or with keys, not both: remove aws_profile_name or aws_session_token',
    ]);
    expect(profileMessages(oneModel(`${nova}, aws_profile_name: prod`))).toEqual([
      'aws_profile_name: AWS profile "prod" is in neither aws/credentials nor aws/config',
    ]);
    expect(
      profileMessages(
        oneModel(`${nova}, aws_profile_name: prod`),
        {},
        sharedFiles({}, ['aws/config']),
      ),
    ).toEqual([
      'aws_profile_name: AWS profile "prod" is in neither aws/credentials nor aws/config (aws/config: no such file)',
    ]);
    expect(profileMessages(oneModel(nova), { AWS_PROFILE: 'prod', AWS_REGION: 'r' })).toEqual([
      'model: AWS profile "prod" (from AWS_PROFILE) is in neither aws/credentials nor aws/config',
    ]);
    expect(profileMessages(oneModel(`${nova}, aws_profile_name: half`))).toEqual([
      'aws_profile_name: AWS profile "half" has aws_access_key_id but no aws_secret_access_key',
    ]);
    expect(profileMessages(oneModel(`${nova}, aws_profile_name: empty`))).toEqual([
      'aws_profile_name: AWS profile "empty" has no credentials: neither aws_access_key_id and aws_secret_access_key nor credential_process, role_arn, sso_session, sso_start_url, web_identity_token_file, login_session',
    ]);
    expect(profileMessages(oneModel(`${nova}, aws_profile_name: dev`))).toEqual([
      'model: bedrock deployments need aws_region_name (or AWS_REGION / AWS_DEFAULT_REGION in the environment, or a region in AWS profile "dev")',
    ]);
    expect(profileMessages(oneModel(`${nova}, aws_profile_name: constructor`))[0]).toMatch(
      /AWS profile "constructor" is in neither/,
    );
  });

  it('refuse a named profile when the shared files were not read', () => {
    expect(messages(oneModel(`${nova}, aws_profile_name: dev, aws_region_name: r`))).toEqual([
      'aws_profile_name: AWS profile "dev": the AWS shared credentials and config files were not read (loadConfig reads them; parseConfig takes them as awsSharedFiles)',
    ]);
  });

  it('never quote a profile’s settings in problems', () => {
    const secretFiles = sharedFiles({
      leaky: { aws_secret_access_key: 'do-not-print-me' },
    });
    const problems = profileMessages(oneModel(`${nova}, aws_profile_name: leaky`), {}, secretFiles);
    expect(problems.join('\n')).not.toContain('do-not-print-me');
  });
});
