import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { deploymentsWithoutKey, keyVariables } from './api-keys';

const yaml = [
  'model_list:',
  '  - model_name: a',
  '    litellm_params: { model: openai/gpt-4o }',
  '  - model_name: b',
  '    litellm_params: { model: anthropic/claude-3-5-haiku-20241022 }',
  '  - model_name: c',
  '    litellm_params: { model: openai/local, api_base: "http://127.0.0.1:8000/v1" }',
  '  - model_name: d',
  '    litellm_params: { model: ollama/llama3 }',
].join('\n');

describe('deploymentsWithoutKey', () => {
  it('lists public-endpoint deployments with no key, and the variables that would give them one', () => {
    const { config } = parseConfig(yaml, { env: {} });
    const missing = deploymentsWithoutKey(config);
    expect(missing.map((deployment) => deployment.id)).toEqual(['a/0', 'b/0']);
    expect(keyVariables(missing)).toEqual(['OPENAI_API_KEY', 'ANTHROPIC_API_KEY']);
  });

  it('finds none once the environment has the keys', () => {
    const { config } = parseConfig(yaml, {
      env: { OPENAI_API_KEY: 'sk-x', ANTHROPIC_API_KEY: 'sk-ant-x' },
    });
    expect(deploymentsWithoutKey(config)).toEqual([]);
  });
});
