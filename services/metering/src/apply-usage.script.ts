/**
 * Applies a batch of usage events, atomically: for each event, `SET NX` of its id marker (with
 * a TTL); the events whose marker was new add their integer increments to the aggregate
 * hashes they count under, summed across the batch, so a hash many events share is written
 * once per field; then each hash written gets its TTL refreshed and its dimension value added
 * to its bucket's index set. Returns one 1 (applied) or 0 (already applied: a redelivery, a
 * second replica, a republish) per event, in order.
 *
 * KEYS: [marker_1 … marker_E, hash_1, index_1, …, hash_H, index_H]
 * ARGV: [marker TTL s, E, H, member_1, ttl_1, …, member_H, ttl_H,
 *        then per event: n, field_1, incr_1, …, field_n, incr_n, k, hash number_1 … _k]
 *
 * Lua numbers are doubles: a sum that would pass 2^53 (about 9,000 USD in pico-dollars) is
 * written first and summing starts again, so every increment stays exact.
 */
export const applyUsageLua = `
local events = tonumber(ARGV[2])
local hashes = tonumber(ARGV[3])
local exact = 2 ^ 53
-- A sum as HINCRBY takes it; a field one event alone added keeps its argument as it came.
local function integer(value)
  if type(value) == 'string' then return value end
  return string.format('%.0f', value)
end
local sums = {}
local applied = {}
local at = 4 + 2 * hashes
for e = 1, events do
  local fields = tonumber(ARGV[at])
  local firstField = at + 1
  local count = tonumber(ARGV[firstField + 2 * fields])
  local firstHash = firstField + 2 * fields + 1
  at = firstHash + count
  if redis.call('SET', KEYS[e], '1', 'NX', 'EX', ARGV[1]) then
    applied[e] = 1
    for i = firstHash, firstHash + count - 1 do
      local h = tonumber(ARGV[i])
      local sum = sums[h]
      if not sum then
        sum = {}
        sums[h] = sum
      end
      for f = firstField, firstField + 2 * fields - 2, 2 do
        local field = ARGV[f]
        local increment = ARGV[f + 1]
        local before = sum[field]
        if not before then
          sum[field] = increment
        else
          local total = tonumber(before) + tonumber(increment)
          if math.abs(total) >= exact then
            redis.call('HINCRBY', KEYS[events + 2 * h - 1], field, integer(before))
            sum[field] = increment
          else
            sum[field] = total
          end
        end
      end
    end
  else
    applied[e] = 0
  end
end
for h, sum in pairs(sums) do
  local hash = KEYS[events + 2 * h - 1]
  local index = KEYS[events + 2 * h]
  local ttl = ARGV[3 + 2 * h]
  for field, value in pairs(sum) do
    redis.call('HINCRBY', hash, field, integer(value))
  end
  redis.call('EXPIRE', hash, ttl)
  redis.call('SADD', index, ARGV[2 + 2 * h])
  redis.call('EXPIRE', index, ttl)
end
return applied
`;
