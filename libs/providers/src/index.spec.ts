import { describe, expect, it } from 'vitest';
import * as providers from './index';

describe('public API of @switchyard/providers', () => {
  it('exports the calls, the registry, the errors and the helpers', () => {
    for (const name of [
      'completeChat',
      'streamChat',
      'adapterFor',
      'adapterProviders',
      'closeAll',
      'ProviderHttp',
      'defaultProviderHttp',
      'ProviderError',
      'retryAfterMs',
      'parseDurationMs',
      'toErrorCode',
      'SseParser',
      'createOpenAiCompatibleAdapter',
      'openAiCompatibleAdapters',
      'openAiCompatibleProviders',
      'anthropicAdapter',
      'geminiAdapter',
      'cohereAdapter',
    ]) {
      expect(providers, name).toHaveProperty(name);
    }
  });

  it('closeAll resolves when nothing was opened', async () => {
    await expect(providers.closeAll()).resolves.toBeUndefined();
  });
});
