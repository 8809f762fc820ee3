import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem } from './config-error';

describe('ConfigError', () => {
  it('has a heading and one line per problem', () => {
    const cause = new Error('root');
    const error = new ConfigError(
      'c.yaml',
      [
        { path: 'a.b', line: 3, column: 7, message: 'bad' },
        { path: 'switchyard.redis.url', message: 'worse' },
        { path: '', message: 'config file not found' },
      ],
      { cause },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConfigError');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe(
      [
        'c.yaml is not a valid Switchyard config (3 problems):',
        'c.yaml:3:7 a.b: bad',
        'c.yaml: switchyard.redis.url: worse',
        'c.yaml: config file not found',
      ].join('\n'),
    );
  });

  it('formats a problem with a line but no column', () => {
    expect(formatProblem('c.yaml', { path: 'x', line: 2, message: 'm' })).toBe('c.yaml:2 x: m');
  });
});
