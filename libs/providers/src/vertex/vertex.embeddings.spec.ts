import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import type { AdapterContext } from '../adapter';
import { ProviderError } from '../provider-error';
import { readJsonFixture, readTextFixture } from '../spec-helpers/fixtures';
import { vertexAdapter } from './vertex.adapter';

/** A Vertex AI deployment of `model` in europe-west4, as config makes it. */
function contextOf(model: string, dropParams = false, extra = ''): AdapterContext {
  const yaml = [
    'model_list:',
    '  - model_name: m',
    `    litellm_params: { model: vertex_ai/${model}, vertex_project: my-proj, vertex_location: europe-west4${extra} }`,
  ].join('\n');
  const deployment = parseConfig(yaml, { env: {} }).config.models['m']?.deployments[0];
  if (deployment === undefined) throw new Error('no deployment');
  return { deployment, dropParams, accessToken: 'ya29.test-token' };
}

const build = vertexAdapter.buildEmbeddingsRequest;
const parse = vertexAdapter.parseEmbeddingsResponse;
if (build === undefined || parse === undefined) throw new Error('vertex_ai has no embeddings');

describe('Vertex AI embeddings request', () => {
  it('calls :predict with one {content} instance per text and outputDimensionality', () => {
    const built = build({ input: ['a', 'b'], dimensions: 256 }, contextOf('text-embedding-005'));
    expect(built.url).toBe(
      'https://europe-west4-aiplatform.googleapis.com/v1/projects/my-proj/locations/europe-west4/publishers/google/models/text-embedding-005:predict',
    );
    expect(built.headers['authorization']).toBe('Bearer ya29.test-token');
    expect(JSON.parse(built.body)).toEqual({
      instances: [{ content: 'a' }, { content: 'b' }],
      parameters: { outputDimensionality: 256 },
    });
  });

  it('sends no parameters without dimensions, and passes task_type and auto_truncate', () => {
    const plain = build({ input: 'one text' }, contextOf('text-multilingual-embedding-002'));
    expect(JSON.parse(plain.body)).toEqual({ instances: [{ content: 'one text' }] });
    const tuned = build(
      { input: ['q'], task_type: 'RETRIEVAL_QUERY', auto_truncate: false },
      contextOf('gemini-embedding-001'),
    );
    expect(JSON.parse(tuned.body)).toEqual({
      instances: [{ content: 'q', task_type: 'RETRIEVAL_QUERY' }],
      parameters: { autoTruncate: false },
    });
  });

  it('names a user’s quota project and honours api_base', () => {
    const user = JSON.stringify(
      JSON.stringify({
        type: 'authorized_user',
        client_id: 'c',
        client_secret: 's',
        refresh_token: 'r',
        quota_project_id: 'billing-project',
      }),
    );
    const built = build(
      { input: 'x' },
      contextOf(
        'text-embedding-005',
        false,
        `, vertex_credentials: ${user}, api_base: "http://127.0.0.1:9/d/e/vertex"`,
      ),
    );
    expect(built.headers['x-goog-user-project']).toBe('billing-project');
    expect(built.url).toBe(
      'http://127.0.0.1:9/d/e/vertex/v1/projects/my-proj/locations/europe-west4/publishers/google/models/text-embedding-005:predict',
    );
  });

  it('refuses more texts than the model takes per call: one for gemini-embedding-001, 250 else', () => {
    expect(() => build({ input: ['a', 'b'] }, contextOf('gemini-embedding-001'))).toThrow(
      expect.objectContaining({
        type: 'bad_request',
        code: 'invalid_value',
        param: 'input',
        provider: 'vertex_ai',
      }),
    );
    const texts = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
    const full = JSON.parse(build({ input: texts(250) }, contextOf('text-embedding-005')).body) as {
      instances: unknown[];
    };
    expect(full.instances).toHaveLength(250);
    expect(() => build({ input: texts(251) }, contextOf('text-embedding-005'))).toThrow(
      /at most 250 inputs per call; this request has 251/,
    );
  });

  it('refuses token ids, user and unknown fields unless drop_params, and a bad task_type', () => {
    const context = contextOf('text-embedding-005');
    expect(() => build({ input: [1, 2, 3] }, context)).toThrow(
      expect.objectContaining({ code: 'unsupported_parameter', param: 'input' }),
    );
    expect(() => build({ input: 'a', user: 'u' }, context)).toThrow(
      expect.objectContaining({ param: 'user', provider: 'vertex_ai' }),
    );
    expect(() => build({ input: 'a', title: 't' }, context)).toThrow(/title is not supported/);
    expect(
      JSON.parse(
        build({ input: 'a', user: 'u', title: 't' }, contextOf('text-embedding-005', true)).body,
      ),
    ).toEqual({ instances: [{ content: 'a' }] });
    expect(() => build({ input: 'a', task_type: 'SEARCH' }, context)).toThrow(
      expect.objectContaining({ code: 'invalid_value', param: 'task_type' }),
    );
  });

  it('refuses Claude, chat models and embedContent-only Gemini models as embeddings_not_supported', () => {
    for (const model of ['claude-3-5-haiku@20241022', 'gemini-2.0-flash', 'gemini-embedding-2']) {
      expect(() => build({ input: 'a' }, contextOf(model)), model).toThrow(
        expect.objectContaining({
          type: 'bad_request',
          code: 'embeddings_not_supported',
          param: 'model',
          provider: 'vertex_ai',
        }),
      );
    }
  });
});

describe('Vertex AI embeddings response', () => {
  it('reads the vectors in order and sums statistics.token_count', () => {
    const parsed = parse(
      readJsonFixture(import.meta.dirname, 'predict-embeddings-response.json'),
      contextOf('text-embedding-005'),
    );
    expect(parsed.vectors).toEqual([
      [0.0123, -0.0456, 0.0789],
      [-0.25, 0.5, 0.75],
    ]);
    expect(parsed.promptTokens).toBe(10);
  });

  it('leaves the count to the worker when a prediction has no statistics', () => {
    const parsed = parse(
      { predictions: [{ embeddings: { values: [1] } }] },
      contextOf('text-embedding-005'),
    );
    expect(parsed).toEqual({ vectors: [[1]], promptTokens: undefined });
  });

  it('is a malformed_response naming vertex_ai for a body of another shape', () => {
    expect(() => parse({ embeddings: [{ values: [1] }] }, contextOf('text-embedding-005'))).toThrow(
      expect.objectContaining({ code: 'malformed_response', provider: 'vertex_ai' }),
    );
  });

  it('classifies Vertex’s INVALID_ARGUMENT as a bad_request naming vertex_ai', () => {
    const error = vertexAdapter.classifyError(
      400,
      readTextFixture(import.meta.dirname, 'error-400-invalid-argument.json'),
      {},
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'bad_request',
      provider: 'vertex_ai',
      providerStatus: 400,
    });
  });
});
