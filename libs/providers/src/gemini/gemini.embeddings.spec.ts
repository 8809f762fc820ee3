import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { testContext } from '../spec-helpers/deployment';
import { readJsonFixture } from '../spec-helpers/fixtures';
import { buildGeminiEmbeddingsRequest, parseGeminiEmbeddings } from './gemini.embeddings';

const context = (dropParams = false) =>
  testContext(
    { provider: 'gemini', providerModel: 'gemini-embedding-001', apiKey: 'g-key' },
    dropParams,
  );

describe('Gemini embeddings', () => {
  it('asks batchEmbedContents for one request per input, with outputDimensionality', () => {
    const built = buildGeminiEmbeddingsRequest({ input: ['a', 'b'], dimensions: 768 }, context());
    expect(built.url).toBe(
      'https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents',
    );
    expect(built.headers['x-goog-api-key']).toBe('g-key');
    expect(JSON.parse(built.body)).toEqual({
      requests: [
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'a' }] },
          outputDimensionality: 768,
        },
        {
          model: 'models/gemini-embedding-001',
          content: { parts: [{ text: 'b' }] },
          outputDimensionality: 768,
        },
      ],
    });
  });

  it('refuses token-id input, and user unless drop_params', () => {
    expect(() => buildGeminiEmbeddingsRequest({ input: [1, 2, 3] }, context())).toThrow(
      ProviderError,
    );
    expect(() => buildGeminiEmbeddingsRequest({ input: 'a', user: 'u' }, context())).toThrow(
      /user/,
    );
    expect(() =>
      buildGeminiEmbeddingsRequest({ input: 'a', user: 'u' }, context(true)),
    ).not.toThrow();
  });

  it('reads the vectors in order; no usage is reported', () => {
    const parsed = parseGeminiEmbeddings(
      readJsonFixture(import.meta.dirname, 'embeddings-batch-response.json'),
    );
    expect(parsed.vectors).toEqual([
      [0.013168523, -0.008711934, -0.046782676],
      [0.25, 0.5, -0.75],
    ]);
    expect(parsed.promptTokens).toBeUndefined();
  });

  it('is a malformed_response for a body of another shape', () => {
    expect(() => parseGeminiEmbeddings({ embedding: { values: [1] } })).toThrow(
      expect.objectContaining({ code: 'malformed_response' }),
    );
  });
});
