import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { cooldownOptionsFrom, rateLimiterOptionsFrom } from './limits-options';

describe('options from the config', () => {
  it('takes the key prefix and the router settings', () => {
    const { config } = parseConfig(
      [
        'model_list:',
        '  - model_name: m',
        '    litellm_params: { model: openai/gpt-4o-mini, api_key: k }',
        'router_settings: { allowed_fails: 7, cooldown_time: 12 }',
        'switchyard: { redis: { key_prefix: "acme:" } }',
      ].join('\n'),
      { env: {} },
    );
    expect(rateLimiterOptionsFrom(config)).toEqual({ keyPrefix: 'acme:' });
    expect(cooldownOptionsFrom(config)).toEqual({
      keyPrefix: 'acme:',
      allowedFails: 7,
      cooldownMs: 12_000,
    });
  });
});
