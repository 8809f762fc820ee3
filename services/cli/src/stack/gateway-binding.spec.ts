import { parseConfig } from '@switchyard/config';
import { UserError } from '@switchyard/entrypoint';
import { describe, expect, it } from 'vitest';
import { gatewayHost, isLoopbackHost } from './gateway-binding';

const configWith = (general: string) =>
  parseConfig(
    [
      'model_list:',
      '  - model_name: a',
      '    litellm_params: { model: openai/gpt-4o, api_key: k }',
      general,
    ].join('\n'),
    { env: {} },
  ).config;

describe('gatewayHost', () => {
  it('keeps a gateway without a master key on loopback, naming what to set for other interfaces', () => {
    const open = configWith('');
    expect(gatewayHost(open, '127.0.0.1')).toBe('127.0.0.1');
    expect(gatewayHost(open, 'localhost')).toBe('localhost');
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'example.com']) {
      expect(() => gatewayHost(open, host)).toThrow(UserError);
    }
    expect(() => gatewayHost(open, '0.0.0.0')).toThrow(
      '--host 0.0.0.0: the config has no master key, so the gateway would serve anyone as tenant "default" with every model; it listens on 127.0.0.1 only. Set general_settings.master_key to listen on other interfaces',
    );
  });

  it('lets a gateway with a master key listen wherever --host says', () => {
    const keyed = configWith('general_settings: { master_key: sk-admin-123 }');
    expect(gatewayHost(keyed, '0.0.0.0')).toBe('0.0.0.0');
    expect(gatewayHost(keyed, '127.0.0.1')).toBe('127.0.0.1');
  });

  it('counts 127.0.0.0/8, ::1 and localhost as loopback, nothing else', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.example'].map(isLoopbackHost),
    ).toEqual([false, false, false, false, false]);
  });
});
