import { describe, expect, it } from 'vitest';
import { portOption } from './port-option';
import { UserError } from './user-error';

describe('portOption', () => {
  it('reads a port, and nothing when the option is absent', () => {
    expect(portOption('metrics-port', '9464')).toBe(9464);
    expect(portOption('metrics-port', '0')).toBe(0);
    expect(portOption('metrics-port', undefined)).toBeUndefined();
  });

  it('refuses anything else, naming the option', () => {
    for (const bad of ['', ' ', 'abc', '-1', '65536', '80.5']) {
      expect(() => portOption('metrics-port', bad)).toThrow(UserError);
    }
    expect(() => portOption('metrics-port', 'x')).toThrow(
      '--metrics-port must be a port number, got "x"',
    );
  });
});
