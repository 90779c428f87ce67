-- Stickless Redis store, layout revision 1 (see README.md): add an id to a per-user index in Redis
-- Cluster, where the commit script (another slot) cannot.
--
-- KEYS[1]  the per-user index (set)         <prefix>user:{<principal>}
-- ARGV[1]  the session id
-- ARGV[2]  the session's absolute expiry, unix ms; 0 when not known yet (added ahead of the commit):
--          then a key without expiry gets one day, which the commit's own call extends
--
-- Reply: 1
redis.call('SADD', KEYS[1], ARGV[1])
local ttl = redis.call('PTTL', KEYS[1])
local abs = tonumber(ARGV[2])
if abs == 0 then
  if ttl < 0 then redis.call('PEXPIRE', KEYS[1], 86400000) end
  return 1
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ttl < 0 or now + ttl < abs then redis.call('PEXPIREAT', KEYS[1], string.format('%d', abs)) end
return 1
