import { defineScript } from './redis-script';

/*
 * One deployment's window is a hash of per-slot counters: `r:<slot>` requests and
 * `t:<slot>` tokens, where slot = floor(now / slotMs). A reservation at slot c counts every
 * slot from c - slots to c (slots + 1 of them, so the lookback always covers a full window
 * and never less), plus any later slot a faster clock wrote. Slots older than that are
 * deleted on the way.
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
 * KEYS[1] the window hash. ARGV: now ('' = server time), rpm ('' = unlimited),
 * tpm ('' = unlimited), estimated tokens, slotMs, slots per window.
 * Replies {1, slot, now} when reserved, else {0, waitMs, 'rpm' | 'tpm'}.
 */
export const reserveScript = defineScript(`${readNow}
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local tokens = tonumber(ARGV[4])
local slotMs = tonumber(ARGV[5])
local slots = tonumber(ARGV[6])
local current = math.floor(now / slotMs)
local oldest = current - slots

local raw = redis.call('HGETALL', KEYS[1])
local perSlot = { r = {}, t = {} }
local totals = { r = 0, t = 0 }
local live = {}
local stale = {}
for i = 1, #raw, 2 do
  local kind = string.sub(raw[i], 1, 1)
  local slot = tonumber(string.sub(raw[i], 3))
  local value = tonumber(raw[i + 1])
  if slot < oldest then
    stale[#stale + 1] = raw[i]
  else
    perSlot[kind][slot] = value
    totals[kind] = totals[kind] + value
    if kind == 'r' then live[#live + 1] = slot end
  end
end
if #stale > 0 then
  redis.call('HDEL', KEYS[1], unpack(stale))
end
table.sort(live)

-- How long until the oldest slots holding at least excess units have left the window.
local function waitFor(kind, excess)
  local freed = 0
  for _, slot in ipairs(live) do
    freed = freed + (perSlot[kind][slot] or 0)
    if freed >= excess then
      return math.max(1, (slot + slots + 1) * slotMs - now)
    end
  end
  return slotMs
end

local waitMs = 0
local reason = ''
if rpm and totals.r + 1 > rpm then
  waitMs = waitFor('r', totals.r + 1 - rpm)
  reason = 'rpm'
end
if tpm then
  local needed = math.min(tokens, tpm)
  if totals.t + needed > tpm then
    local tokenWait = waitFor('t', totals.t + needed - tpm)
    if tokenWait > waitMs then
      waitMs = tokenWait
      reason = 'tpm'
    end
  end
end
if reason ~= '' then
  return { 0, waitMs, reason }
end

redis.call('HINCRBY', KEYS[1], 'r:' .. current, 1)
redis.call('HINCRBY', KEYS[1], 't:' .. current, tokens)
redis.call('PEXPIRE', KEYS[1], (slots + 2) * slotMs)
return { 1, current, now }
`);

/**
 * KEYS[1] the window hash. ARGV: slot, request delta, token delta. Adds the deltas to a
 * reservation's slot, never below zero; does nothing once the slot has left the window
 * (then it no longer counts, and writing it would create a key without a TTL).
 * Replies 1 when applied, 0 when the slot was gone.
 */
export const adjustScript = defineScript(`
local requestsField = 'r:' .. ARGV[1]
local tokensField = 't:' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], tokensField) == 0 then
  return 0
end
local deltas = { [requestsField] = tonumber(ARGV[2]), [tokensField] = tonumber(ARGV[3]) }
for field, delta in pairs(deltas) do
  if delta ~= 0 and redis.call('HINCRBY', KEYS[1], field, delta) < 0 then
    redis.call('HSET', KEYS[1], field, 0)
  end
end
return 1
`);
