import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { GoogleCredentialsJson, VertexSettings } from './config.types';
import type { Env } from './env-refs';
import { firstSetVariable } from './provider-env-defaults';
import type { Provider } from './providers';
import type { RawModelEntry } from './raw-config.schema';

/** The Vertex AI location when neither the deployment nor the environment names one (LiteLLM's). */
export const defaultVertexLocation = 'us-central1';

const vertexKeys = ['vertex_project', 'vertex_location', 'vertex_credentials'] as const;

/** A location becomes part of a host name (`{location}-aiplatform.googleapis.com`). */
const locationPattern = /^[a-z][a-z0-9-]*[a-z0-9]$/;

const credentialsSchema = z.looseObject({ type: z.string().min(1) });
const serviceAccountSchema = z.looseObject({
  client_email: z.string().min(1),
  private_key: z.string().min(1),
  token_uri: z.url({ protocol: /^https?$/ }).optional(),
});
const authorizedUserSchema = z.looseObject({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  refresh_token: z.string().min(1),
  token_uri: z.url({ protocol: /^https?$/ }).optional(),
  quota_project_id: z.string().min(1).optional(),
});

/** The file gcloud writes a user's application default credentials to, in its config dir. */
const gcloudAdcFileName = 'application_default_credentials.json';

type Params = RawModelEntry['litellm_params'];
type Problem = (key: string, message: string) => void;

/**
 * Whose model a Vertex AI model name is: `gemini-…` is Google's (generateContent, and
 * gemini-embedding-001's predict), and so are Google's text embedding models
 * (`text-embedding-…`, `text-multilingual-embedding-…`, `textembedding-gecko…`: predict);
 * `claude-…` is Anthropic's (rawPredict). Other publishers (Llama, Mistral, …) and endpoint ids
 * are not spoken.
 */
function publisherOf(model: string): VertexSettings['publisher'] | undefined {
  if (/^(?:gemini-|text-embedding-|text-multilingual-embedding-|textembedding-gecko)/.test(model)) {
    return 'google';
  }
  if (/^claude-/.test(model)) return 'anthropic';
  return undefined;
}

/**
 * The Vertex AI part of a deployment (`vertex_ai/<model>`): the publisher from the model name,
 * the Google credentials (see credentialsOf), the project (`vertex_project`, else VERTEXAI_PROJECT,
 * else GOOGLE_CLOUD_PROJECT, else the credentials' `project_id`) and the location
 * (`vertex_location`, else VERTEXAI_LOCATION, else us-central1). The `vertex_*` keys on another
 * provider, and `api_key` on Vertex AI, are problems. Returns `{}` for another provider, and
 * undefined after reporting a problem.
 */
export function vertexSettingsOf(
  provider: Provider,
  providerModel: string,
  params: Params,
  env: Env,
  problem: Problem,
): { vertex?: VertexSettings } | undefined {
  if (provider !== 'vertex_ai') {
    const given = vertexKeys.filter((key) => params[key] !== undefined);
    for (const key of given) problem(key, 'is for vertex_ai deployments only');
    return given.length > 0 ? undefined : {};
  }
  const publisher = publisherOf(providerModel);
  if (publisher === undefined) {
    problem(
      'model',
      `"vertex_ai/${providerModel}" is not supported: Switchyard calls Gemini (vertex_ai/gemini-…), Google text embedding (vertex_ai/text-embedding-…, vertex_ai/text-multilingual-embedding-…) and Claude (vertex_ai/claude-…) models on Vertex AI`,
    );
    return undefined;
  }
  if (params.api_key !== undefined) {
    problem(
      'api_key',
      'vertex_ai deployments sign in with vertex_credentials or application default credentials, not api_key',
    );
    return undefined;
  }
  const location =
    params.vertex_location ??
    firstSetVariable(env, ['VERTEXAI_LOCATION'])?.value ??
    defaultVertexLocation;
  if (!locationPattern.test(location)) {
    problem(
      params.vertex_location === undefined ? 'model' : 'vertex_location',
      `"${location}" is not a Vertex AI location (such as us-central1, europe-west4 or global)`,
    );
    return undefined;
  }
  const credentials = credentialsOf(params, env, problem);
  if (credentials === 'invalid') return undefined;
  const project =
    params.vertex_project ??
    firstSetVariable(env, ['VERTEXAI_PROJECT', 'GOOGLE_CLOUD_PROJECT'])?.value ??
    credentials?.project_id;
  if (project === undefined || project.trim() === '') {
    problem(
      'model',
      'vertex_ai deployments need vertex_project (or VERTEXAI_PROJECT / GOOGLE_CLOUD_PROJECT in the environment, or a project_id in the credentials)',
    );
    return undefined;
  }
  return {
    vertex: { project, location, publisher, ...(credentials === undefined ? {} : { credentials }) },
  };
}

/**
 * gcloud's application default credentials file (`gcloud auth application-default login`),
 * where google-auth-library looks for it: in CLOUDSDK_CONFIG, else `%APPDATA%/gcloud` on
 * Windows, else `$HOME/.config/gcloud`. Undefined when there is no such directory.
 */
export function gcloudAdcFile(env: Env): string | undefined {
  const configDir =
    firstSetVariable(env, ['CLOUDSDK_CONFIG'])?.value ??
    (process.platform === 'win32'
      ? mapDefined(firstSetVariable(env, ['APPDATA'])?.value, (appData) => join(appData, 'gcloud'))
      : mapDefined(firstSetVariable(env, ['HOME'])?.value, (home) =>
          join(home, '.config', 'gcloud'),
        ));
  return configDir === undefined ? undefined : join(configDir, gcloudAdcFileName);
}

function mapDefined<T, U>(value: T | undefined, map: (value: T) => U): U | undefined {
  return value === undefined ? undefined : map(value);
}

/** Where a deployment's credentials JSON comes from, and how problems name it. */
type CredentialsSource =
  | { readonly kind: 'inline'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string; readonly origin: string; readonly key: string };

/**
 * Where the credentials of a deployment are, as application default credentials are found: the
 * deployment's `vertex_credentials` (the JSON itself when it starts with `{`, as LiteLLM reads
 * it, else a file's path), else the file GOOGLE_APPLICATION_CREDENTIALS names, else gcloud's
 * application default credentials file when it exists. Undefined: none of them (on Google Cloud
 * google-auth-library then asks the metadata server).
 */
function credentialsSource(params: Params, env: Env): CredentialsSource | undefined {
  const inFile = params.vertex_credentials?.trim();
  if (inFile !== undefined) {
    return inFile.startsWith('{')
      ? { kind: 'inline', text: inFile }
      : {
          kind: 'file',
          path: inFile,
          origin: `the vertex_credentials file "${inFile}"`,
          key: 'vertex_credentials',
        };
  }
  const fromEnv = firstSetVariable(env, ['GOOGLE_APPLICATION_CREDENTIALS'])?.value;
  if (fromEnv !== undefined) {
    return {
      kind: 'file',
      path: fromEnv,
      origin: `the file GOOGLE_APPLICATION_CREDENTIALS names ("${fromEnv}")`,
      key: 'model',
    };
  }
  const gcloud = gcloudAdcFile(env);
  if (gcloud === undefined || !existsSync(gcloud)) return undefined;
  return {
    kind: 'file',
    path: gcloud,
    origin: `gcloud's application default credentials file "${gcloud}"`,
    key: 'model',
  };
}

/**
 * The Google credentials of a Vertex AI deployment (see credentialsSource), read once, here, so
 * that a missing or broken file stops the start-up. A service account key needs `client_email`
 * and `private_key`, a user's credentials (`authorized_user`) `client_id`, `client_secret` and
 * `refresh_token`; other types are handed to google-auth-library as they are. Problems never
 * quote the content (it holds the key).
 */
function credentialsOf(
  params: Params,
  env: Env,
  problem: Problem,
): GoogleCredentialsJson | undefined | 'invalid' {
  const source = credentialsSource(params, env);
  if (source === undefined) return undefined;
  const key = source.kind === 'inline' ? 'vertex_credentials' : source.key;
  const origin = source.kind === 'inline' ? 'vertex_credentials' : source.origin;
  let text: string;
  if (source.kind === 'inline') {
    text = source.text;
  } else {
    try {
      text = readFileSync(source.path, 'utf8');
    } catch (error) {
      const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
      problem(key, `cannot read ${origin} (${code})`);
      return 'invalid';
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    problem(key, `${origin} is not valid JSON`);
    return 'invalid';
  }
  const parsed = credentialsSchema.safeParse(json);
  if (!parsed.success) {
    problem(key, `${origin} is not a Google credentials JSON (it has no "type")`);
    return 'invalid';
  }
  const fieldsSchema =
    parsed.data.type === 'service_account'
      ? serviceAccountSchema
      : parsed.data.type === 'authorized_user'
        ? authorizedUserSchema
        : undefined;
  const checked = fieldsSchema?.safeParse(parsed.data);
  if (checked !== undefined && !checked.success) {
    const fields = [...new Set(checked.error.issues.map((issue) => String(issue.path[0] ?? '?')))];
    const what =
      parsed.data.type === 'service_account'
        ? 'a service account key'
        : "a user's credentials (authorized_user)";
    problem(key, `${origin} is ${what} without a valid ${fields.join(', ')}`);
    return 'invalid';
  }
  return parsed.data;
}
