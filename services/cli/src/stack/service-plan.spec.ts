import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { planServices, providersOf } from './service-plan';
import { stopOrder } from './stack';

const config = parseConfig(
  [
    'model_list:',
    '  - model_name: a',
    '    litellm_params: { model: anthropic/claude-3-5-haiku-20241022, api_key: k }',
    '  - model_name: b',
    '    litellm_params: { model: openai/gpt-4o, api_key: k }',
    '  - model_name: b',
    '    litellm_params: { model: anthropic/claude-3-opus-20240229, api_key: k }',
    'switchyard: { worker: { shutdown_grace_seconds: 5 } }',
  ].join('\n'),
  { env: {} },
).config;

describe('planServices', () => {
  it('starts the simulator first and the gateway last, one worker per provider, all on the config', () => {
    expect(providersOf(config)).toEqual(['anthropic', 'openai']);
    const specs = planServices({
      config,
      configPath: '/abs/config.yaml',
      gateway: { host: '127.0.0.1', port: 4000 },
      simulatorPort: 4010,
    });
    const names = specs.map((spec) => spec.name);
    expect(names).toEqual([
      'provider-sim',
      'fallback',
      'metering',
      'batch',
      'worker-anthropic',
      'worker-openai',
      'gateway',
    ]);
    expect(specs[0]?.args).toEqual(['--port', '4010', '--host', '127.0.0.1']);
    const worker = specs.find((spec) => spec.name === 'worker-openai');
    expect(worker?.args).toEqual(['--provider', 'openai', '--config', '/abs/config.yaml']);
    expect(worker?.script).toMatch(/dist\/services\/worker\/main\.mjs$/);
    expect(worker?.stopTimeoutMs).toBe(15_000);
    const batch = specs.find((spec) => spec.name === 'batch');
    expect(batch?.args).toEqual(['--config', '/abs/config.yaml']);
    expect(batch?.script).toMatch(/dist\/services\/batch\/main\.mjs$/);
    // Stack.stop() stops only the roles stopOrder lists.
    for (const spec of specs) expect(stopOrder, spec.name).toContain(spec.role);
    expect(stopOrder.indexOf('batch')).toBeLessThan(stopOrder.indexOf('worker'));
    expect(specs.at(-1)?.args).toEqual([
      '--config',
      '/abs/config.yaml',
      '--port',
      '4000',
      '--host',
      '127.0.0.1',
      '--insecure',
    ]);
  });

  it('starts the gateway with --insecure only when the config has no master key', () => {
    const keyed = parseConfig(
      [
        'model_list:',
        '  - model_name: a',
        '    litellm_params: { model: openai/gpt-4o, api_key: k }',
        'general_settings: { master_key: os.environ/SWITCHYARD_MASTER_KEY }',
      ].join('\n'),
      { env: { SWITCHYARD_MASTER_KEY: 'sk-test' } },
    ).config;
    const gateway = planServices({
      config: keyed,
      configPath: '/abs/config.yaml',
      gateway: { host: '0.0.0.0', port: 4000 },
    }).at(-1);
    expect(gateway?.args).toEqual([
      '--config',
      '/abs/config.yaml',
      '--port',
      '4000',
      '--host',
      '0.0.0.0',
    ]);
  });

  it('runs no simulator without a simulator port (a config of your own)', () => {
    const specs = planServices({
      config,
      configPath: '/abs/config.yaml',
      gateway: { host: '127.0.0.1', port: 4000 },
    });
    expect(specs.some((spec) => spec.role === 'simulator')).toBe(false);
  });
});
