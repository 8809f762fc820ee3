/**
 * Applies one usage event, atomically: `SET NX` of its id marker (with a TTL), and only when
 * that succeeded, the same integer increments on every aggregate hash of the event, each
 * hash's dimension value added to its bucket's index set, TTLs refreshed. Returns 1 when
 * applied, 0 when the id was already applied (a redelivery, a second replica, a republish).
 *
 * KEYS: [marker, hash1, index1, hash2, index2, …]
 * ARGV: [marker TTL s, n, field1, incr1, …, fieldN, incrN, member1, ttl1, member2, ttl2, …]
 */
export const applyUsageLua = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
local n = tonumber(ARGV[2])
local base = 2 + 2 * n
for i = 1, (#KEYS - 1) / 2 do
  local hash = KEYS[2 * i]
  local index = KEYS[2 * i + 1]
  local ttl = ARGV[base + 2 * i]
  for f = 1, n do
    redis.call('HINCRBY', hash, ARGV[1 + 2 * f], ARGV[2 + 2 * f])
  end
  redis.call('EXPIRE', hash, ttl)
  redis.call('SADD', index, ARGV[base + 2 * i - 1])
  redis.call('EXPIRE', index, ttl)
end
return 1
`;
