import { ConfigError } from '@switchyard/config';
import { describe, expect, it } from 'vitest';
import { describeFatalError } from './run-main';
import { UserError } from './user-error';

describe('describeFatalError', () => {
  it('prints the message alone for errors the user can fix', () => {
    expect(describeFatalError(new UserError('nats: nothing answers at nats://x:4222'))).toBe(
      'nats: nothing answers at nats://x:4222',
    );
    const configError = new ConfigError('config.yaml', [
      { path: 'model_list', line: 1, column: 1, message: 'is missing' },
    ]);
    expect(describeFatalError(configError)).toBe(configError.message);
  });

  it('prints the stack for anything else', () => {
    const bug = new TypeError('x is undefined');
    expect(describeFatalError(bug)).toBe(bug.stack);
    expect(describeFatalError('plain')).toBe('plain');
  });
});
