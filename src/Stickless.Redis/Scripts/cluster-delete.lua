-- Stickless Redis store, layout revision 1 (see README.md): DELETE in Redis Cluster.
-- Touches the session hash only; the store then drops the expiry bucket and per-user index entries
-- (other slots) and the Deleted event is published here.
--
-- KEYS[1]  the session hash                 <prefix>{<id>}
-- ARGV[1]  the session id
-- ARGV[2]  the event channel ('' = publish nothing)
-- ARGV[3]  '1' to delete even a frozen hash (a rotation that never finished), else '0'
--
-- Reply:
--   0                        no such session
--   {'deleted', <principal or ''>}
--   {'moved', <new id>}      a grace alias (deleted here): the caller deletes <new id>
--   {'frozen', <new id>}     a rotation to <new id> is in progress; nothing deleted (retry shortly)
--                            with ARGV[3] = '1': deleted, and the reply is {'moved', <new id>}
local meta = redis.call('HMGET', KEYS[1], 'last', 'principal', 'moved', 'frozen')
if meta[3] then
  redis.call('DEL', KEYS[1])
  return {'moved', meta[3]}
end
if not meta[1] then
  return 0
end
if meta[4] then
  if ARGV[3] ~= '1' then return {'frozen', meta[4]} end
  redis.call('DEL', KEYS[1])
  return {'moved', meta[4]}
end

local principal = meta[2] or ''
redis.call('DEL', KEYS[1])
if ARGV[2] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('PUBLISH', ARGV[2], 'D|' .. string.format('%d', now) .. '|' .. ARGV[1] .. '||' .. principal)
end
return {'deleted', principal}
