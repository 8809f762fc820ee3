import { readFileSync } from 'node:fs';
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

type Params = RawModelEntry['litellm_params'];
type Problem = (key: string, message: string) => void;

/**
 * Whose model a Vertex AI model name is: `gemini-…` is Google's (generateContent), `claude-…`
 * Anthropic's (rawPredict). Other publishers (Llama, Mistral, …) and endpoint ids are not spoken.
 */
function publisherOf(model: string): VertexSettings['publisher'] | undefined {
  if (/^gemini-/.test(model)) return 'google';
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
      `"vertex_ai/${providerModel}" is not supported: Switchyard calls Gemini (vertex_ai/gemini-…) and Claude (vertex_ai/claude-…) models on Vertex AI`,
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
 * The Google credentials of a Vertex AI deployment: `vertex_credentials`, which is the credentials
 * JSON itself when it starts with `{` and otherwise the path of a file holding it (as LiteLLM
 * reads it), else the file GOOGLE_APPLICATION_CREDENTIALS names. Read once, here, so that a
 * missing or broken file stops the start-up. Problems never quote the content (it holds the key).
 */
function credentialsOf(
  params: Params,
  env: Env,
  problem: Problem,
): GoogleCredentialsJson | undefined | 'invalid' {
  const inFile = params.vertex_credentials?.trim();
  const fromEnv =
    inFile === undefined ? firstSetVariable(env, ['GOOGLE_APPLICATION_CREDENTIALS']) : undefined;
  if (inFile === undefined && fromEnv === undefined) return undefined;
  const key = inFile === undefined ? 'model' : 'vertex_credentials';
  const origin =
    inFile === undefined
      ? `the file GOOGLE_APPLICATION_CREDENTIALS names ("${fromEnv?.value}")`
      : inFile.startsWith('{')
        ? 'vertex_credentials'
        : `the vertex_credentials file "${inFile}"`;
  let text: string;
  if (inFile?.startsWith('{') === true) {
    text = inFile;
  } else {
    const path = inFile ?? fromEnv?.value ?? '';
    try {
      text = readFileSync(path, 'utf8');
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
  if (parsed.data.type === 'service_account') {
    const account = serviceAccountSchema.safeParse(parsed.data);
    if (!account.success) {
      const fields = [
        ...new Set(account.error.issues.map((issue) => String(issue.path[0] ?? '?'))),
      ];
      problem(key, `${origin} is a service account key without a valid ${fields.join(', ')}`);
      return 'invalid';
    }
  }
  return parsed.data;
}
