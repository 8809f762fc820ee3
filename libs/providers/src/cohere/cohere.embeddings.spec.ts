import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { testContext } from '../spec-helpers/deployment';
import { readJsonFixture } from '../spec-helpers/fixtures';
import { buildCohereEmbeddingsRequest, parseCohereEmbeddings } from './cohere.embeddings';

const context = (dropParams = false) =>
  testContext({ provider: 'cohere', providerModel: 'embed-v4.0', apiKey: 'co-key' }, dropParams);

describe('Cohere embeddings (v2 Embed)', () => {
  it('posts texts, float embedding type, input_type and output_dimension to /v2/embed', () => {
    const built = buildCohereEmbeddingsRequest(
      { input: ['hello', 'goodbye'], dimensions: 512, encoding_format: 'base64' },
      context(),
    );
    expect(built.url).toBe('https://api.cohere.com/v2/embed');
    expect(built.headers['authorization']).toBe('Bearer co-key');
    expect(JSON.parse(built.body)).toEqual({
      model: 'embed-v4.0',
      texts: ['hello', 'goodbye'],
      input_type: 'search_document',
      embedding_types: ['float'],
      output_dimension: 512,
    });
  });

  it("passes Cohere's input_type through, and refuses one it does not know", () => {
    const built = buildCohereEmbeddingsRequest(
      { input: 'q', input_type: 'search_query' },
      context(),
    );
    expect(JSON.parse(built.body)).toMatchObject({ input_type: 'search_query' });
    expect(() =>
      buildCohereEmbeddingsRequest({ input: 'q', input_type: 'poetry' }, context()),
    ).toThrow(ProviderError);
  });

  it('refuses token ids, and user unless drop_params', () => {
    expect(() => buildCohereEmbeddingsRequest({ input: [[1, 2]] }, context())).toThrow(/token ids/);
    expect(() => buildCohereEmbeddingsRequest({ input: 'a', user: 'u' }, context())).toThrow(
      /user/,
    );
    expect(() =>
      buildCohereEmbeddingsRequest({ input: 'a', user: 'u' }, context(true)),
    ).not.toThrow();
  });

  it('reads the float vectors and the billed input tokens', () => {
    const parsed = parseCohereEmbeddings(
      readJsonFixture(import.meta.dirname, 'embed-response.json'),
    );
    expect(parsed.vectors).toEqual([
      [0.016296387, -0.008354187, -0.04699707],
      [0.25, -0.5, 0.75],
    ]);
    expect(parsed.promptTokens).toBe(2);
  });

  it('is a malformed_response without float embeddings', () => {
    expect(() => parseCohereEmbeddings({ embeddings: [[1, 2]] })).toThrow(
      expect.objectContaining({ code: 'malformed_response' }),
    );
  });
});
