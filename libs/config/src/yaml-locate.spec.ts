import { describe, expect, it } from 'vitest';
import { readYaml } from './read-yaml';
import { formatPath, valueAt } from './yaml-path';

const text = [
  'model_list:',
  '  - model_name: a',
  '    litellm_params:',
  '      model: openai/gpt-4o',
  '      rpm: 5',
  'defaults: &d { x: 1 }',
  'alias: *d',
].join('\n');

describe('YAML paths and positions', () => {
  const { value, locate } = readYaml(text, 't.yaml');

  it('finds the value, or the key, at a path', () => {
    expect(locate(['model_list', 0, 'litellm_params', 'rpm'])).toEqual({ line: 5, column: 12 });
    expect(locate(['model_list', 0, 'litellm_params', 'rpm'], 'key')).toEqual({
      line: 5,
      column: 7,
    });
    expect(locate(['model_list', 0])).toEqual({ line: 2, column: 5 });
  });

  it('answers the nearest present parent for a missing key', () => {
    expect(locate(['model_list', 0, 'litellm_params', 'tpm'])).toEqual({ line: 3, column: 5 });
    expect(locate(['model_list', 3, 'model_name'])).toEqual({ line: 1, column: 1 });
  });

  it('follows aliases', () => {
    expect(locate(['alias', 'x'])).toEqual({ line: 6, column: 19 });
  });

  it('formats paths as written and reads values by path', () => {
    expect(formatPath(['model_list', 1, 'litellm_params', 'rpm'])).toBe(
      'model_list[1].litellm_params.rpm',
    );
    expect(formatPath(['router_settings', 'fallbacks', 0, 'gpt-3.5-turbo'])).toBe(
      'router_settings.fallbacks[0]["gpt-3.5-turbo"]',
    );
    expect(valueAt(value, ['model_list', 0, 'litellm_params', 'rpm'])).toBe(5);
    expect(valueAt(value, ['model_list', 0, 'nope', 'rpm'])).toBeUndefined();
  });
});
