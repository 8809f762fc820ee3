import {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseStreamCommand,
  ThrottlingException,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * Proof with AWS's official SDK (@aws-sdk/client-bedrock-runtime), unchanged: its
 * BedrockRuntimeClient, pointed at the simulator with static credentials, signs with SigV4,
 * calls Converse and ConverseStream, reads the binary event stream and the errors. (The client
 * talks HTTP/2 by default; the simulator speaks HTTP/1.1, so it gets the SDK's own HTTP/1.1
 * handler.) What the SDK
 * accepts is what real Bedrock sends, as far as the SDK can tell.
 */
describe('the AWS SDK against the Bedrock simulator', () => {
  let sim: ProviderSimHandle;
  beforeAll(async () => {
    sim = await startProviderSim({ port: 0 });
  });
  afterAll(() => sim.stop());

  const modelId = 'anthropic.claude-3-5-haiku-20241022-v1:0';
  const client = (deployment: string, secretAccessKey = 'sim-secret') =>
    new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: `${sim.url}/d/${deployment}/bedrock`,
      credentials: { accessKeyId: 'AKIDSIMULATOR', secretAccessKey },
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler(),
    });
  const ask = [{ role: 'user' as const, content: [{ text: 'Where is the blue train going?' }] }];

  it('gets a Converse answer with usage', async () => {
    const answer = await client('sdk-text').send(
      new ConverseCommand({ modelId, messages: ask, inferenceConfig: { maxTokens: 50 } }),
    );
    expect(answer.stopReason).toBe('end_turn');
    expect(answer.output?.message?.content?.[0]?.text).toMatch(/\S/);
    const served = sim.stats().deployments['sdk-text'];
    expect(answer.usage?.inputTokens).toBe(served?.promptTokens);
    expect(answer.usage?.outputTokens).toBe(served?.completionTokens);
  });

  it('streams with ConverseStream, the usage in the metadata event', async () => {
    const response = await client('sdk-stream').send(
      new ConverseStreamCommand({ modelId, messages: ask }),
    );
    const events: ConverseStreamOutput[] = [];
    for await (const event of response.stream ?? []) events.push(event);
    expect(events[0]?.messageStart?.role).toBe('assistant');
    const text = events.map((event) => event.contentBlockDelta?.delta?.text ?? '').join('');
    expect(text).toMatch(/\S/);
    expect(events.find((event) => event.messageStop)?.messageStop?.stopReason).toBe('end_turn');
    const usage = events.at(-1)?.metadata?.usage;
    expect(usage?.outputTokens).toBe(sim.stats().deployments['sdk-stream']?.completionTokens);
  });

  it('makes a tool call', async () => {
    const answer = await client('sdk-tool').send(
      new ConverseCommand({
        modelId,
        messages: [{ role: 'user', content: [{ text: 'Weather in Oslo?' }] }],
        toolConfig: {
          tools: [
            {
              toolSpec: {
                name: 'get_weather',
                inputSchema: {
                  json: {
                    type: 'object',
                    properties: { city: { type: 'string' } },
                    required: ['city'],
                  },
                },
              },
            },
          ],
          toolChoice: { any: {} },
        },
      }),
    );
    expect(answer.stopReason).toBe('tool_use');
    const use = answer.output?.message?.content?.find((block) => block.toolUse)?.toolUse;
    expect(use?.name).toBe('get_weather');
    expect(typeof (use?.input as { city?: unknown } | undefined)?.city).toBe('string');
  });

  it("surfaces a rate limit as the SDK's ThrottlingException", async () => {
    sim.addFaults([{ deployment: 'sdk-throttled', fault: 'rate_limit', count: 1 }]);
    const error = await client('sdk-throttled')
      .send(new ConverseCommand({ modelId, messages: ask }))
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 429 } });
  });

  it('refuses a request signed with another secret', async () => {
    const error = await client('sdk-wrong-secret', 'not-the-secret')
      .send(new ConverseCommand({ modelId, messages: ask }))
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toMatchObject({
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
    });
  });
});
