import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { formatBanner } from './banner';

const demo = parseConfig(
  [
    'model_list:',
    '  - model_name: fast-triage-model',
    '    litellm_params: { model: anthropic/claude-3-5-haiku-20241022, api_key: k }',
    '  - model_name: creative-writer-model',
    '    litellm_params: { model: openai/gpt-4o, api_key: k }',
    'router_settings:',
    '  fallbacks: [{ fast-triage-model: [creative-writer-model] }]',
  ].join('\n'),
  { env: {} },
).config;

describe('formatBanner', () => {
  it('names the URL, the models with their fallbacks, a curl to paste and the demo fault curls', () => {
    const text = formatBanner({
      config: demo,
      url: 'http://localhost:4000',
      simulatorUrl: 'http://localhost:4010',
      services: ['gateway', 'worker-openai'],
    });
    expect(text).toContain('Switchyard is up: http://localhost:4000');
    expect(text).toMatch(
      /fast-triage-model +anthropic\/claude-3-5-haiku-20241022, falls back to creative-writer-model/,
    );
    expect(text).toContain(
      `curl http://localhost:4000/chat/completions -H 'Content-Type: application/json' -d '{"model":"fast-triage-model",`,
    );
    expect(text).toContain(
      `curl -X POST http://localhost:4010/_sim/faults -H 'Content-Type: application/json' -d '{"provider":"anthropic","fault":"rate_limit"}'`,
    );
    expect(text).toContain('curl -X DELETE http://localhost:4010/_sim/faults');
    expect(text).toContain('Running: gateway, worker-openai. Press Ctrl-C to stop.');
    expect(text).toContain(
      'Note: no master key: the gateway runs with --insecure (every request is tenant "default" with every model) and listens on 127.0.0.1 only; set general_settings.master_key to require keys and to listen on other interfaces (--host).',
    );
  });

  it('leaves out the simulator without one, and asks for the key when the gateway has a master key', () => {
    const withKey = parseConfig(
      [
        'model_list:',
        '  - model_name: a',
        '    litellm_params: { model: openai/gpt-4o, api_key: k }',
        'general_settings: { master_key: sk-admin-123 }',
      ].join('\n'),
      { env: {} },
    ).config;
    const text = formatBanner({ config: withKey, url: 'http://localhost:4000', services: [] });
    expect(text).not.toContain('_sim');
    expect(text).toContain('-H "Authorization: Bearer $MASTER_KEY"');
    expect(text).not.toContain('sk-admin-123');
    expect(text).not.toContain('no master key');
  });
});
