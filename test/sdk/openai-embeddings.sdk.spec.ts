import OpenAI, { BadRequestError, NotFoundError } from 'openai';
import { readUsageEvents } from '../cluster/usage-events.test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayStack, type GatewayStack } from '../gateway/gateway-stack.test-support';

/** The length of a vector: the simulator's are unit vectors. */
const norm = (vector: readonly number[]) => Math.hypot(...vector);

/** A base64 embedding as OpenAI sends it (little-endian float32s) read back into numbers. */
function decodeBase64Embedding(text: string): number[] {
  const bytes = Buffer.from(text, 'base64');
  return Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
}

/**
 * The official openai SDK calling the gateway's `/v1/embeddings` with a virtual key, through
 * real workers (openai, gemini and anthropic pools), the fallback router and the simulator.
 */
describe('openai SDK embeddings against the gateway', () => {
  let stack: GatewayStack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startGatewayStack(
      'gw-embed',
      {
        models: {
          'embed-small': [{ provider: 'openai', model: 'text-embedding-3-small' }],
          'embed-gemini': [{ provider: 'gemini', model: 'gemini-embedding-001' }],
          'embed-flaky': [{ provider: 'openai', model: 'text-embedding-3-small' }],
          'chat-only': 'anthropic',
        },
        router:
          '{ num_retries: 1, allowed_fails: 100, cooldown_time: 1, fallbacks: [{ embed-flaky: [embed-gemini] }] }',
      },
      ['openai', 'gemini', 'anthropic'],
    );
    const { secret } = await stack.keys.create({ tenant: 'acme' });
    client = new OpenAI({ apiKey: secret, baseURL: `${stack.gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const simRequests = (model: string) =>
    stack.servers.sim.stats().deployments[stack.install.simName(model)]?.requests ?? 0;

  it('embeds a string: the SDK asks for base64 and decodes it; floats and base64 agree', async () => {
    const before = simRequests('embed-small');
    const decoded = await client.embeddings.create({ model: 'embed-small', input: 'blue train' });
    expect(decoded.object).toBe('list');
    expect(decoded.model).toBe('embed-small');
    const vector = decoded.data[0]?.embedding ?? [];
    expect(vector).toHaveLength(1536);
    expect(norm(vector)).toBeCloseTo(1, 4);
    expect(decoded.usage.prompt_tokens).toBeGreaterThan(0);
    expect(decoded.usage.total_tokens).toBe(decoded.usage.prompt_tokens);

    const floats = await client.embeddings.create({
      model: 'embed-small',
      input: 'blue train',
      encoding_format: 'float',
    });
    const floatVector = floats.data[0]?.embedding ?? [];
    expect(floatVector).toHaveLength(1536);
    floatVector.forEach((value, i) => expect(vector[i]).toBeCloseTo(value, 6));

    const base64 = await client.embeddings.create({
      model: 'embed-small',
      input: 'blue train',
      encoding_format: 'base64',
    });
    const text = base64.data[0]?.embedding as unknown;
    expect(typeof text).toBe('string');
    expect(decodeBase64Embedding(text as string)).toEqual(vector);
    expect(simRequests('embed-small') - before).toBe(3);
  });

  it('embeds an array of inputs with dimensions, one vector per input in order', async () => {
    const result = await client.embeddings.create({
      model: 'embed-small',
      input: ['red', 'green', 'red'],
      dimensions: 64,
    });
    expect(result.data.map((item) => item.index)).toEqual([0, 1, 2]);
    for (const item of result.data) {
      expect(item.embedding).toHaveLength(64);
      expect(norm(item.embedding)).toBeCloseTo(1, 4);
    }
    expect(result.data[0]?.embedding).toEqual(result.data[2]?.embedding);
    expect(result.data[0]?.embedding).not.toEqual(result.data[1]?.embedding);
  });

  it('bills each request once in the usage stream, prompt tokens only, priced', async () => {
    const response = await client.embeddings
      .create({ model: 'embed-small', input: 'billed once please' })
      .withResponse();
    const jobId = response.response.headers.get('x-switchyard-job-id');
    const body = response.data as unknown as { switchyard: { cost_usd: number; job_id: string } };
    expect(body.switchyard.job_id).toBe(jobId);
    const { events } = await readUsageEvents(stack.pipeline.nc, stack.install.prefix);
    const billed = events.filter((event) => event.job_id === jobId);
    expect(billed).toHaveLength(1);
    const [event] = billed;
    expect(event).toMatchObject({
      tenant: 'acme',
      model: 'embed-small',
      status: 'success',
      provider_model: 'text-embedding-3-small',
      completion_tokens: 0,
      prompt_tokens: response.data.usage.prompt_tokens,
    });
    // text-embedding-3-small: $0.02 per 1M tokens.
    expect(event?.cost_usd).toBeCloseTo((response.data.usage.prompt_tokens * 0.02) / 1e6, 12);
    expect(body.switchyard.cost_usd).toBe(event?.cost_usd);
  });

  it('embeds on Gemini (batchEmbedContents), counting the tokens Gemini does not report', async () => {
    const result = await client.embeddings.create({
      model: 'embed-gemini',
      input: ['one', 'two'],
      dimensions: 32,
      encoding_format: 'float',
    });
    expect(result.data).toHaveLength(2);
    expect(result.data[0]?.embedding).toHaveLength(32);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown model', async () => {
    const error = await client.embeddings
      .create({ model: 'no-such-model', input: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('answers 400 for a model whose provider has no embeddings', async () => {
    const error = await client.embeddings
      .create({ model: 'chat-only', input: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toContain(
      'model chat-only (provider anthropic) does not support embeddings',
    );
    expect(
      stack.servers.sim.stats().deployments[stack.install.simName('chat-only')],
    ).toBeUndefined();
  });

  it('answers 400 for an invalid body without queueing it', async () => {
    const error = await client.embeddings
      .create({ model: 'embed-small', input: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).param).toBe('input');
  });

  it('retries a faulted deployment, then falls back to the next model', async () => {
    const sim = stack.install.simName('embed-flaky');
    stack.servers.sim.addFaults([{ deployment: sim, fault: 'server_error', count: 1_000 }]);
    const result = await client.embeddings.create({
      model: 'embed-flaky',
      input: 'fall back',
      encoding_format: 'float',
    });
    expect(result.model).toBe('embed-gemini');
    expect(result.data[0]?.embedding).toHaveLength(3072);
    const meta = (result as unknown as { switchyard: Record<string, unknown> }).switchyard;
    expect(meta).toMatchObject({
      provider: 'gemini',
      fallback_path: ['embed-flaky', 'embed-gemini'],
      attempts: 3,
    });
    expect(stack.servers.sim.stats().deployments[sim]?.requests).toBe(2);
    expect(stack.servers.sim.stats().deployments[sim]?.faults).toEqual({ server_error: 2 });
  });
});
