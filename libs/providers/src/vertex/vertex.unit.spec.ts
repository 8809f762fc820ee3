import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import type { AdapterContext } from '../adapter';
import { ProviderError } from '../provider-error';
import { vertexAdapter } from './vertex.adapter';

/** A Vertex AI deployment as config makes it; project and location from `extra`. */
function contextOf(model: string, extra = ''): AdapterContext {
  const yaml = [
    'model_list:',
    '  - model_name: m',
    `    litellm_params: { model: vertex_ai/${model}, vertex_project: my-proj, vertex_location: europe-west4${extra} }`,
  ].join('\n');
  const deployment = parseConfig(yaml, { env: {} }).config.models['m']?.deployments[0];
  if (deployment === undefined) throw new Error('no deployment');
  return { deployment, dropParams: false, accessToken: 'ya29.test-token' };
}

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hello' },
];

describe('the Vertex AI request', () => {
  it('calls Gemini at the regional host with a Bearer token and the Gemini body', () => {
    const built = vertexAdapter.buildRequest(
      { messages, max_tokens: 20 },
      contextOf('gemini-2.0-flash'),
      { stream: false },
    );
    expect(built.url).toBe(
      'https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.0-flash:generateContent',
    );
    expect(built.headers['authorization']).toBe('Bearer ya29.test-token');
    expect(built.headers['x-goog-api-key']).toBeUndefined();
    expect(JSON.parse(built.body)).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'Hello' }] }],
      generationConfig: { maxOutputTokens: 20 },
    });
  });

  it('names a user’s quota project in x-goog-user-project, and none for a service account', () => {
    const user = JSON.stringify(
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'c',
        client_secret: 's',
        refresh_token: 'r',
        quota_project_id: 'billing-project',
      }),
    );
    const built = vertexAdapter.buildRequest(
      { messages },
      contextOf('gemini-2.0-flash', `, vertex_credentials: ${user}`),
      { stream: false },
    );
    expect(built.headers['x-goog-user-project']).toBe('billing-project');
    const plain = vertexAdapter.buildRequest({ messages }, contextOf('gemini-2.0-flash'), {
      stream: false,
    });
    expect(plain.headers['x-goog-user-project']).toBeUndefined();
  });

  it('streams Gemini with alt=sse, and uses the global host and api_base', () => {
    const global = vertexAdapter.buildRequest({ messages }, contextOf('gemini-2.5-pro'), {
      stream: true,
    });
    expect(global.url).toMatch(
      /^https:\/\/europe-west4-aiplatform\.googleapis\.com\/v1\/.*:streamGenerateContent\?alt=sse$/,
    );
    const parsed = parseConfig(
      [
        'model_list:',
        '  - model_name: m',
        '    litellm_params: { model: vertex_ai/gemini-2.5-pro, vertex_project: p, vertex_location: global }',
      ].join('\n'),
      { env: {} },
    );
    const deployment = parsed.config.models['m']?.deployments[0];
    if (deployment === undefined) throw new Error('no deployment');
    expect(
      vertexAdapter.buildRequest({ messages }, { deployment, dropParams: false }, { stream: false })
        .url,
    ).toBe(
      'https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:generateContent',
    );
    const proxied = vertexAdapter.buildRequest(
      { messages },
      contextOf('gemini-2.0-flash', ', api_base: "http://127.0.0.1:9/d/x/vertex/"'),
      { stream: false },
    );
    expect(proxied.url).toBe(
      'http://127.0.0.1:9/d/x/vertex/v1/projects/my-proj/locations/europe-west4/publishers/google/models/gemini-2.0-flash:generateContent',
    );
  });

  it('calls Claude with rawPredict / streamRawPredict, anthropic_version in the body and no model', () => {
    const context = contextOf('claude-3-5-haiku@20241022');
    const built = vertexAdapter.buildRequest({ messages, max_tokens: 30 }, context, {
      stream: false,
    });
    expect(built.url).toBe(
      'https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/publishers/anthropic/models/claude-3-5-haiku@20241022:rawPredict',
    );
    expect(built.headers['anthropic-version']).toBeUndefined();
    expect(JSON.parse(built.body)).toEqual({
      anthropic_version: 'vertex-2023-10-16',
      max_tokens: 30,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
    });
    const streamed = vertexAdapter.buildRequest({ messages }, context, { stream: true });
    expect(streamed.url).toMatch(/claude-3-5-haiku@20241022:streamRawPredict$/);
    expect(JSON.parse(streamed.body)).toMatchObject({ stream: true });
  });

  it('refuses what the vendor refuses, naming vertex_ai', () => {
    expect(() =>
      vertexAdapter.buildRequest({ messages, seed: 1 }, contextOf('claude-sonnet-4@20250514'), {
        stream: false,
      }),
    ).toThrow(
      expect.objectContaining({ type: 'bad_request', param: 'seed', provider: 'vertex_ai' }),
    );
  });
});

describe('Vertex AI errors', () => {
  it('reads Google error bodies and Anthropic ones, all naming vertex_ai', () => {
    const google = vertexAdapter.classifyError(
      401,
      JSON.stringify({
        error: {
          code: 401,
          message: 'Request had invalid authentication credentials.',
          status: 'UNAUTHENTICATED',
        },
      }),
      {},
    );
    expect(google).toBeInstanceOf(ProviderError);
    expect(google).toMatchObject({ type: 'auth', provider: 'vertex_ai', providerStatus: 401 });
    const quota = vertexAdapter.classifyError(
      429,
      JSON.stringify({
        error: { code: 429, message: 'Quota exceeded', status: 'RESOURCE_EXHAUSTED' },
      }),
      { 'retry-after': '3' },
    );
    expect(quota).toMatchObject({ type: 'rate_limit', retryAfterMs: 3000 });
    const claude = vertexAdapter.classifyError(
      529,
      JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
      {},
    );
    expect(claude).toMatchObject({
      type: 'overloaded',
      provider: 'vertex_ai',
      message: 'Overloaded',
    });
  });
});
