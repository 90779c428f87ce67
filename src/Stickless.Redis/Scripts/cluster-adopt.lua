-- Stickless Redis store, layout revision 1 (see README.md): ROTATION step 2 of 3 in Redis Cluster.
-- Creates the new id's hash from the frozen old one (step 1, commit.lua with flags x and r), if the
-- new id is free and the session has not expired meanwhile.
--
-- KEYS[1]  the new session hash             <prefix>{<new id>}
-- ARGV[1]  the session's expiry, unix ms (server clock): min(last + idle, abs)
-- ARGV[2..] field, value, ... (the new session's hash, as step 1 computed it)
--
-- Reply: 'ok' | 'exists' (the new id is taken: nothing written) | 'expired' (nothing written)
--        | 'deleted' (a delete met the rotation and left a tombstone here: nothing written)
if redis.call('EXISTS', KEYS[1]) == 1 then
  if redis.call('HEXISTS', KEYS[1], 'dead') == 1 then return 'deleted' end
  return 'exists'
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if tonumber(ARGV[1]) <= now then
  return 'expired'
end
-- In chunks: Lua's unpack cannot spread more than about 8000 values.
for i = 2, #ARGV, 1000 do
  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
redis.call('PEXPIREAT', KEYS[1], ARGV[1])
return 'ok'
