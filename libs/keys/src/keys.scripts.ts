import { defineScript } from '@switchyard/limits';

/**
 * KEYS: records, secrets, aliases, revoked. ARGV: id, sha256 of the secret, alias ('' for
 * none), the record as JSON. Refuses an alias held by a live key ('alias_taken') and, very
 * unlikely, an id or secret already in use ('collision'); otherwise writes every index at once
 * and replies 'ok'.
 */
export const createKeyScript = defineScript(`
local alias = ARGV[3]
if alias ~= '' then
  local holder = redis.call('HGET', KEYS[3], alias)
  if holder and redis.call('HEXISTS', KEYS[4], holder) == 0 then
    return 'alias_taken'
  end
end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 or redis.call('HEXISTS', KEYS[2], ARGV[2]) == 1 then
  return 'collision'
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[4])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[1])
if alias ~= '' then
  redis.call('HSET', KEYS[3], alias, ARGV[1])
end
return 'ok'
`);

/**
 * KEYS: secrets, records, revoked. ARGV: sha256 of the secret. Replies the record's JSON when
 * the secret belongs to a live key, else nil.
 */
export const verifyKeyScript = defineScript(`
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id or redis.call('HEXISTS', KEYS[3], id) == 1 then
  return false
end
return redis.call('HGET', KEYS[2], id)
`);

/**
 * KEYS: records, aliases, revoked. ARGV: an id or alias, now (epoch ms). Marks the key revoked
 * unless it already is (keeping the first revokedAt) and replies { record JSON, revokedAt },
 * or nil when no key has that id or alias.
 */
export const revokeKeyScript = defineScript(`
local id = ARGV[1]
if redis.call('HEXISTS', KEYS[1], id) == 0 then
  id = redis.call('HGET', KEYS[2], ARGV[1])
  if not id then
    return false
  end
end
redis.call('HSETNX', KEYS[3], id, ARGV[2])
return { redis.call('HGET', KEYS[1], id), redis.call('HGET', KEYS[3], id) }
`);

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
