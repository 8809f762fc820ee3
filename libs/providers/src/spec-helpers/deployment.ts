import type { Deployment } from '@switchyard/config';
import type { ChatCompletionRequest } from '@switchyard/contracts';
import type { AdapterContext } from '../adapter';

/** A deployment for specs: `openai/gpt-4o-mini` with a key, overridable field by field. */
export function testDeployment(overrides: Partial<Deployment> = {}): Deployment {
  return {
    id: 'test-model/0',
    modelName: 'test-model',
    provider: 'openai',
    providerModel: 'gpt-4o-mini',
    apiKey: 'sk-test',
    timeoutMs: 10_000,
    maxRetries: 2,
    weight: 1,
    limits: {},
    mode: 'chat',
    ...overrides,
  };
}

/** An adapter context for specs. */
export function testContext(
  overrides: Partial<Deployment> = {},
  dropParams = false,
): AdapterContext {
  return { deployment: testDeployment(overrides), dropParams };
}

/** The smallest chat request. */
export const helloRequest: ChatCompletionRequest = {
  messages: [{ role: 'user', content: 'Hello!' }],
};
