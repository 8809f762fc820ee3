import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  parseConfig,
  type Deployment,
  type Env,
  type GoogleCredentialsJson,
} from '@switchyard/config';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import {
  GoogleTokens,
  ProviderError,
  adapterFor,
  completeChat,
  streamChat,
} from '@switchyard/providers';
import { redactValue } from '@switchyard/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceAccount } from './vertex-service-account';

/*
 * Vertex AI with application default credentials that no deployment names: the file
 * GOOGLE_APPLICATION_CREDENTIALS points at (a service account key, or a user's credentials),
 * and gcloud's application_default_credentials.json (type authorized_user) in CLOUDSDK_CONFIG
 * or ~/.config/gcloud, written to a temporary directory the config's environment points at.
 * A user's credentials sign in with the refresh token grant at the simulator's token endpoint
 * (named by the JSON's token_uri), which accepts only refresh tokens registered with it.
 */

const messages = [{ role: 'user' as const, content: 'Where is the blue train going?' }];
const dir = mkdtempSync(join(tmpdir(), 'switchyard-vertex-adc-'));
let counter = 0;

/** Writes `json` to `path` under the spec's directory (creating folders) and returns the path. */
function writeJson(path: string, json: unknown): string {
  const full = join(dir, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, JSON.stringify(json));
  return full;
}

/** A Vertex AI deployment on the simulator with no credentials of its own, parsed with `env`. */
function adcDeployment(
  simUrl: string,
  env: Env,
  model = 'gemini-2.0-flash',
): { deployment: Deployment; name: string } {
  counter += 1;
  const name = `adc-${counter}`;
  const yaml = [
    'model_list:',
    `  - model_name: ${name}`,
    `    litellm_params: { model: vertex_ai/${model}, vertex_project: adc-project, vertex_location: us-east5, api_base: "${simUrl}/d/${name}/vertex" }`,
  ].join('\n');
  const deployment = parseConfig(yaml, { env }).config.models[name]?.deployments[0];
  if (deployment === undefined) throw new Error('no deployment parsed');
  return { deployment, name };
}

describe('Vertex AI with application default credentials against the simulator', () => {
  let sim: ProviderSimHandle;
  const vertex = adapterFor('vertex_ai');
  const call = (deployment: Deployment) =>
    completeChat(vertex, { messages, max_tokens: 40 }, { deployment, dropParams: false });

  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
  });
  afterAll(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** gcloud's user credentials, their refresh token registered with the simulator unless not. */
  const user = (registered = true) => {
    counter += 1;
    const credentials = {
      account: '',
      client_id: `adc-client-${counter}.apps.googleusercontent.com`,
      client_secret: `adc-client-secret-${counter}`,
      quota_project_id: 'adc-quota-project',
      refresh_token: `1//adc-refresh-token-${counter}`,
      token_uri: `${sim.url}/token`,
      type: 'authorized_user',
      universe_domain: 'googleapis.com',
    } satisfies GoogleCredentialsJson;
    if (registered) {
      sim.addGoogleAuthorizedUser({
        clientId: credentials.client_id,
        clientSecret: credentials.client_secret,
        refreshToken: credentials.refresh_token,
      });
    }
    return credentials;
  };

  it('signs in with the service account key GOOGLE_APPLICATION_CREDENTIALS names', async () => {
    const account = testServiceAccount(sim.url);
    sim.addGoogleServiceAccount(account.credentials.client_email, account.publicKeyPem);
    const keyFile = writeJson(`keys/sa-${counter}.json`, account.credentials);
    const { deployment, name } = adcDeployment(sim.url, {
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    });
    const before = sim.stats().google.tokensIssued;
    expect((await call(deployment)).choices[0]?.finish_reason).toBe('stop');
    expect(sim.stats().google.tokensIssued - before).toBe(1);
    expect(sim.stats().deployments[name]?.completed).toBe(1);
  });

  it('signs in with a user’s credentials GOOGLE_APPLICATION_CREDENTIALS names (refresh token grant)', async () => {
    const file = writeJson(`keys/user-${counter}.json`, user());
    const { deployment, name } = adcDeployment(sim.url, { GOOGLE_APPLICATION_CREDENTIALS: file });
    expect(deployment.vertex?.credentials?.type).toBe('authorized_user');
    const before = sim.stats().google.tokensIssued;
    expect((await call(deployment)).choices[0]?.finish_reason).toBe('stop');
    expect(sim.stats().google.tokensIssued - before).toBe(1);
    expect(sim.stats().deployments[name]?.completed).toBe(1);
  });

  it('signs in with gcloud’s application_default_credentials.json in CLOUDSDK_CONFIG, Claude too', async () => {
    const configDir = join(dir, `gcloud-${counter}`);
    writeJson(join(`gcloud-${counter}`, 'application_default_credentials.json'), user());
    const gemini = adcDeployment(sim.url, { CLOUDSDK_CONFIG: configDir });
    const claude = adcDeployment(
      sim.url,
      { CLOUDSDK_CONFIG: configDir },
      'claude-3-5-haiku@20241022',
    );
    expect((await call(gemini.deployment)).choices[0]?.finish_reason).toBe('stop');
    expect((await call(claude.deployment)).choices[0]?.message.content).toMatch(/\S/);
    expect(sim.stats().deployments[claude.name]?.completed).toBe(1);
  });

  it.skipIf(process.platform === 'win32')(
    'finds gcloud’s file under ~/.config/gcloud when CLOUDSDK_CONFIG is unset',
    async () => {
      const home = join(dir, `home-${counter}`);
      writeJson(
        join(`home-${counter}`, '.config', 'gcloud', 'application_default_credentials.json'),
        user(),
      );
      const { deployment, name } = adcDeployment(sim.url, { HOME: home });
      expect((await call(deployment)).choices[0]?.finish_reason).toBe('stop');
      expect(sim.stats().deployments[name]?.completed).toBe(1);
    },
  );

  it('reuses one access token across calls and streams, and refreshes it before it expires', async () => {
    const file = writeJson(`keys/user-${counter}.json`, user());
    const { deployment, name } = adcDeployment(sim.url, { GOOGLE_APPLICATION_CREDENTIALS: file });
    const before = sim.stats().google.tokensIssued;
    const answers = await Promise.all(Array.from({ length: 4 }, () => call(deployment)));
    expect(answers.map((a) => a.choices[0]?.finish_reason)).toEqual(Array(4).fill('stop'));
    const stream = streamChat(
      vertex,
      { messages, stream: true },
      { deployment, dropParams: false },
    );
    for await (const chunk of stream) expect(chunk.object).toBe('chat.completion.chunk');
    await call(deployment);
    expect(sim.stats().google.tokensIssued - before).toBe(1);
    expect(sim.stats().deployments[name]?.completed).toBe(6);

    let now = Date.now();
    const tokens = new GoogleTokens(() => now);
    const credentials = deployment.vertex?.credentials;
    const first = await tokens.token(credentials);
    now += 3599_000 - 5 * 60_000 - 2_000;
    expect(await tokens.token(credentials)).toBe(first);
    now += 4_000;
    expect(await tokens.token(credentials)).not.toBe(first);
  });

  it('fails as an auth error, without calling Vertex, when the refresh token is refused', async () => {
    const unknown = writeJson(`keys/user-${counter}.json`, user(false));
    const { deployment, name } = adcDeployment(sim.url, {
      GOOGLE_APPLICATION_CREDENTIALS: unknown,
    });
    const error = await call(deployment).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'auth',
      code: 'google_token_refused',
      provider: 'vertex_ai',
      providerStatus: 400,
    });
    const message = (error as Error).message;
    expect(message).toContain('invalid_grant: Token has been expired or revoked.');
    expect(message).toContain('authorized_user credentials of OAuth client adc-client-');
    expect(message).not.toContain('adc-refresh-token');
    expect(message).not.toContain('adc-client-secret');
    expect(sim.stats().deployments[name]?.requests ?? 0).toBe(0);

    const registered = user();
    const wrongSecret = writeJson(`keys/user-${counter}.json`, {
      ...registered,
      client_secret: 'not-the-client-secret',
    });
    const other = adcDeployment(sim.url, { GOOGLE_APPLICATION_CREDENTIALS: wrongSecret });
    await expect(call(other.deployment)).rejects.toMatchObject({
      type: 'auth',
      code: 'google_token_refused',
      providerStatus: 401,
      message: expect.stringContaining('invalid_client: Unauthorized') as unknown,
    });
  });

  it('answers the refresh token grant as Google does', async () => {
    const registered = user();
    const post = (form: Record<string, string>) =>
      fetch(`${sim.url}/token`, { method: 'POST', body: new URLSearchParams(form) });
    const good = await post({
      grant_type: 'refresh_token',
      client_id: registered.client_id,
      client_secret: registered.client_secret,
      refresh_token: registered.refresh_token,
    });
    expect(good.status).toBe(200);
    expect(await good.json()).toMatchObject({
      access_token: expect.stringMatching(/^sim-google-/) as unknown,
      expires_in: 3599,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      token_type: 'Bearer',
    });
    const missing = await post({ grant_type: 'refresh_token', client_id: registered.client_id });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({
      error: 'invalid_request',
      error_description: 'Missing required parameter: refresh_token',
    });
  });

  it('keeps the client secret and refresh token out of logs', () => {
    const file = writeJson(`keys/user-${counter}.json`, user());
    const { deployment } = adcDeployment(sim.url, { GOOGLE_APPLICATION_CREDENTIALS: file });
    const logged = JSON.stringify(redactValue({ deployment }));
    expect(logged).not.toContain('adc-client-secret');
    expect(logged).not.toContain('adc-refresh-token');
    expect(logged).toContain('adc-client-');
  });
});
