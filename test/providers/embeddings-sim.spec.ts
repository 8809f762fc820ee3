import { parseConfig, type Deployment } from '@switchyard/config';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { adapterFor, createEmbeddings, ProviderError } from '@switchyard/providers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceAccount, vertexCredentialsParam } from './vertex-service-account';

/**
 * The embeddings adapters (OpenAI, Azure, Gemini, Cohere, Bedrock, Vertex AI) against the
 * simulator's embeddings APIs: no queue, one call each.
 */
describe('embeddings adapters against the simulator', () => {
  let sim: ProviderSimHandle;

  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  /** A deployment named `name` on the simulator, from a `litellm_params` flow mapping body. */
  function deployment(name: string, params: string, apiKey = true): Deployment {
    const yaml = [
      'model_list:',
      `  - model_name: ${name}`,
      `    litellm_params: { ${params}${apiKey ? ', api_key: sim-key' : ''} }`,
    ].join('\n');
    const parsed = parseConfig(yaml, { env: {} }).config.models[name]?.deployments[0];
    if (parsed === undefined) throw new Error('no deployment parsed');
    return parsed;
  }

  const embed = (d: Deployment, input: string | string[], dimensions?: number) =>
    createEmbeddings(
      adapterFor(d.provider),
      { input, ...(dimensions === undefined ? {} : { dimensions }) },
      { deployment: d, dropParams: false },
    );

  it('gives every provider the same deterministic unit vectors for the same text', async () => {
    const openai = deployment(
      'emb-openai',
      `model: openai/text-embedding-3-small, api_base: "${sim.url}/d/emb-openai/v1"`,
    );
    const azureDated = deployment(
      'emb-azure',
      `model: azure/embedder, api_base: "${sim.url}/d/emb-azure", api_version: 2024-10-21`,
    );
    const azureV1 = deployment(
      'emb-azure-v1',
      `model: azure/embedder, api_base: "${sim.url}/d/emb-azure-v1/azure"`,
    );
    const gemini = deployment(
      'emb-gemini',
      `model: gemini/gemini-embedding-001, api_base: "${sim.url}/d/emb-gemini"`,
    );
    const cohere = deployment(
      'emb-cohere',
      `model: cohere/embed-v4.0, api_base: "${sim.url}/d/emb-cohere/cohere"`,
    );
    const answers = await Promise.all(
      [openai, azureDated, azureV1, gemini, cohere].map((d) => embed(d, ['alpha', 'beta'], 24)),
    );
    const [first] = answers;
    for (const answer of answers) {
      expect(answer.vectors).toHaveLength(2);
      expect(answer.vectors[0]).toHaveLength(24);
      expect(Math.hypot(...(answer.vectors[0] ?? []))).toBeCloseTo(1, 6);
      expect(answer.vectors).toEqual(first?.vectors);
    }
    expect(first?.vectors[0]).not.toEqual(first?.vectors[1]);
    expect(answers[0]?.promptTokens).toBeGreaterThan(0);
    expect(answers[3]?.promptTokens).toBeUndefined();
    expect(answers[4]?.promptTokens).toBe(answers[0]?.promptTokens);
    const stats = sim.stats().deployments;
    for (const name of ['emb-openai', 'emb-azure', 'emb-azure-v1', 'emb-gemini', 'emb-cohere']) {
      expect(stats[name]?.requests, name).toBe(1);
    }
  });

  it('embeds on Bedrock through a SigV4-signed invoke: Titan one text, Cohere a list', async () => {
    const aws = (name: string, model: string) =>
      deployment(
        name,
        [
          `model: bedrock/${model}`,
          `aws_bedrock_runtime_endpoint: "${sim.url}/d/${name}/bedrock"`,
          'aws_access_key_id: AKIDSIMULATOR, aws_secret_access_key: sim-secret',
          'aws_region_name: us-east-1',
        ].join(', '),
      );
    const titan = aws('emb-titan', 'amazon.titan-embed-text-v2:0');
    const cohere = aws('emb-bedrock-cohere', 'cohere.embed-english-v3');
    const openai = deployment(
      'emb-openai-2',
      `model: openai/text-embedding-3-small, api_base: "${sim.url}/d/emb-openai-2/v1"`,
    );
    const titanAnswer = await embed(titan, 'alpha', 16);
    expect(titanAnswer.vectors).toEqual((await embed(openai, 'alpha', 16)).vectors);
    expect(titanAnswer.promptTokens).toBeGreaterThan(0);
    const cohereAnswer = await embed(cohere, ['alpha', 'beta']);
    expect(cohereAnswer.vectors).toHaveLength(2);
    expect(cohereAnswer.vectors[0]).toHaveLength(1024);
    expect(cohereAnswer.promptTokens).toBeUndefined();
    const tooMany = await embed(titan, ['a', 'b']).catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ type: 'bad_request', param: 'input' });
    expect(sim.stats().deployments['emb-titan']?.requests).toBe(1);
  });

  it('embeds on Vertex AI through :predict, signed in with a service account, counting tokens', async () => {
    const account = testServiceAccount(sim.url);
    sim.addGoogleServiceAccount(account.credentials.client_email, account.publicKeyPem);
    const vertex = (name: string, model: string) =>
      deployment(
        name,
        [
          `model: vertex_ai/${model}`,
          'vertex_project: sim-project, vertex_location: us-central1',
          `api_base: "${sim.url}/d/${name}/vertex"`,
          vertexCredentialsParam(account.credentials),
        ].join(', '),
        false,
      );
    const textEmbedding = vertex('emb-vertex', 'text-embedding-005');
    const gemini = vertex('emb-vertex-gemini', 'gemini-embedding-001');
    const openai = deployment(
      'emb-openai-3',
      `model: openai/text-embedding-3-small, api_base: "${sim.url}/d/emb-openai-3/v1"`,
    );
    const tokensBefore = sim.stats().google.tokensIssued;
    const [vertexAnswer, openAiAnswer] = await Promise.all([
      embed(textEmbedding, ['alpha', 'beta'], 24),
      embed(openai, ['alpha', 'beta'], 24),
    ]);
    expect(vertexAnswer.vectors).toEqual(openAiAnswer.vectors);
    expect(vertexAnswer.promptTokens).toBe(openAiAnswer.promptTokens);
    expect(vertexAnswer.promptTokens).toBe(
      sim.calls({ deployment: 'emb-vertex' })[0]?.promptTokens,
    );
    expect((await embed(textEmbedding, 'x')).vectors[0]).toHaveLength(768);
    const geminiAnswer = await embed(gemini, 'alpha');
    expect(geminiAnswer.vectors[0]).toHaveLength(3072);
    expect(geminiAnswer.promptTokens).toBeGreaterThan(0);
    const tooMany = await embed(gemini, ['a', 'b']).catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ type: 'bad_request', param: 'input', provider: 'vertex_ai' });
    expect(sim.stats().google.tokensIssued - tokensBefore).toBe(1);
    expect(sim.stats().deployments['emb-vertex']?.requests).toBe(2);
    expect(sim.stats().deployments['emb-vertex-gemini']?.requests).toBe(1);

    sim.addFaults([{ deployment: 'emb-vertex', fault: 'rate_limit; retry_after=2', count: 1 }]);
    const limited = await embed(textEmbedding, 'x').catch((e: unknown) => e);
    expect(limited).toBeInstanceOf(ProviderError);
    expect(limited).toMatchObject({
      type: 'rate_limit',
      retryAfterMs: 2_000,
      provider: 'vertex_ai',
    });
    sim.addFaults([{ deployment: 'emb-vertex', fault: 'server_error', count: 1 }]);
    expect(await embed(textEmbedding, 'x').catch((e: unknown) => e)).toMatchObject({
      type: 'server',
      provider: 'vertex_ai',
    });
    expect((await embed(textEmbedding, 'x')).vectors).toHaveLength(1);
    expect(sim.stats().deployments['emb-vertex']?.faults).toEqual({
      rate_limit: 1,
      server_error: 1,
    });
    expect(sim.calls({ deployment: 'emb-vertex' })).toHaveLength(5);
  });

  it("uses the model's default dimensions without a request for fewer", async () => {
    const large = deployment(
      'emb-large',
      `model: openai/text-embedding-3-large, api_base: "${sim.url}/d/emb-large/v1"`,
    );
    expect((await embed(large, 'x')).vectors[0]).toHaveLength(3072);
  });

  it("applies the simulator's faults: a 429 is a classified rate_limit with its retry-after", async () => {
    const limited = deployment(
      'emb-limited',
      `model: openai/text-embedding-3-small, api_base: "${sim.url}/d/emb-limited/v1"`,
    );
    sim.addFaults([{ deployment: 'emb-limited', fault: 'rate_limit; retry_after=3', count: 1 }]);
    const error = await embed(limited, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'rate_limit', retryAfterMs: 3_000 });
    expect((await embed(limited, 'x')).vectors).toHaveLength(1);
    expect(sim.stats().deployments['emb-limited']?.faults).toEqual({ rate_limit: 1 });
  });
});
