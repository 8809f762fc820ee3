import type { Deployment } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext } from '../adapter';
import { ProviderError } from '../provider-error';

/** An adapter context for a Gemini deployment, with the given deployment fields changed. */
export function geminiContext(
  deployment: Partial<Deployment> = {},
  dropParams = false,
): AdapterContext {
  return {
    dropParams,
    deployment: {
      id: 'fast/0',
      modelName: 'fast',
      provider: 'gemini',
      providerModel: 'gemini-2.5-flash',
      apiKey: 'test-key',
      timeoutMs: 600_000,
      maxRetries: 2,
      weight: 1,
      limits: {},
      mode: 'chat',
      ...deployment,
    },
  };
}

/** A one-message user request with the given fields added. */
export function chatRequest(fields: Partial<ChatCompletionRequest> = {}): ChatCompletionRequest {
  return { messages: [{ role: 'user', content: 'Hello' }], ...fields };
}

/** The ProviderError `run` throws; fails the test when it throws nothing or something else. */
export function providerErrorOf(run: () => unknown): ProviderError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error('expected a ProviderError, but nothing was thrown');
}
