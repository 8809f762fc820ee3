import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { awsSharedFilePaths, readAwsSharedFiles } from './aws-shared-files';
import { loadConfig } from './load-config';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-aws-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to `name` under the spec's directory and returns its path. */
function file(name: string, text: string): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const credentials = file(
  'credentials',
  [
    '[default]',
    'aws_access_key_id = AKIDDEFAULT',
    'aws_secret_access_key = default-secret',
    '',
    '# a comment',
    '[dev]',
    'aws_access_key_id = AKIDDEV',
    'aws_secret_access_key = dev-secret',
    'aws_session_token = dev-session',
  ].join('\n'),
);
const config = file(
  'config',
  [
    '[default]',
    'region = eu-north-1',
    '',
    '[profile dev]',
    'region = us-west-2',
    'aws_access_key_id = AKIDFROMCONFIG',
    '',
    '[profile tool]',
    'credential_process = ./print-credentials',
    '',
    '[sso-session corp]',
    'sso_region = eu-west-1',
  ].join('\n'),
);

describe('the AWS shared files', () => {
  it('are AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE, else ~/.aws/credentials and ~/.aws/config', () => {
    expect(awsSharedFilePaths({ HOME: '/home/ci' })).toEqual({
      credentialsFile: join('/home/ci', '.aws', 'credentials'),
      configFile: join('/home/ci', '.aws', 'config'),
    });
    expect(
      awsSharedFilePaths({
        HOME: '/home/ci',
        AWS_SHARED_CREDENTIALS_FILE: '~/keys/aws',
        AWS_CONFIG_FILE: '/etc/aws/config',
      }),
    ).toEqual({ credentialsFile: join('/home/ci', 'keys', 'aws'), configFile: '/etc/aws/config' });
  });

  it('merge both files by profile, [profile x] as x, the credentials file winning', async () => {
    const files = await readAwsSharedFiles({
      AWS_SHARED_CREDENTIALS_FILE: credentials,
      AWS_CONFIG_FILE: config,
    });
    expect(files.missing).toEqual([]);
    expect(files.profiles['dev']).toEqual({
      aws_access_key_id: 'AKIDDEV',
      aws_secret_access_key: 'dev-secret',
      aws_session_token: 'dev-session',
      region: 'us-west-2',
    });
    expect(files.profiles['default']?.['region']).toBe('eu-north-1');
    expect(files.profiles['tool']).toEqual({ credential_process: './print-credentials' });
  });

  it('count a missing file as empty and say which is missing', async () => {
    const files = await readAwsSharedFiles({ HOME: join(dir, 'nobody') });
    expect(files.profiles).toEqual({});
    expect(files.missing).toEqual([files.credentialsFile, files.configFile]);
  });

  it('are read by loadConfig for a Bedrock deployment that signs with a profile', async () => {
    const path = file(
      'profile.yaml',
      [
        'model_list:',
        '  - model_name: m',
        '    litellm_params: { model: bedrock/amazon.nova-lite-v1:0, aws_profile_name: dev }',
      ].join('\n'),
    );
    const env = { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_CONFIG_FILE: config };
    const deployment = (await loadConfig(path, { env })).config.models['m']?.deployments[0];
    expect(deployment).toMatchObject({
      awsProfile: { name: 'dev', credentialsFile: credentials, configFile: config },
      awsRegion: 'us-west-2',
    });
    expect(JSON.stringify(deployment)).not.toContain('dev-secret');
  });
});
