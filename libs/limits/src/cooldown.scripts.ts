import { defineScript } from './redis-script';

/**
 * KEYS[1] the failures sorted set, KEYS[2] the cooldown string. ARGV: windowMs,
 * allowedFails, cooldownMs, a unique member for this failure. Time is the Redis server's
 * clock, the one clock every replica shares.
 *
 * While a cooldown runs, failures are not counted (they come from calls started before it)
 * and the reply is its end. Otherwise the failure is added, failures older than the window
 * dropped, and when more than allowedFails remain the deployment is cooled down for
 * cooldownMs and its failures are cleared, so it comes back with a fresh allowance.
 * Replies the cooldown's end (epoch ms), or nil.
 */
export const recordFailureScript = defineScript(`
local existing = redis.call('GET', KEYS[2])
if existing then
  return tonumber(existing)
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local windowMs = tonumber(ARGV[1])
local allowedFails = tonumber(ARGV[2])
local cooldownMs = tonumber(ARGV[3])

redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
redis.call('ZADD', KEYS[1], now, ARGV[4])
if redis.call('ZCARD', KEYS[1]) > allowedFails then
  local untilMs = now + cooldownMs
  redis.call('SET', KEYS[2], string.format('%d', untilMs), 'PX', cooldownMs)
  redis.call('DEL', KEYS[1])
  return untilMs
end
redis.call('PEXPIRE', KEYS[1], windowMs)
return false
`);
