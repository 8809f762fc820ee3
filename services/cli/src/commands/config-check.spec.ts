import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { demoConfigPath } from '../config-source';
import { configCheck } from './config-check';

function output() {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return { out, text: () => text };
}

function configFile(yaml: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'sy-config-check-')), 'config.yaml');
  writeFileSync(path, yaml);
  return path;
}

describe('switchyard config check', () => {
  it('prints the model map of the demo config', async () => {
    const { out, text } = output();
    const code = await configCheck({ configPath: demoConfigPath, env: {}, out });
    expect(code).toBe(0);
    expect(text()).toContain('valid');
    expect(text()).toMatch(/fast-triage-model\s+anthropic\/claude-3-5-haiku-20241022/);
    expect(text()).toMatch(/creative-writer-model\s+openai\/gpt-4o/);
    expect(text()).toContain('fallbacks: creative-writer-model');
  });

  it('lists every problem of a broken config and exits 1', async () => {
    const path = configFile(
      [
        'model_list:',
        '  - model_name: a',
        '    litellm_params:',
        '      model: openai/gpt-4o',
        '      rpm: fast',
        '  - model_name: b',
        '    litellm_params:',
        '      api_key: os.environ/MISSING_KEY_FOR_TEST',
      ].join('\n'),
    );
    const { out, text } = output();
    const code = await configCheck({ configPath: path, env: {}, out });
    expect(code).toBe(1);
    expect(text()).toMatch(/:5:\d+ model_list\[0\]\.litellm_params\.rpm/);
    expect(text()).toMatch(/model_list\[1\]\.litellm_params/);
  });

  it('prints the warning for keys it does not support', async () => {
    const path = configFile(
      [
        'model_list:',
        '  - model_name: a',
        '    litellm_params:',
        '      model: openai/gpt-4o',
        '      api_key: sk-test',
        'general_settings:',
        '  database_url: postgres://x',
      ].join('\n'),
    );
    const { out, text } = output();
    expect(await configCheck({ configPath: path, env: {}, out })).toBe(0);
    expect(text()).toMatch(/warning: .*general_settings\.database_url/);
  });
});
