import { defineScript } from '@switchyard/limits';

/**
 * KEYS[1] the key's rpm hash (fields w = window index, n = requests in it). ARGV: rpm, now
 * (epoch ms, '' for the Redis clock). Windows are fixed 60 s intervals of the epoch. Counts the
 * request and replies 0 when the current window has room, else replies the ms until it ends
 * (counting nothing).
 */
export const takeRequestScript = defineScript(`
local now = tonumber(ARGV[2])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
local window = math.floor(now / 60000)
local windowEnd = (window + 1) * 60000
local used = 0
if tonumber(redis.call('HGET', KEYS[1], 'w')) == window then
  used = tonumber(redis.call('HGET', KEYS[1], 'n'))
end
if used >= tonumber(ARGV[1]) then
  return math.max(windowEnd - now, 1)
end
redis.call('HSET', KEYS[1], 'w', string.format('%d', window), 'n', used + 1)
redis.call('PEXPIRE', KEYS[1], windowEnd - now + 1000)
return 0
`);

/** The Redis hash of one key's current rpm window: `<keyPrefix>keys:{<key id>}:rpm`. */
export function rpmKey(keyPrefix: string, keyId: string): string {
  return `${keyPrefix}keys:{${keyId}}:rpm`;
}
