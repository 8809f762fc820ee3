import { parseConfig } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { preloadTokenizers } from './tokenizer-preload';

const { config } = parseConfig(
  [
    'model_list:',
    '  - model_name: limited-4o',
    '    litellm_params: { model: openai/gpt-4o-mini, api_key: k, tpm: 90000 }',
    '  - model_name: limited-claude',
    '    litellm_params: { model: anthropic/claude-3-5-haiku-20241022, api_key: k, tpm: 90000 }',
    '  - model_name: open-gpt-4',
    '    litellm_params: { model: openai/gpt-4, api_key: k }',
  ].join('\n'),
  { env: {} },
);
const deployments = Object.values(config.models).flatMap((model) => model.deployments);

describe('preloadTokenizers', () => {
  it('loads the OpenAI tokenizers of the deployments with a tpm limit', () => {
    expect(preloadTokenizers(deployments, false)).toEqual(['o200k_base']);
  });

  it('loads every OpenAI deployment’s tokenizer when any may count a prompt', () => {
    expect(preloadTokenizers(deployments, true).sort()).toEqual(['cl100k_base', 'o200k_base']);
  });

  it('loads none for deployments that count no prompt on every job', () => {
    expect(preloadTokenizers(deployments.slice(2), false)).toEqual([]);
  });
});
