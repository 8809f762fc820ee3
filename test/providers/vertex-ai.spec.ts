import { parseConfig, type Deployment, type GoogleCredentialsJson } from '@switchyard/config';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import {
  GoogleTokens,
  ProviderError,
  adapterFor,
  completeChat,
  streamChat,
} from '@switchyard/providers';
import { redactValue } from '@switchyard/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceAccount, vertexCredentialsParam } from './vertex-service-account';

const messages = [{ role: 'user' as const, content: 'Where is the blue train going?' }];
let deployments = 0;

/** A Vertex AI deployment on the simulator signing in with `credentials`. */
function vertexDeployment(
  simUrl: string,
  model: string,
  credentials: GoogleCredentialsJson,
): { deployment: Deployment; name: string } {
  deployments += 1;
  const name = `vertex-${deployments}`;
  const yaml = [
    'model_list:',
    `  - model_name: ${name}`,
    `    litellm_params: { model: vertex_ai/${model}, vertex_location: us-east5, api_base: "${simUrl}/d/${name}/vertex", ${vertexCredentialsParam(credentials)} }`,
  ].join('\n');
  const deployment = parseConfig(yaml, { env: {} }).config.models[name]?.deployments[0];
  if (deployment === undefined) throw new Error('no deployment parsed');
  return { deployment, name };
}

describe('Vertex AI with a service account against the simulator', () => {
  let sim: ProviderSimHandle;
  const vertex = adapterFor('vertex_ai');

  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  /** A service account whose public key the simulator knows, so its JWT signature is checked. */
  const registered = () => {
    const account = testServiceAccount(sim.url);
    sim.addGoogleServiceAccount(account.credentials.client_email, account.publicKeyPem);
    return account;
  };

  it('signs in once and answers Gemini calls and streams with the token', async () => {
    const { credentials } = registered();
    const { deployment, name } = vertexDeployment(sim.url, 'gemini-2.0-flash', credentials);
    const before = sim.stats().google.tokensIssued;
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        completeChat(vertex, { messages }, { deployment, dropParams: false }),
      ),
    );
    expect(answers.map((a) => a.choices[0]?.finish_reason)).toEqual(Array(4).fill('stop'));
    expect(answers[0]?.usage.prompt_tokens).toBeGreaterThan(0);
    const chunks: unknown[] = [];
    const stream = streamChat(
      vertex,
      { messages, stream: true, stream_options: { include_usage: true } },
      { deployment, dropParams: false },
    );
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(sim.stats().google.tokensIssued - before).toBe(1);
    expect(sim.stats().deployments[name]?.completed).toBe(5);
    expect(sim.stats().providers['vertex_gemini']?.completed).toBeGreaterThanOrEqual(5);
  });

  it('answers Claude on Vertex (rawPredict, streamRawPredict) with the same kind of token', async () => {
    const { credentials } = registered();
    const { deployment, name } = vertexDeployment(
      sim.url,
      'claude-3-5-haiku@20241022',
      credentials,
    );
    const answer = await completeChat(
      vertex,
      { messages, max_tokens: 40 },
      { deployment, dropParams: false },
    );
    expect(answer.choices[0]?.message.content).toMatch(/\S/);
    expect(answer.usage.completion_tokens).toBe(sim.stats().deployments[name]?.completionTokens);
    const text: string[] = [];
    const stream = streamChat(
      vertex,
      { messages, stream: true },
      { deployment, dropParams: false },
    );
    for await (const chunk of stream) text.push(chunk.choices[0]?.delta.content ?? '');
    expect(text.join('')).toMatch(/\S/);
    expect(sim.calls({ deployment: name }).map((call) => call.model)).toEqual([
      'claude-3-5-haiku@20241022',
      'claude-3-5-haiku@20241022',
    ]);
  });

  it('fails as an auth error, without calling Vertex, when the JWT signature does not verify', async () => {
    const account = registered();
    const impostor = testServiceAccount(sim.url);
    const { deployment, name } = vertexDeployment(sim.url, 'gemini-2.0-flash', {
      ...account.credentials,
      private_key: impostor.credentials.private_key,
    });
    const error = await completeChat(vertex, { messages }, { deployment, dropParams: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'auth',
      code: 'google_token_refused',
      provider: 'vertex_ai',
      providerStatus: 400,
    });
    expect((error as Error).message).toContain('invalid_grant: Invalid JWT Signature.');
    expect((error as Error).message).not.toContain('PRIVATE KEY');
    expect(sim.stats().deployments[name]?.requests ?? 0).toBe(0);
  });

  it('refuses a Bearer the token endpoint never issued, in Google’s error shape', async () => {
    const response = await fetch(
      `${sim.url}/vertex/v1/projects/p/locations/us-east5/publishers/google/models/gemini-2.0-flash:generateContent`,
      {
        method: 'POST',
        headers: { authorization: 'Bearer sim-google-forged', 'content-type': 'application/json' },
        body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
      },
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
    const refused = vertex.classifyError(
      401,
      JSON.stringify({ error: { code: 401, message: 'x', status: 'UNAUTHENTICATED' } }),
      {},
    );
    expect(refused).toMatchObject({ type: 'auth', provider: 'vertex_ai' });
  });

  it('signs in again after Vertex refuses the token it had', async () => {
    const { credentials } = registered();
    const { deployment } = vertexDeployment(sim.url, 'gemini-2.0-flash', credentials);
    const call = () => completeChat(vertex, { messages }, { deployment, dropParams: false });
    await call();
    sim.reset(); // forgets every token it issued: Vertex now refuses the cached one
    await expect(call()).rejects.toMatchObject({ type: 'auth', provider: 'vertex_ai' });
    const answer = await call();
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(sim.stats().google.tokensIssued).toBe(1);
  });

  it('fetches a new token five minutes before the old one expires', async () => {
    let now = Date.now();
    const tokens = new GoogleTokens(() => now);
    const { credentials } = registered();
    const first = await tokens.token(credentials);
    expect(first).toMatch(/^sim-google-/);
    now += 3599_000 - 5 * 60_000 - 2_000;
    expect(await tokens.token(credentials)).toBe(first);
    now += 4_000;
    expect(await tokens.token(credentials)).not.toBe(first);
  });

  it('keeps the private key out of logs', () => {
    const { credentials } = testServiceAccount(sim.url);
    const { deployment } = vertexDeployment(sim.url, 'gemini-2.0-flash', credentials);
    const logged = JSON.stringify(redactValue({ deployment, note: credentials.private_key }));
    expect(logged).not.toContain('PRIVATE KEY');
    expect(logged).not.toContain(credentials.private_key.slice(40, 80));
    expect(logged).toContain(credentials.client_email);
  });
});
