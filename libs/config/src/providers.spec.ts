import { describe, expect, it } from 'vitest';
import { isSupportedProvider, parseModelRef, supportedProviders } from './providers';

describe('parseModelRef', () => {
  it('splits provider/model on the first slash', () => {
    expect(parseModelRef('fireworks_ai/accounts/fireworks/models/llama')).toEqual({
      ok: true,
      provider: 'fireworks_ai',
      providerModel: 'accounts/fireworks/models/llama',
    });
  });

  it('refuses an empty model after the provider', () => {
    expect(parseModelRef('openai/')).toEqual({
      ok: false,
      message: '"openai/" names no model after "openai/"',
    });
  });

  it('refuses unsupported providers, listing the supported ones', () => {
    const ref = parseModelRef('sagemaker/jumpstart-llama-3');
    expect(ref.ok).toBe(false);
    if (!ref.ok) expect(ref.message).toContain(supportedProviders.join(', '));
  });

  it('does not infer a provider from names that merely contain a known prefix', () => {
    expect(parseModelRef('my-gpt-4o').ok).toBe(false);
  });
});

describe('isSupportedProvider', () => {
  it('knows every listed provider and nothing else', () => {
    for (const provider of supportedProviders) expect(isSupportedProvider(provider)).toBe(true);
    expect(isSupportedProvider('sagemaker')).toBe(false);
  });
});
