import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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

/** A throwaway service account key, made for this spec only. */
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();
const serviceAccount = {
  type: 'service_account',
  project_id: 'key-project',
  private_key_id: 'k1',
  private_key: privateKey,
  client_email: 'switchyard@key-project.iam.gserviceaccount.com',
  token_uri: 'https://oauth2.googleapis.com/token',
};
const dir = mkdtempSync(join(tmpdir(), 'switchyard-vertex-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const keyFile = join(dir, 'key.json');
writeFileSync(keyFile, JSON.stringify(serviceAccount));

const deploymentOf = (text: string, env: Record<string, string> = {}) =>
  parse(text, env).config.models['m']?.deployments[0];

describe('vertex_ai deployments', () => {
  it('read project, location and a service account key file from litellm_params', () => {
    const deployment = deploymentOf(
      oneModel(
        `model: vertex_ai/gemini-2.0-flash, vertex_project: my-project, vertex_location: europe-west4, vertex_credentials: "${keyFile}"`,
      ),
      { VERTEXAI_PROJECT: 'env-project', VERTEXAI_LOCATION: 'us-east5' },
    );
    expect(deployment).toMatchObject({
      provider: 'vertex_ai',
      providerModel: 'gemini-2.0-flash',
      vertex: { project: 'my-project', location: 'europe-west4', publisher: 'google' },
    });
    expect(deployment?.vertex?.credentials).toEqual(serviceAccount);
  });

  it('take Google’s text embedding models as the google publisher', () => {
    for (const model of [
      'text-embedding-005',
      'text-multilingual-embedding-002',
      'textembedding-gecko@003',
      'gemini-embedding-001',
    ]) {
      expect(
        deploymentOf(oneModel(`model: vertex_ai/${model}, vertex_project: p`))?.vertex,
        model,
      ).toMatchObject({ publisher: 'google' });
    }
  });

  it('take the credentials JSON itself, and the project from it when nothing else names one', () => {
    const inline = JSON.stringify(JSON.stringify(serviceAccount));
    const deployment = deploymentOf(
      oneModel(`model: vertex_ai/claude-3-5-haiku@20241022, vertex_credentials: ${inline}`),
    );
    expect(deployment?.vertex).toMatchObject({
      project: 'key-project',
      location: 'us-central1',
      publisher: 'anthropic',
      credentials: { client_email: serviceAccount.client_email },
    });
  });

  it('fall back to VERTEXAI_* / GOOGLE_CLOUD_PROJECT and GOOGLE_APPLICATION_CREDENTIALS', () => {
    const deployment = deploymentOf(oneModel('model: vertex_ai/gemini-2.5-pro'), {
      GOOGLE_CLOUD_PROJECT: 'cloud-project',
      VERTEXAI_LOCATION: 'global',
      GOOGLE_APPLICATION_CREDENTIALS: keyFile,
    });
    expect(deployment?.vertex).toMatchObject({ project: 'cloud-project', location: 'global' });
    expect(deployment?.vertex?.credentials?.private_key).toBe(privateKey);
  });

  it('read gcloud’s application default credentials file from CLOUDSDK_CONFIG, else ~/.config/gcloud', () => {
    const user = {
      type: 'authorized_user',
      client_id: 'client.apps.googleusercontent.com',
      client_secret: 'user-client-secret',
      refresh_token: 'user-refresh-token',
      quota_project_id: 'quota-project',
    };
    const cloudsdk = join(dir, 'cloudsdk');
    mkdirSync(cloudsdk, { recursive: true });
    writeFileSync(join(cloudsdk, 'application_default_credentials.json'), JSON.stringify(user));
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'gcloud'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'gcloud', 'application_default_credentials.json'),
      JSON.stringify({ ...user, refresh_token: 'home-refresh-token' }),
    );
    const gemini = oneModel('model: vertex_ai/gemini-2.0-flash, vertex_project: p');
    expect(
      deploymentOf(gemini, { CLOUDSDK_CONFIG: cloudsdk, HOME: home })?.vertex?.credentials,
    ).toEqual(user);
    if (process.platform !== 'win32') {
      expect(deploymentOf(gemini, { HOME: home })?.vertex?.credentials).toMatchObject({
        refresh_token: 'home-refresh-token',
      });
    }
    expect(
      deploymentOf(gemini, { CLOUDSDK_CONFIG: cloudsdk, GOOGLE_APPLICATION_CREDENTIALS: keyFile })
        ?.vertex?.credentials?.type,
    ).toBe('service_account');
    const noRefresh = join(dir, 'no-refresh');
    mkdirSync(noRefresh, { recursive: true });
    writeFileSync(
      join(noRefresh, 'application_default_credentials.json'),
      JSON.stringify({ ...user, refresh_token: '' }),
    );
    const problems = messages(gemini, { CLOUDSDK_CONFIG: noRefresh });
    expect(problems).toEqual([
      `model: gcloud's application default credentials file "${join(noRefresh, 'application_default_credentials.json')}" is a user's credentials (authorized_user) without a valid refresh_token`,
    ]);
    expect(problems.join('\n')).not.toContain('user-client-secret');
  });

  it('leave credentials to application default discovery when none are named or found', () => {
    const deployment = deploymentOf(oneModel('model: vertex_ai/gemini-2.0-flash'), {
      VERTEXAI_PROJECT: 'p',
      CLOUDSDK_CONFIG: join(dir, 'no-such-dir'),
    });
    expect(deployment?.vertex).toEqual({
      project: 'p',
      location: 'us-central1',
      publisher: 'google',
    });
  });

  it('report what is wrong without quoting the credentials', () => {
    const missing = join(dir, 'nope.json');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, `{"private_key": "${privateKey.slice(30, 60)}`);
    const noKey = JSON.stringify(
      JSON.stringify({ ...serviceAccount, private_key: undefined, client_email: 7 }),
    );
    const vertex = 'model: vertex_ai/gemini-2.0-flash, vertex_project: p';
    expect(messages(oneModel(`${vertex}, vertex_credentials: "${missing}"`))).toEqual([
      `vertex_credentials: cannot read the vertex_credentials file "${missing}" (ENOENT)`,
    ]);
    const brokenProblems = messages(oneModel(`${vertex}, vertex_credentials: "${broken}"`));
    expect(brokenProblems).toEqual([
      `vertex_credentials: the vertex_credentials file "${broken}" is not valid JSON`,
    ]);
    expect(messages(oneModel(`${vertex}, vertex_credentials: ${noKey}`))).toEqual([
      'vertex_credentials: vertex_credentials is a service account key without a valid client_email, private_key',
    ]);
    expect(messages(oneModel(`${vertex}, vertex_credentials: "{}"`))).toEqual([
      'vertex_credentials: vertex_credentials is not a Google credentials JSON (it has no "type")',
    ]);
  });

  it('refuse other publishers, api_key, a missing project, odd locations and vertex keys elsewhere', () => {
    expect(messages(oneModel('model: vertex_ai/meta/llama-3.1-405b, vertex_project: p'))).toEqual([
      'model: "vertex_ai/meta/llama-3.1-405b" is not supported: Switchyard calls Gemini (vertex_ai/gemini-…), Google text embedding (vertex_ai/text-embedding-…, vertex_ai/text-multilingual-embedding-…) and Claude (vertex_ai/claude-…) models on Vertex AI',
    ]);
    expect(
      messages(oneModel('model: vertex_ai/gemini-2.0-flash, vertex_project: p, api_key: k')),
    ).toEqual([
      'api_key: vertex_ai deployments sign in with vertex_credentials or application default credentials, not api_key',
    ]);
    expect(messages(oneModel('model: vertex_ai/gemini-2.0-flash'))).toEqual([
      'model: vertex_ai deployments need vertex_project (or VERTEXAI_PROJECT / GOOGLE_CLOUD_PROJECT in the environment, or a project_id in the credentials)',
    ]);
    expect(
      messages(
        oneModel(
          'model: vertex_ai/gemini-2.0-flash, vertex_project: p, vertex_location: "evil.example/x"',
        ),
      ),
    ).toEqual([
      'vertex_location: "evil.example/x" is not a Vertex AI location (such as us-central1, europe-west4 or global)',
    ]);
    expect(
      messages(oneModel('model: gemini/gemini-2.0-flash, api_key: k, vertex_project: p')),
    ).toEqual(['vertex_project: is for vertex_ai deployments only']);
  });
});
