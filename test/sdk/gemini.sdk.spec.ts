import { ApiError, FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens, startProviderSim, type ProviderSimHandle } from '@switchyard/provider-sim';

/** Proof that the official @google/genai SDK (2.32) accepts what the simulator sends. */
describe('@google/genai against provider-sim', () => {
  let sim: ProviderSimHandle;
  let ai: GoogleGenAI;

  const clientFor = (apiKey: string): GoogleGenAI =>
    new GoogleGenAI({
      apiKey,
      httpOptions: { baseUrl: `${sim.url}/gemini`, retryOptions: { attempts: 1 } },
    });

  beforeAll(async () => {
    sim = await startProviderSim({ scenario: { apiKeys: ['gemini-sim-key'] } });
    ai = clientFor('gemini-sim-key');
  });
  afterAll(async () => {
    await sim.stop();
  });

  const contents = 'When does the last ferry leave?';

  it('answers generateContent with usage metadata', async () => {
    const response = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents });
    expect(response.text).toMatch(/^Simulated reply to: When does the last ferry leave\?/);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata?.candidatesTokenCount).toBe(countTokens(response.text ?? ''));
    expect(response.usageMetadata?.promptTokenCount).toBe(3 + 7 + 3);
  });

  it('streams chunks that concatenate to the same text', async () => {
    const whole = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents });
    const stream = await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents });
    let text = '';
    let last: number | undefined;
    for await (const chunk of stream) {
      text += chunk.text ?? '';
      last = chunk.usageMetadata?.candidatesTokenCount ?? last;
    }
    expect(text).toBe(whole.text);
    expect(last).toBe(whole.usageMetadata?.candidatesTokenCount);
  });

  it('calls a function when the mode is ANY', async () => {
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents,
      config: {
        tools: [
          {
            functionDeclarations: [
              {
                name: 'ferry_times',
                parameters: {
                  type: Type.OBJECT,
                  properties: {
                    port: { type: Type.STRING },
                    day: { type: Type.INTEGER, minimum: 1 },
                  },
                  required: ['port', 'day'],
                },
              },
            ],
          },
        ],
        toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } },
      },
    });
    expect(response.functionCalls?.[0]?.name).toBe('ferry_times');
    expect(response.functionCalls?.[0]?.args).toEqual({ port: 'text', day: 1 });
  });

  it('answers JSON matching a response schema', async () => {
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents,
      config: {
        responseMimeType: 'application/json',
        responseSchema: {
          type: Type.OBJECT,
          properties: {
            departures: { type: Type.ARRAY, items: { type: Type.STRING }, minItems: 1 },
          },
          required: ['departures'],
        },
      },
    });
    expect(JSON.parse(response.text ?? '')).toEqual({ departures: ['text'] });
  });

  it('reports a blocked prompt through promptFeedback', async () => {
    const response = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents,
      config: { httpOptions: { headers: { 'x-sim-fault': 'content_policy' } } },
    });
    expect(response.promptFeedback?.blockReason).toBe('SAFETY');
    expect(response.candidates).toBeUndefined();
  });

  it('throws ApiError with the status on 429 and 400', async () => {
    const limited = await ai.models
      .generateContent({
        model: 'gemini-2.5-flash',
        contents,
        config: { httpOptions: { headers: { 'x-sim-fault': 'rate_limit; retry_after=30' } } },
      })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(ApiError);
    expect((limited as ApiError).status).toBe(429);
    expect((limited as ApiError).message).toContain('RESOURCE_EXHAUSTED');
    expect((limited as ApiError).message).toContain('"retryDelay":"30s"');

    const tooLong = await ai.models
      .generateContent({
        model: 'gemini-2.5-flash',
        contents,
        config: { httpOptions: { headers: { 'x-sim-fault': 'context_length' } } },
      })
      .catch((error: unknown) => error);
    expect(tooLong).toBeInstanceOf(ApiError);
    expect((tooLong as ApiError).status).toBe(400);
    expect((tooLong as ApiError).message).toContain(
      'exceeds the maximum number of tokens allowed (1048576)',
    );

    const wrongKey = await clientFor('not-a-key')
      .models.generateContent({ model: 'gemini-2.5-flash', contents })
      .catch((error: unknown) => error);
    expect(wrongKey).toBeInstanceOf(ApiError);
    expect((wrongKey as ApiError).status).toBe(400);
    expect((wrongKey as ApiError).message).toContain('API_KEY_INVALID');
  });
});
