import { describe, expect, it } from 'vitest';
import { ProviderError } from '../provider-error';
import { testContext } from '../spec-helpers/deployment';
import { readJsonFixture } from '../spec-helpers/fixtures';
import { adapterFor } from '../registry';
import { azureProvider } from './providers/azure.provider';
import { mistralProvider } from './providers/mistral.provider';
import { openAiProvider } from './providers/openai.provider';
import { buildOpenAiEmbeddingsRequest, parseOpenAiEmbeddings } from './openai.embeddings';

const embeddingModel = { providerModel: 'text-embedding-3-small' };

describe('OpenAI-family embeddings requests', () => {
  it('posts model, input, dimensions and user to <api_base>/embeddings, never encoding_format', () => {
    const built = buildOpenAiEmbeddingsRequest(
      openAiProvider,
      { input: ['a', 'b'], dimensions: 256, user: 'u-1', encoding_format: 'base64' },
      testContext(embeddingModel),
    );
    expect(built.url).toBe('https://api.openai.com/v1/embeddings');
    expect(built.headers['authorization']).toBe('Bearer sk-test');
    expect(JSON.parse(built.body)).toEqual({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
      dimensions: 256,
      user: 'u-1',
    });
  });

  it("calls an Azure deployment's embeddings path with its api-version, or the v1 API", () => {
    const dated = buildOpenAiEmbeddingsRequest(
      azureProvider,
      { input: 'hi' },
      testContext({
        provider: 'azure',
        providerModel: 'my-embedder',
        apiBase: 'https://x.openai.azure.com',
        apiVersion: '2024-10-21',
      }),
    );
    expect(dated.url).toBe(
      'https://x.openai.azure.com/openai/deployments/my-embedder/embeddings?api-version=2024-10-21',
    );
    expect(dated.headers['api-key']).toBe('sk-test');
    const v1 = buildOpenAiEmbeddingsRequest(
      azureProvider,
      { input: 'hi' },
      testContext({ provider: 'azure', apiBase: 'https://x.openai.azure.com' }),
    );
    expect(v1.url).toBe('https://x.openai.azure.com/openai/v1/embeddings');
  });

  it("sends dimensions under Mistral's name", () => {
    const built = buildOpenAiEmbeddingsRequest(
      mistralProvider,
      { input: 'hi', dimensions: 512 },
      testContext({ provider: 'mistral', providerModel: 'codestral-embed' }),
    );
    expect(JSON.parse(built.body)).toMatchObject({ output_dimension: 512 });
  });

  it('refuses a field it does not know unless drop_params', () => {
    const request = { input: 'hi', truncate: 'END' };
    expect(() => buildOpenAiEmbeddingsRequest(openAiProvider, request, testContext())).toThrow(
      ProviderError,
    );
    const dropped = buildOpenAiEmbeddingsRequest(openAiProvider, request, testContext({}, true));
    expect(JSON.parse(dropped.body)).not.toHaveProperty('truncate');
  });
});

describe('OpenAI-family embeddings responses', () => {
  it('reads the vectors in index order and the prompt tokens', () => {
    const parsed = parseOpenAiEmbeddings(
      'openai',
      readJsonFixture(import.meta.dirname, 'embeddings-response.json'),
    );
    expect(parsed.vectors).toEqual([
      [0.0023064255, -0.009327292, -0.0028842222],
      [0.5, -0.25, 0.125],
    ]);
    expect(parsed.promptTokens).toBe(8);
  });

  it('is a malformed_response for a body of another shape', () => {
    let caught: unknown;
    try {
      parseOpenAiEmbeddings('openai', { data: [{ index: 0, embedding: 'AAAA' }] });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProviderError);
    expect((caught as ProviderError).code).toBe('malformed_response');
  });
});

describe('which adapters have embeddings', () => {
  it('the embeddings providers do, the chat-only ones do not', () => {
    for (const provider of [
      'openai',
      'azure',
      'mistral',
      'together_ai',
      'fireworks_ai',
      'hosted_vllm',
      'ollama',
      'gemini',
      'cohere',
      'bedrock',
    ]) {
      expect(adapterFor(provider).buildEmbeddingsRequest, provider).toBeDefined();
    }
    for (const provider of ['anthropic', 'groq', 'deepseek', 'xai']) {
      expect(adapterFor(provider).buildEmbeddingsRequest, provider).toBeUndefined();
    }
  });
});
