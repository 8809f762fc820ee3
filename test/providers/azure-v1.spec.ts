import { parseConfig, type Deployment } from '@switchyard/config';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { adapterFor, completeChat, streamChat } from '@switchyard/providers';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const messages = [{ role: 'user' as const, content: 'Where is the blue train going?' }];

describe("Azure OpenAI's v1 API against the simulator", () => {
  let sim: ProviderSimHandle;

  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
  });
  afterAll(async () => {
    await sim.stop();
  });

  /** An Azure deployment on the simulator with `apiVersion` (none when undefined). */
  function azureDeployment(name: string, apiVersion?: string): Deployment {
    const version = apiVersion === undefined ? '' : `, api_version: ${apiVersion}`;
    const yaml = [
      'model_list:',
      `  - model_name: ${name}`,
      `    litellm_params: { model: azure/gpt-4o-prod, api_base: "${sim.url}/d/${name}/azure", api_key: k${version} }`,
    ].join('\n');
    const deployment = parseConfig(yaml, { env: {} }).config.models[name]?.deployments[0];
    if (deployment === undefined) throw new Error('no deployment parsed');
    return deployment;
  }

  it('answers and streams through /openai/v1 for api_version v1, preview or none', async () => {
    const azure = adapterFor('azure');
    for (const [name, version] of [
      ['v1-none', undefined],
      ['v1-v1', 'v1'],
      ['v1-preview', 'preview'],
    ] as const) {
      const deployment = azureDeployment(name, version);
      const answer = await completeChat(azure, { messages }, { deployment, dropParams: false });
      expect(answer.choices[0]?.message.content).toMatch(/^Simulated reply to:/);
      const chunks: unknown[] = [];
      for await (const chunk of streamChat(
        azure,
        { messages, stream: true },
        { deployment, dropParams: false },
      ))
        chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      expect(sim.stats().deployments[name]?.completed).toBe(2);
    }
  });

  it('speaks the wire the official openai SDK sends to Azure v1', async () => {
    const client = new OpenAI({
      baseURL: `${sim.url}/d/v1-sdk/azure/openai/v1`,
      apiKey: 'k',
      maxRetries: 0,
    });
    const completion = await client.chat.completions.create({ model: 'gpt-4o-prod', messages });
    expect(completion.choices[0]?.message.content).toMatch(/^Simulated reply to:/);
    expect(sim.stats().deployments['v1-sdk']?.completed).toBe(1);
  });
});
