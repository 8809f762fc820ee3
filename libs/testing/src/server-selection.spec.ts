import { describe, expect, it } from 'vitest';
import { readServerSelection } from './server-selection';

describe('readServerSelection', () => {
  it('defaults to auto', () => {
    expect(readServerSelection(undefined)).toBe('auto');
    expect(readServerSelection(' ')).toBe('auto');
  });

  it('accepts each source, in any case', () => {
    expect(readServerSelection('env')).toBe('env');
    expect(readServerSelection('Binary')).toBe('binary');
    expect(readServerSelection('container')).toBe('container');
  });

  it('rejects an unknown value, naming the allowed ones', () => {
    expect(() => readServerSelection('docker')).toThrow(/auto, binary, env, container/);
  });
});
