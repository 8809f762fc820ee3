import { describe, expect, it } from 'vitest';
import { describeValue, isSecretPath } from './issue-to-problems';

describe('describeValue', () => {
  it('quotes ordinary values and shortens long strings', () => {
    expect(describeValue('fast', false)).toBe('"fast"');
    expect(describeValue(-2, false)).toBe('-2');
    expect(describeValue(true, false)).toBe('true');
    expect(describeValue('x'.repeat(100), false)).toBe(`"${'x'.repeat(57)}..."`);
    expect(describeValue([], false)).toBe('an empty list');
    expect(describeValue({}, false)).toBe('a mapping');
    expect(describeValue(null, false)).toBe('an empty value');
  });

  it('names only the type of a secret', () => {
    expect(describeValue('sk-secret', true)).toBe('a string');
    expect(describeValue(1234, true)).toBe('a number');
  });
});

describe('isSecretPath', () => {
  it('treats keys, passwords, URLs and servers as secret', () => {
    expect(isSecretPath(['model_list', 0, 'litellm_params', 'api_key'])).toBe(true);
    expect(isSecretPath(['switchyard', 'nats', 'servers', 1])).toBe(true);
    expect(isSecretPath(['general_settings', 'master_key'])).toBe(true);
    expect(isSecretPath(['model_list', 0, 'litellm_params', 'rpm'])).toBe(false);
  });
});
