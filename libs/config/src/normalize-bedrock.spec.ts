import { describe, expect, it } from 'vitest';
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

  it('refuse missing region or credentials, half credentials, profiles and invoke', () => {
    expect(messages(oneModel('model: bedrock/amazon.nova-lite-v1:0'), { AWS_REGION: 'r' })).toEqual(
      [
        'model: bedrock deployments need aws_access_key_id and aws_secret_access_key (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment), or an api_key',
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
    expect(
      messages(oneModel(`model: bedrock/amazon.nova-lite-v1:0, ${keys}, aws_profile_name: dev`)),
    ).toEqual([
      'aws_profile_name: named AWS profiles are not supported yet; set aws_access_key_id and aws_secret_access_key (or the AWS_* environment variables)',
    ]);
    expect(
      messages(oneModel('model: bedrock/amazon.nova-lite-v1:0, aws_region_name: r'), {
        AWS_PROFILE: 'dev',
      })[0],
    ).toMatch(/AWS_PROFILE "dev" is set, but named AWS profiles are not supported yet/);
    expect(messages(oneModel(`model: bedrock/invoke/amazon.nova-lite-v1:0, ${keys}`))).toEqual([
      'model: bedrock/invoke/… is not supported: Switchyard calls the Converse API',
    ]);
    expect(messages(oneModel('model: openai/gpt-4o, api_key: k, aws_region_name: r'))).toEqual([
      'aws_region_name: is for bedrock deployments only',
    ]);
  });
});
