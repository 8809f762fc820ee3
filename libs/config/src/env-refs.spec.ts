import { describe, expect, it } from 'vitest';
import { envRefName, resolveEnvRef } from './env-refs';

describe('os.environ/ references', () => {
  it('resolves a reference from the given environment only', () => {
    expect(resolveEnvRef('os.environ/KEY', { KEY: 'v' })).toEqual({ ok: true, value: 'v' });
    expect(resolveEnvRef('plain', {})).toEqual({ ok: true, value: 'plain' });
  });

  it('names an unset or empty variable', () => {
    expect(resolveEnvRef('os.environ/KEY', {})).toEqual({
      ok: false,
      variable: 'KEY',
      message: 'environment variable KEY is not set',
    });
    expect(resolveEnvRef('os.environ/KEY', { KEY: '' })).toMatchObject({
      message: 'environment variable KEY is empty',
    });
  });

  it('recognises only whole-string references', () => {
    expect(envRefName('os.environ/A_1')).toBe('A_1');
    expect(envRefName('prefix os.environ/A')).toBeUndefined();
    expect(envRefName(5)).toBeUndefined();
    expect(resolveEnvRef('os.environ/1BAD', { '1BAD': 'x' }).ok).toBe(false);
  });
});
