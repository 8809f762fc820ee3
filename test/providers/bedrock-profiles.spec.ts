import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type AwsProfileRef, type Deployment, type Env } from '@switchyard/config';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import {
  AwsProfileCredentials,
  ProviderError,
  adapterFor,
  completeChat,
  streamChat,
} from '@switchyard/providers';
import { redactValue } from '@switchyard/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Bedrock deployments signing with profiles of the AWS shared files, written to a temporary
 * directory that AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE (in the config's environment)
 * point at. The simulator checks every SigV4 signature against its one secret, `sim-secret`:
 * a profile holding it is accepted, a profile holding another is refused, whatever key id
 * either claims.
 */

const messages = [{ role: 'user' as const, content: 'Where is the blue train going?' }];
const model = 'bedrock/anthropic.claude-3-5-haiku-20241022-v1:0';

const dir = mkdtempSync(join(tmpdir(), 'switchyard-aws-profiles-'));
const credentialsFile = join(dir, 'credentials');
const configFile = join(dir, 'config');
const processRuns = join(dir, 'process-runs');
const fileEnv: Env = { AWS_SHARED_CREDENTIALS_FILE: credentialsFile, AWS_CONFIG_FILE: configFile };

/** A credential_process command: prints credentials valid for 15 minutes, counting its runs. */
function writeCredentialProcess(name: string, output: string): string {
  const script = join(dir, `${name}.cjs`);
  writeFileSync(
    script,
    [
      "const fs = require('node:fs');",
      `const runsFile = ${JSON.stringify(processRuns)};`,
      "const run = (fs.existsSync(runsFile) ? Number(fs.readFileSync(runsFile, 'utf8')) : 0) + 1;",
      'fs.writeFileSync(runsFile, String(run));',
      `process.stdout.write(${output});`,
    ].join('\n'),
  );
  return `${JSON.stringify(process.execPath)} ${JSON.stringify(script)}`;
}

const goodProcess = writeCredentialProcess(
  'good-process',
  "JSON.stringify({ Version: 1, AccessKeyId: 'AKIDPROCESS' + run, SecretAccessKey: 'sim-secret', SessionToken: 'process-session-' + run, Expiration: new Date(Date.now() + 15 * 60000).toISOString() })",
);
const badProcess = writeCredentialProcess(
  'bad-process',
  "JSON.stringify({ Version: 2, AccessKeyId: 'AKIDLEAK', SecretAccessKey: 'process-secret-do-not-log' })",
);

function writeCredentials(impostorSecret: string): void {
  writeFileSync(
    credentialsFile,
    [
      '[sim]',
      'aws_access_key_id = AKIDPROFILE',
      'aws_secret_access_key = sim-secret',
      'aws_session_token = profile-session',
      '',
      '[impostor]',
      'aws_access_key_id = AKIDIMPOSTOR',
      `aws_secret_access_key = ${impostorSecret}`,
    ].join('\n'),
  );
}
writeCredentials('impostor-secret-do-not-log');
writeFileSync(
  configFile,
  [
    '[profile sim]',
    'region = eu-central-1',
    '',
    '[profile impostor]',
    'region = eu-central-1',
    '',
    '[profile process]',
    `credential_process = ${goodProcess}`,
    'region = us-east-1',
    '',
    '[profile broken-process]',
    `credential_process = ${badProcess}`,
    'region = us-east-1',
  ].join('\n'),
);

function processRunCount(): number {
  return existsSync(processRuns) ? Number(readFileSync(processRuns, 'utf8')) : 0;
}

let deployments = 0;

/** A Bedrock deployment on the simulator loaded by loadConfig, with `params` and `env`. */
async function profileDeployment(
  simUrl: string,
  params: string,
  env: Env = {},
): Promise<{ deployment: Deployment; name: string }> {
  deployments += 1;
  const name = `profile-${deployments}`;
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      'model_list:',
      `  - model_name: ${name}`,
      `    litellm_params: { model: ${model}, aws_bedrock_runtime_endpoint: "${simUrl}/d/${name}/bedrock", ${params} }`,
    ].join('\n'),
  );
  const { config } = await loadConfig(path, { env: { ...fileEnv, ...env } });
  const deployment = config.models[name]?.deployments[0];
  if (deployment === undefined) throw new Error('no deployment loaded');
  return { deployment, name };
}

describe('Bedrock with AWS profiles against the simulator', () => {
  let sim: ProviderSimHandle;
  const bedrock = adapterFor('bedrock');
  const call = (deployment: Deployment) =>
    completeChat(bedrock, { messages, max_tokens: 40 }, { deployment, dropParams: false });
  const failure = (deployment: Deployment) => call(deployment).catch((error: unknown) => error);

  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs with the profile’s keys and session token, in its region: calls and streams', async () => {
    const { deployment, name } = await profileDeployment(sim.url, 'aws_profile_name: sim');
    expect(deployment).toMatchObject({
      awsProfile: { name: 'sim', credentialsFile, configFile },
      awsRegion: 'eu-central-1',
    });
    const answer = await call(deployment);
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    const text: string[] = [];
    const stream = streamChat(
      bedrock,
      { messages, stream: true },
      { deployment, dropParams: false },
    );
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    expect(text.join('')).toMatch(/\S/);
    expect(sim.stats().deployments[name]?.completed).toBe(2);
  });

  it('is refused by the SigV4 check when the profile holds other keys', async () => {
    const { deployment, name } = await profileDeployment(sim.url, 'aws_profile_name: impostor');
    const error = await failure(deployment);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'auth',
      code: 'invalid_signature',
      provider: 'bedrock',
      providerStatus: 403,
    });
    expect((error as Error).message).toMatch(/signature we calculated does not match/);
    expect((error as Error).message).not.toContain('impostor-secret-do-not-log');
    expect(sim.stats().deployments[name]?.completed ?? 0).toBe(0);
  });

  it('prefers aws_profile_name over AWS_* keys in the environment, and those over AWS_PROFILE', async () => {
    const wrongEnvKeys = { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'env-secret' };
    const named = await profileDeployment(sim.url, 'aws_profile_name: sim', wrongEnvKeys);
    expect((await call(named.deployment)).choices[0]?.finish_reason).toBe('stop');
    const fromEnv = await profileDeployment(sim.url, 'aws_region_name: us-east-1', {
      ...wrongEnvKeys,
      AWS_PROFILE: 'sim',
    });
    expect(fromEnv.deployment.awsProfile).toBeUndefined();
    expect(await failure(fromEnv.deployment)).toMatchObject({ code: 'invalid_signature' });
    const viaAwsProfile = await profileDeployment(sim.url, 'aws_region_name: us-east-1', {
      AWS_PROFILE: 'sim',
    });
    expect((await call(viaAwsProfile.deployment)).choices[0]?.finish_reason).toBe('stop');
  });

  it('reads the files again after Bedrock refused the keys, so a fixed file is picked up', async () => {
    const { deployment } = await profileDeployment(sim.url, 'aws_profile_name: impostor');
    expect(await failure(deployment)).toMatchObject({ code: 'invalid_signature' });
    writeCredentials('sim-secret');
    try {
      expect((await call(deployment)).choices[0]?.finish_reason).toBe('stop');
    } finally {
      writeCredentials('impostor-secret-do-not-log');
    }
  });

  it('runs credential_process once for concurrent calls and signs with what it prints', async () => {
    const { deployment, name } = await profileDeployment(sim.url, 'aws_profile_name: process');
    const before = processRunCount();
    const answers = await Promise.all(Array.from({ length: 4 }, () => call(deployment)));
    expect(answers.map((a) => a.choices[0]?.finish_reason)).toEqual(Array(4).fill('stop'));
    expect(processRunCount() - before).toBe(1);
    expect(sim.stats().deployments[name]?.completed).toBe(4);
  });

  it('resolves expiring credentials again five minutes before they expire', async () => {
    let now = Date.now();
    const credentials = new AwsProfileCredentials(() => now);
    const profile: AwsProfileRef = { name: 'process', credentialsFile, configFile };
    const first = await credentials.credentials(profile);
    expect(first.accessKeyId).toMatch(/^AKIDPROCESS\d+$/);
    expect(first.sessionToken).toMatch(/^process-session-/);
    expect(first.expiration).toBeInstanceOf(Date);
    now += 10 * 60_000 - 2_000; // the credentials live 15 minutes
    expect(await credentials.credentials(profile)).toBe(first);
    now += 4_000;
    const second = await credentials.credentials(profile);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
    expect(second.secretAccessKey).toBe('sim-secret');
  });

  it('fails as an auth error, naming the profile but no secret, when credentials cannot be resolved', async () => {
    const { deployment, name } = await profileDeployment(
      sim.url,
      'aws_profile_name: broken-process',
    );
    const error = await failure(deployment);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'auth', code: 'aws_credentials_unusable' });
    expect((error as Error).message).toContain('AWS profile "broken-process"');
    expect((error as Error).message).toContain('did not return Version 1');
    expect((error as Error).message).not.toContain('process-secret-do-not-log');
    expect(sim.stats().deployments[name]?.requests ?? 0).toBe(0);

    const gone = new AwsProfileCredentials();
    await expect(
      gone.credentials({ name: 'deleted-after-start', credentialsFile, configFile }),
    ).rejects.toMatchObject({ code: 'aws_credentials_unusable' });
  });

  it('keeps the profile’s secrets out of logged deployments and credentials', async () => {
    const { deployment } = await profileDeployment(sim.url, 'aws_profile_name: sim');
    const resolved = await new AwsProfileCredentials().credentials({
      name: 'sim',
      credentialsFile,
      configFile,
    });
    const logged = JSON.stringify(redactValue({ deployment, resolved }));
    expect(logged).not.toContain('sim-secret');
    expect(logged).not.toContain('profile-session');
    expect(logged).toContain('AKIDPROFILE');
  });
});
