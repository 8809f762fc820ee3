import { describe, expect, it } from 'vitest';
import { formatServerUrl, loopbackFor, parseServerAddress } from './server-address';

describe('parseServerAddress', () => {
  it('reads scheme, host and port', () => {
    expect(parseServerAddress('nats://10.0.0.5:4333', 'nats', 4222)).toEqual({
      scheme: 'nats',
      host: '10.0.0.5',
      port: 4333,
    });
  });

  it('accepts a bare host and fills in the defaults', () => {
    expect(parseServerAddress('localhost', 'redis', 6379)).toEqual({
      scheme: 'redis',
      host: 'localhost',
      port: 6379,
    });
  });

  it('ignores credentials and a database path, and unwraps IPv6', () => {
    expect(parseServerAddress('redis://user:pw@[::1]:7000/2', 'redis', 6379)).toEqual({
      scheme: 'redis',
      host: '::1',
      port: 7000,
    });
  });

  it('throws an error naming the URL when it cannot be parsed', () => {
    expect(() => parseServerAddress('nats://', 'nats', 4222)).toThrow(/nats:\/\//);
  });
});

describe('formatServerUrl and loopbackFor', () => {
  it('brackets IPv6 hosts', () => {
    expect(formatServerUrl('nats', '::1', 4222)).toBe('nats://[::1]:4222');
    expect(formatServerUrl('redis', '127.0.0.1', 6379)).toBe('redis://127.0.0.1:6379');
  });

  it('maps wildcard bind addresses to loopback', () => {
    expect(loopbackFor('0.0.0.0')).toBe('127.0.0.1');
    expect(loopbackFor('::')).toBe('::1');
    expect(loopbackFor('192.168.1.2')).toBe('192.168.1.2');
  });
});
