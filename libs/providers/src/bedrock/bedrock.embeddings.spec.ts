import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { testContext } from '../spec-helpers/deployment';
import { buildBedrockEmbeddingsRequest, parseBedrockEmbeddings } from './bedrock.embeddings';

const context = (providerModel: string, dropParams = false) =>
  testContext({ provider: 'bedrock', providerModel, awsRegion: 'eu-west-1' }, dropParams);

describe('Bedrock embeddings (invoke)', () => {
  it('asks Titan for one normalized vector with its dimensions', () => {
    const built = buildBedrockEmbeddingsRequest(
      { input: 'hello', dimensions: 256 },
      context('amazon.titan-embed-text-v2:0'),
    );
    expect(built.url).toBe(
      'https://bedrock-runtime.eu-west-1.amazonaws.com/model/amazon.titan-embed-text-v2%3A0/invoke',
    );
    expect(JSON.parse(built.body)).toEqual({
      inputText: 'hello',
      normalize: true,
      dimensions: 256,
    });
  });

  it('asks Cohere Embed for float vectors of a list, input_type passed through', () => {
    const built = buildBedrockEmbeddingsRequest(
      { input: ['a', 'b'], input_type: 'search_query' },
      context('cohere.embed-english-v3'),
    );
    expect(JSON.parse(built.body)).toEqual({
      texts: ['a', 'b'],
      input_type: 'search_query',
      embedding_types: ['float'],
    });
  });

  it('refuses other models, Titan lists and token ids', () => {
    const refused = (action: () => unknown) => {
      try {
        action();
      } catch (error) {
        if (error instanceof ProviderError) return error;
      }
      throw new Error('expected a ProviderError');
    };
    expect(
      refused(() =>
        buildBedrockEmbeddingsRequest({ input: 'a' }, context('anthropic.claude-3-5-haiku')),
      ),
    ).toMatchObject({ type: 'bad_request', code: 'embeddings_not_supported' });
    expect(
      refused(() =>
        buildBedrockEmbeddingsRequest(
          { input: ['a', 'b'] },
          context('amazon.titan-embed-text-v2:0'),
        ),
      ),
    ).toMatchObject({ param: 'input' });
    expect(
      refused(() =>
        buildBedrockEmbeddingsRequest({ input: [1, 2] }, context('cohere.embed-english-v3')),
      ),
    ).toMatchObject({ param: 'input' });
  });

  it("reads Titan's vector and token count, and Cohere's by-type or plain vectors", () => {
    expect(parseBedrockEmbeddings({ embedding: [0.1, 0.2], inputTextTokenCount: 3 })).toEqual({
      vectors: [[0.1, 0.2]],
      promptTokens: 3,
    });
    expect(parseBedrockEmbeddings({ embeddings: { float: [[1], [2]] } }).vectors).toEqual([
      [1],
      [2],
    ]);
    expect(parseBedrockEmbeddings({ embeddings: [[3]] }).vectors).toEqual([[3]]);
    expect(() => parseBedrockEmbeddings({ vectors: [] })).toThrow(ProviderError);
  });
});
