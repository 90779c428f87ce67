-- Stickless Redis store, layout revision 1 (see README.md): DELETE in Redis Cluster.
-- Touches the session hash only; the store then drops the expiry bucket and per-user index entries
-- (other slots) and the Deleted event is published here.
--
-- KEYS[1]  the session hash                 <prefix>{<id>}
-- ARGV[1]  the session id
-- ARGV[2]  the event channel ('' = publish nothing)
-- ARGV[3]  '1' when this id is the target of a rotation whose old hash this delete just removed: if the
--          id does not exist yet, leave a tombstone (10 s, the longest a rotation may take) so that the
--          rotation's step 2 (cluster-adopt.lua) cannot create it after the delete; else '0'
--
-- Reply:
--   0                          no such session
--   {'deleted', <principal or ''>}
--   {'moved', <new id>}        a grace alias or a frozen hash (a rotation under way), deleted here: the
--                              caller deletes <new id> too, with ARGV[3] = '1'
local TOMBSTONE_MS = 10000
local meta = redis.call('HMGET', KEYS[1], 'last', 'principal', 'moved', 'frozen', 'dead')
if meta[3] or meta[4] then
  redis.call('DEL', KEYS[1])
  return {'moved', meta[3] or meta[4]}
end
if meta[5] then
  return 0
end
if not meta[1] then
  if ARGV[3] == '1' then
    redis.call('HSET', KEYS[1], 'dead', '1')
    redis.call('PEXPIRE', KEYS[1], TOMBSTONE_MS)
  end
  return 0
end

local principal = meta[2] or ''
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('PUBLISH', ARGV[2], 'D|' .. string.format('%d', now) .. '|' .. ARGV[1] .. '||' .. principal)
end
return {'deleted', principal}
