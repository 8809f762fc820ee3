import { parseConfig, type Deployment } from '@switchyard/config';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import {
  EntraTokens,
  ProviderError,
  adapterFor,
  azureOpenAiScope,
  completeChat,
  streamChat,
} from '@switchyard/providers';
import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const messages = [{ role: 'user' as const, content: 'Where is the blue train going?' }];
let clients = 0;

/** An Azure deployment on the simulator that signs in with Entra ID (`extra` litellm_params). */
function entraDeployment(simUrl: string, extra: string): { deployment: Deployment; name: string } {
  clients += 1;
  const name = `entra-${clients}`;
  const yaml = [
    'model_list:',
    `  - model_name: ${name}`,
    `    litellm_params: { model: azure/gpt-4o-prod, api_base: "${simUrl}/d/${name}", api_version: 2024-10-21, ${extra} }`,
  ].join('\n');
  const deployment = parseConfig(yaml, { env: {} }).config.models[name]?.deployments[0];
  if (deployment === undefined) throw new Error('no deployment parsed');
  return { deployment, name };
}

describe('Azure with Microsoft Entra ID against the simulator', () => {
  let sim: ProviderSimHandle;
  const azure = adapterFor('azure');

  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  const clientSecret = (secret: string) =>
    `tenant_id: contoso, client_id: app-${clients + 1}, client_secret: ${secret}, azure_authority_host: "${sim.url}"`;

  it('signs in with the client secret once and sends the token on every call, streams too', async () => {
    const { deployment, name } = entraDeployment(sim.url, clientSecret('s3cret'));
    const before = sim.stats().entra.tokensIssued;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () =>
        completeChat(azure, { messages }, { deployment, dropParams: false }),
      ),
    );
    expect(answers.map((a) => a.choices[0]?.finish_reason)).toEqual(Array(5).fill('stop'));
    const chunks: unknown[] = [];
    const stream = streamChat(azure, { messages, stream: true }, { deployment, dropParams: false });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(sim.stats().entra.tokensIssued - before).toBe(1);
    expect(sim.stats().deployments[name]?.completed).toBe(6);
  });

  it('fails the call as an auth error, without calling Azure, when Entra ID refuses the secret', async () => {
    const { deployment, name } = entraDeployment(sim.url, clientSecret('wrong-secret'));
    const error = await completeChat(azure, { messages }, { deployment, dropParams: false }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ type: 'auth', code: 'entra_token_refused', providerStatus: 401 });
    expect((error as Error).message).toContain('invalid_client');
    expect(sim.stats().deployments[name]?.requests ?? 0).toBe(0);
  });

  it('sends azure_ad_token as the bearer, and Azure refuses one Entra ID never issued', async () => {
    const issued = await new EntraTokens().token({
      kind: 'client_secret',
      tenantId: 'contoso',
      clientId: 'app-static',
      clientSecret: 's3cret',
      authorityHost: sim.url,
    });
    const good = entraDeployment(sim.url, `azure_ad_token: ${issued}`);
    const answer = await completeChat(
      azure,
      { messages },
      { deployment: good.deployment, dropParams: false },
    );
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    const forged = entraDeployment(sim.url, 'azure_ad_token: sim-entra-forged');
    await expect(
      completeChat(azure, { messages }, { deployment: forged.deployment, dropParams: false }),
    ).rejects.toMatchObject({ type: 'auth' });
  });

  it('signs in again after Azure refuses the token it had', async () => {
    const { deployment } = entraDeployment(sim.url, clientSecret('s3cret'));
    const call = () => completeChat(azure, { messages }, { deployment, dropParams: false });
    await call();
    sim.reset(); // forgets every token it issued: Azure now refuses the cached one
    await expect(call()).rejects.toMatchObject({ type: 'auth' });
    const answer = await call();
    expect(answer.choices[0]?.finish_reason).toBe('stop');
    expect(sim.stats().entra.tokensIssued).toBe(1);
  });

  it('fetches a new token five minutes before the old one expires', async () => {
    let now = 1_000_000;
    const tokens = new EntraTokens(() => now);
    const credentials = {
      kind: 'client_secret' as const,
      tenantId: 'contoso',
      clientId: 'app-expiry',
      clientSecret: 's3cret',
      authorityHost: sim.url,
    };
    const first = await tokens.token(credentials);
    now += 3599_000 - 5 * 60_000 - 1;
    expect(await tokens.token(credentials)).toBe(first);
    now += 2;
    expect(await tokens.token(credentials)).not.toBe(first);
  });

  it("speaks Entra's wire: the official openai SDK's AzureOpenAI with a token from the simulator", async () => {
    const response = await fetch(`${sim.url}/contoso/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: 'app-sdk',
        client_secret: 's3cret',
        scope: azureOpenAiScope,
      }),
    });
    const granted = (await response.json()) as {
      token_type: string;
      access_token: string;
      expires_in: number;
    };
    expect(granted).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const client = new AzureOpenAI({
      endpoint: `${sim.url}/d/entra-sdk`,
      azureADTokenProvider: () => Promise.resolve(granted.access_token),
      apiVersion: '2024-10-21',
      deployment: 'gpt-4o-prod',
      maxRetries: 0,
    });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-prod', messages });
    expect(completion.choices[0]?.message.content).toMatch(/^Simulated reply to:/);
  });
});
