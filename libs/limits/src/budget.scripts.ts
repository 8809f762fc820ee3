import { defineScript } from './redis-script';

/*
 * One budget scope (a tenant, or a virtual key) is one hash: `p` the period it counts,
 * `spent` and `reserved` in integer micro-dollars, and `e80` / `e100` once those events were
 * published for the period. The period is floor(now / durationMs), epoch-aligned; a budget
 * that never resets has duration 0 and period 0. A hash found holding an older period is
 * reset first (rollover), so no job ever has to clear old periods.
 */

/** Reads the clock: ARGV[1] when given (tests), else the Redis server's TIME in ms. */
const readNow = `
local now = tonumber(ARGV[1])
if not now then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
`;

/** Resets a scope's hash to `period` when it holds another one; sets its TTL. */
const rollover = `
local function periodOf(duration)
  if duration > 0 then return math.floor(now / duration) end
  return 0
end
local function open(key, duration)
  local period = periodOf(duration)
  local stored = tonumber(redis.call('HGET', key, 'p'))
  if stored ~= period then
    redis.call('DEL', key)
    redis.call('HSET', key, 'p', period, 'spent', 0, 'reserved', 0)
  end
  if duration > 0 then
    redis.call('PEXPIRE', key, (period + 1) * duration - now + 60000)
  end
  return period
end
`;

/**
 * KEYS: the scopes' hashes. ARGV: now ('' = server time), estimate (µ$), then per scope its
 * max (µ$) and duration (ms, 0 = never resets).
 * Reserves `estimate` on every scope if, on each, spent + reserved + estimate <= max and
 * spent + reserved < max; else on none. Replies {1, now, period1, period2, ...} when reserved,
 * else {0, index of the first scope without room, spent, reserved, period, e100} where e100 is 1
 * when this refusal is the period's first of a job that would fit an empty budget.
 */
export const reserveBudgetScript = defineScript(`${readNow}${rollover}
local estimate = tonumber(ARGV[2])
local periods = {}
for i = 1, #KEYS do
  local max = tonumber(ARGV[1 + 2 * i])
  local period = open(KEYS[i], tonumber(ARGV[2 + 2 * i]))
  periods[i] = period
  local spent = tonumber(redis.call('HGET', KEYS[i], 'spent'))
  local reserved = tonumber(redis.call('HGET', KEYS[i], 'reserved'))
  if spent + reserved + estimate > max or spent + reserved >= max then
    local first = 0
    if estimate <= max and redis.call('HSETNX', KEYS[i], 'e100', 1) == 1 then first = 1 end
    return {0, i, spent, reserved, period, first}
  end
end
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], 'reserved', estimate)
end
local reply = {1, now}
for i = 1, #KEYS do reply[i + 2] = periods[i] end
return reply
`);

/**
 * KEYS: the scopes' hashes. ARGV: now ('' = server time), estimate (µ$), actual (µ$), then per
 * scope its max (µ$), duration (ms) and the period the reservation was made in.
 * Takes the reservation back where its period is still current (another period starts clean),
 * adds the actual cost to the current period's spend, and replies per scope
 * {spent, period, crossed80, crossed100} (crossed = 1 the first time in the period).
 */
export const settleBudgetScript = defineScript(`${readNow}${rollover}
local estimate = tonumber(ARGV[2])
local actual = tonumber(ARGV[3])
local reply = {}
for i = 1, #KEYS do
  local key = KEYS[i]
  local max = tonumber(ARGV[1 + 3 * i])
  local period = open(key, tonumber(ARGV[2 + 3 * i]))
  if period == tonumber(ARGV[3 + 3 * i]) then
    local left = redis.call('HINCRBY', key, 'reserved', 0 - estimate)
    if left < 0 then redis.call('HSET', key, 'reserved', 0) end
  end
  local spent = redis.call('HINCRBY', key, 'spent', actual)
  local crossed80, crossed100 = 0, 0
  if actual > 0 and spent * 5 >= max * 4 then crossed80 = redis.call('HSETNX', key, 'e80', 1) end
  if actual > 0 and spent >= max then crossed100 = redis.call('HSETNX', key, 'e100', 1) end
  reply[i] = {spent, period, crossed80, crossed100}
end
return reply
`);
