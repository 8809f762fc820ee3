import { describe, expect, it } from 'vitest';
import { isNatsGreeting, isRedisPong, isRedisReplyToPing } from './protocol-probe';

describe('protocol replies', () => {
  it('recognises the NATS INFO greeting', () => {
    expect(isNatsGreeting('INFO {"server_id":"N1","version":"2.9.10"}')).toBe(true);
    expect(isNatsGreeting('+PONG')).toBe(false);
    expect(isNatsGreeting('HTTP/1.1 400 Bad Request')).toBe(false);
  });

  it('tells a ready Redis from one that answers with an error', () => {
    expect(isRedisPong('+PONG')).toBe(true);
    expect(isRedisPong('-LOADING Redis is loading the dataset in memory')).toBe(false);
    expect(isRedisReplyToPing('-NOAUTH Authentication required.')).toBe(true);
    expect(isRedisReplyToPing('INFO {}')).toBe(false);
  });
});
