import { defineScript } from './redis-script';

/*
 * One budget scope (a tenant, or a virtual key) is a hash and a sorted set. The hash: `p` the
 * period it counts, `spent` and `reserved` in integer micro-dollars, and `e80` / `e100` once
 * those events were published for the period. The sorted set holds the period's live
 * reservations ("holds"): member `<micros>:<hold id>`, score the time it expires. `reserved` is
 * always the sum of the live holds: a hold past its expiry is taken out of it the next time
 * the scope is touched, so a reservation whose worker died stops counting on its own.
 *
 * The period is floor(now / durationMs), epoch-aligned; a budget that never resets has
 * duration 0 and period 0. A hash found holding an older period is reset first (rollover,
 * holds included), so no job ever has to clear old periods.
 */

/** Reads the clock: ARGV[1] when given (tests), else the Redis server's TIME in ms. */
const readNow = `
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/**
 * `open(key, holds, duration)`: resets a scope to the current period when it holds another
 * one, else takes the expired holds out of `reserved`; sets the hash's TTL; returns the period.
 */
const openScope = `
local function periodOf(duration, at)
  if duration > 0 then return math.floor(at / duration) end
  return 0
end
local function open(key, holds, duration)
  local period = periodOf(duration, now)
  local stored = tonumber(redis.call('HGET', key, 'p'))
  if stored ~= period then
    redis.call('DEL', key, holds)
    redis.call('HSET', key, 'p', period, 'spent', 0, 'reserved', 0)
  else
    local expired = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
    if #expired > 0 then
      local freed = 0
      for _, member in ipairs(expired) do
        freed = freed + tonumber(string.match(member, '^(%d+):'))
      end
      redis.call('ZREMRANGEBYSCORE', holds, '-inf', now)
      if redis.call('HINCRBY', key, 'reserved', 0 - freed) < 0 then
        redis.call('HSET', key, 'reserved', 0)
      end
    end
    if redis.call('EXISTS', holds) == 0 then redis.call('HSET', key, 'reserved', 0) end
  end
  if duration > 0 then
    redis.call('PEXPIRE', key, (period + 1) * duration - now + 60000)
  end
  return period
end
`;

/**
 * KEYS: per scope its hash and its holds. ARGV: now ('' = server time), estimate (µ$), the
 * hold's member (`<estimate>:<id>`), the hold's TTL (ms), then per scope its max (µ$) and
 * duration (ms, 0 = never resets).
 * Reserves `estimate` on every scope if, on each, spent + reserved + estimate <= max and
 * spent + reserved < max; else on none. A reservation is a hold that expires after its TTL.
 * Replies {1, now} when reserved, else {0, index of the first scope without room, spent,
 * reserved, period, e100} where e100 is 1 when this refusal is the period's first of a job
 * that would fit an empty budget.
 */
export const reserveBudgetScript = defineScript(`${readNow}${openScope}
local estimate = tonumber(ARGV[2])
local member = ARGV[3]
local ttl = tonumber(ARGV[4])
local n = math.floor(#KEYS / 2)
for i = 1, n do
  local key = KEYS[2 * i - 1]
  local max = tonumber(ARGV[3 + 2 * i])
  local period = open(key, KEYS[2 * i], tonumber(ARGV[4 + 2 * i]))
  local spent = tonumber(redis.call('HGET', key, 'spent'))
  local reserved = tonumber(redis.call('HGET', key, 'reserved'))
  if spent + reserved + estimate > max or spent + reserved >= max then
    local first = 0
    if estimate <= max and redis.call('HSETNX', key, 'e100', 1) == 1 then first = 1 end
    return {0, i, spent, reserved, period, first}
  end
end
for i = 1, n do
  local holds = KEYS[2 * i]
  redis.call('HINCRBY', KEYS[2 * i - 1], 'reserved', estimate)
  redis.call('ZADD', holds, now + ttl, member)
  if redis.call('PTTL', holds) < ttl then redis.call('PEXPIRE', holds, ttl) end
end
return {1, now}
`);

/**
 * KEYS: per scope its hash and its holds, then optionally the marker of the usage event whose
 * cost this is. ARGV: now ('' = server time), estimate (µ$), actual (µ$), the hold's member
 * ('' for none), at (epoch ms of the spend, '' = now), the longest a marker is kept (ms), then
 * per scope its max (µ$) and duration (ms).
 * Takes the hold back where it is still live (an expired or older-period hold no longer
 * counts), and adds the actual cost to the spend of every scope whose current period holds
 * `at` — unless the marker shows this usage event was counted already (the marker lives until
 * the period ends, at most the given longest). Replies per scope {spent, period, crossed80,
 * crossed100} (crossed = 1 the first time in the period).
 */
export const settleBudgetScript = defineScript(`${readNow}${openScope}
local estimate = tonumber(ARGV[2])
local actual = tonumber(ARGV[3])
local member = ARGV[4]
local at = tonumber(ARGV[5]) or now
local markerTtl = tonumber(ARGV[6])
local n = math.floor(#KEYS / 2)
local marker = KEYS[2 * n + 1]
local periods = {}
for i = 1, n do
  local key = KEYS[2 * i - 1]
  periods[i] = open(key, KEYS[2 * i], tonumber(ARGV[6 + 2 * i]))
  if member ~= '' and redis.call('ZREM', KEYS[2 * i], member) == 1 then
    if redis.call('HINCRBY', key, 'reserved', 0 - estimate) < 0 then
      redis.call('HSET', key, 'reserved', 0)
    end
  end
end
local count = actual > 0
if count and marker then
  local ttl = 0
  for i = 1, n do
    local duration = tonumber(ARGV[6 + 2 * i])
    local left = markerTtl
    if duration > 0 then left = math.min(left, (periods[i] + 1) * duration - now) end
    ttl = math.max(ttl, left)
  end
  count = redis.call('SET', marker, '1', 'NX', 'PX', ttl + 60000) ~= false
end
local reply = {}
for i = 1, n do
  local key = KEYS[2 * i - 1]
  local max = tonumber(ARGV[5 + 2 * i])
  local added = 0
  if count and periodOf(tonumber(ARGV[6 + 2 * i]), at) == periods[i] then added = actual end
  local spent = redis.call('HINCRBY', key, 'spent', added)
  local crossed80, crossed100 = 0, 0
  if added > 0 and spent * 5 >= max * 4 then crossed80 = redis.call('HSETNX', key, 'e80', 1) end
  if added > 0 and spent >= max then crossed100 = redis.call('HSETNX', key, 'e100', 1) end
  reply[i] = {spent, periods[i], crossed80, crossed100}
end
return reply
`);
