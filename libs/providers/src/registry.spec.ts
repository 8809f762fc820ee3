import { supportedProviders } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { anthropicAdapter } from './anthropic';
import { bedrockAdapter } from './bedrock';
import { geminiAdapter } from './gemini';
import { ProviderError } from './provider-error';
import { adapterFor, adapterProviders } from './registry';

describe('adapterFor', () => {
  it.each(supportedProviders)('has an adapter for %s that serves it', (provider) => {
    const adapter = adapterFor(provider);
    expect(adapter.providers).toContain(provider);
    expect(typeof adapter.buildRequest).toBe('function');
    expect(typeof adapter.parseResponse).toBe('function');
    expect(typeof adapter.createStreamDecoder).toBe('function');
    expect(typeof adapter.classifyError).toBe('function');
  });

  it('knows exactly the providers config supports', () => {
    expect([...adapterProviders].sort()).toEqual([...supportedProviders].sort());
  });

  it('serves anthropic and gemini with their own adapters', () => {
    expect(adapterFor('anthropic')).toBe(anthropicAdapter);
    expect(adapterFor('gemini')).toBe(geminiAdapter);
  });

  it('refuses an unknown provider with a bad_request ProviderError', () => {
    let error: unknown;
    try {
      adapterFor('sagemaker');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      type: 'bad_request',
      code: 'unsupported_provider',
      provider: 'sagemaker',
    });
  });

  it('serves bedrock with its own adapter', () => {
    expect(adapterFor('bedrock')).toBe(bedrockAdapter);
  });
});
