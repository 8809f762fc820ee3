import { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { GoogleGenAI } from '@google/genai';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { GoogleAuth, OAuth2Client, gaxios } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceAccount, type TestServiceAccount } from './vertex-service-account';

/*
 * Proof with Google's and Anthropic's official SDKs, unchanged: @google/genai in Vertex mode and
 * @anthropic-ai/vertex-sdk sign in with a service account key through google-auth-library (an
 * RS256 JWT exchanged at the token endpoint) and call the simulator's Vertex AI routes. The one
 * redirect is google-auth-library's token request, which always goes to
 * https://oauth2.googleapis.com/token: the key's `token_uri` (the simulator) is honoured by an
 * interceptor on the auth client's transporter, as Switchyard's own google-tokens.ts does.
 */
describe('Google and Anthropic SDKs against the Vertex AI simulator', () => {
  let sim: ProviderSimHandle;
  let account: TestServiceAccount;
  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
    account = testServiceAccount(sim.url);
    sim.addGoogleServiceAccount(account.credentials.client_email, account.publicKeyPem);
  });
  afterAll(() => sim.stop());

  /** A transporter whose token requests go to the simulator. */
  const toSimulator = () => {
    const transporter = new gaxios.Gaxios();
    transporter.interceptors.request.add({
      resolved: (options) => {
        if (options.url.href === 'https://oauth2.googleapis.com/token') {
          options.url = new URL(`${sim.url}/token`);
        }
        return Promise.resolve(options);
      },
    });
    return transporter;
  };
  const googleAuthOptions = () => ({
    credentials: account.credentials,
    clientOptions: { transporter: toSimulator() },
  });
  const genai = (deployment: string) =>
    new GoogleGenAI({
      vertexai: true,
      project: 'sim-project',
      location: 'us-central1',
      googleAuthOptions: googleAuthOptions(),
      httpOptions: { baseUrl: `${sim.url}/d/${deployment}/vertex` },
    });

  it('@google/genai: generateContent with usage, signed in with the service account', async () => {
    const before = sim.stats().google.tokensIssued;
    const answer = await genai('sdk-gemini').models.generateContent({
      model: 'gemini-2.0-flash',
      contents: 'Where is the blue train going?',
      config: { maxOutputTokens: 50 },
    });
    expect(answer.text).toMatch(/\S/);
    const served = sim.stats().deployments['sdk-gemini'];
    expect(answer.usageMetadata?.promptTokenCount).toBe(served?.promptTokens);
    expect(answer.usageMetadata?.candidatesTokenCount).toBe(served?.completionTokens);
    expect(sim.stats().google.tokensIssued - before).toBe(1);
    expect(sim.calls({ deployment: 'sdk-gemini' })[0]?.provider).toBe('vertex_gemini');
  });

  it('@google/genai: generateContentStream and a function call', async () => {
    const client = genai('sdk-gemini-stream');
    const parts: string[] = [];
    for await (const chunk of await client.models.generateContentStream({
      model: 'gemini-2.5-flash',
      contents: 'Where is the blue train going?',
    })) {
      parts.push(chunk.text ?? '');
    }
    expect(parts.join('')).toMatch(/\S/);
    const tool = await client.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Oslo?',
      config: {
        tools: [
          {
            functionDeclarations: [
              {
                name: 'get_weather',
                parametersJsonSchema: {
                  type: 'object',
                  properties: { city: { type: 'string' } },
                  required: ['city'],
                },
              },
            ],
          },
        ],
      },
    });
    expect(tool.functionCalls?.[0]?.name).toBe('get_weather');
  });

  it('@google/genai: a key the token endpoint refuses never reaches Vertex', async () => {
    const impostor = testServiceAccount(sim.url);
    const client = new GoogleGenAI({
      vertexai: true,
      project: 'sim-project',
      location: 'us-central1',
      googleAuthOptions: {
        credentials: { ...account.credentials, private_key: impostor.credentials.private_key },
        clientOptions: { transporter: toSimulator() },
      },
      httpOptions: { baseUrl: `${sim.url}/d/sdk-gemini-refused/vertex` },
    });
    await expect(
      client.models.generateContent({ model: 'gemini-2.0-flash', contents: 'hi' }),
    ).rejects.toThrow(/Invalid JWT Signature/);
    expect(sim.stats().deployments['sdk-gemini-refused']?.requests ?? 0).toBe(0);
  });

  it('@google/genai: embedContent on Vertex is :predict, with token counts per text', async () => {
    const client = genai('sdk-vertex-embed');
    const answer = await client.models.embedContent({
      model: 'text-embedding-005',
      contents: ['Where is the blue train going?', 'To the sea.'],
      config: { outputDimensionality: 64, taskType: 'RETRIEVAL_DOCUMENT', autoTruncate: true },
    });
    expect(answer.embeddings).toHaveLength(2);
    expect(answer.embeddings?.map((e) => e.values?.length)).toEqual([64, 64]);
    expect(Math.hypot(...(answer.embeddings?.[0]?.values ?? []))).toBeCloseTo(1, 6);
    const counts = answer.embeddings?.map((e) => e.statistics?.tokenCount ?? 0) ?? [];
    expect(counts.every((count) => count > 0)).toBe(true);
    const [call] = sim.calls({ deployment: 'sdk-vertex-embed' });
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(call?.promptTokens);
    expect(answer.embeddings?.map((e) => e.statistics?.truncated)).toEqual([false, false]);
    // Characters without white space: 25 + 9.
    expect(answer.metadata?.billableCharacterCount).toBe(34);
    expect(call?.provider).toBe('vertex_gemini');

    const single = await client.models.embedContent({
      model: 'gemini-embedding-001',
      contents: 'Where is the blue train going?',
    });
    expect(single.embeddings?.[0]?.values).toHaveLength(3072);
    await expect(
      client.models.embedContent({ model: 'gemini-embedding-001', contents: ['a', 'b'] }),
    ).rejects.toThrow(/supports up to 1 instances per request, but 2/);
    expect(sim.calls({ deployment: 'sdk-vertex-embed' })).toHaveLength(2);
  });

  const claude = (deployment: string) =>
    new AnthropicVertex({
      projectId: 'sim-project',
      region: 'us-east5',
      baseURL: `${sim.url}/d/${deployment}/vertex/v1`,
      googleAuth: new GoogleAuth({
        scopes: 'https://www.googleapis.com/auth/cloud-platform',
        ...googleAuthOptions(),
      }),
      maxRetries: 0,
    });

  it('@anthropic-ai/vertex-sdk: messages.create and a stream via rawPredict', async () => {
    const client = claude('sdk-claude');
    const message = await client.messages.create({
      model: 'claude-3-5-haiku@20241022',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Where is the blue train going?' }],
    });
    expect(message.stop_reason).toBe('end_turn');
    expect(message.content[0]?.type).toBe('text');
    expect(message.usage.output_tokens).toBe(
      sim.stats().deployments['sdk-claude']?.completionTokens,
    );
    const stream = client.messages.stream({
      model: 'claude-sonnet-4@20250514',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'Where is the blue train going?' }],
    });
    const final = await stream.finalMessage();
    expect(final.content[0]?.type).toBe('text');
    expect(sim.calls({ deployment: 'sdk-claude' }).map((call) => call.model)).toEqual([
      'claude-3-5-haiku@20241022',
      'claude-sonnet-4@20250514',
    ]);
  });

  it('@anthropic-ai/vertex-sdk: a forged token is a 401 in Google’s shape', async () => {
    const forged = new OAuth2Client();
    forged.setCredentials({
      access_token: 'sim-google-forged',
      expiry_date: Date.now() + 3600_000,
    });
    const client = new AnthropicVertex({
      projectId: 'sim-project',
      region: 'us-east5',
      baseURL: `${sim.url}/d/sdk-claude-forged/vertex/v1`,
      authClient: forged,
      maxRetries: 0,
    });
    const error = await client.messages
      .create({
        model: 'claude-3-5-haiku@20241022',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(JSON.stringify((error as { error?: unknown }).error)).toContain('UNAUTHENTICATED');
  });
});
