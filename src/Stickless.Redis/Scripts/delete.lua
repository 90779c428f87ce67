-- Stickless Redis store, layout revision 1 (see Scripts/README.md): DELETE.
-- Removes the session, its expiry index entry and its per-user index entry, and publishes Deleted.
--
-- KEYS[1]  the session hash                 <prefix>{<id>}
-- KEYS[2]  the expiry index (sorted set)    <prefix>expiry
-- KEYS[3]  the per-user index of the principal the caller believes the session has, <ARGV[2]>{<principal>}
--          (else KEYS[1]); when the session has another principal the script answers {'principal', <name>}
--          and deletes nothing
-- ARGV[1]  the session id
-- ARGV[2]  the per-user index prefix: the index of principal P is <ARGV[2]>{P}
-- ARGV[3]  the event channel ('' = publish nothing)
--
-- Reply:
--   0                         no such session
--   1                         deleted
--   {'moved', <new id>}       the id was a grace alias: the alias is deleted, the caller deletes <new id>
--   {'principal', <name>}     KEYS[3] is not <name>'s index; nothing deleted (the caller repeats with it)
local meta = redis.call('HMGET', KEYS[1], 'last', 'principal', 'moved')
if meta[3] then
  redis.call('DEL', KEYS[1])
  return {'moved', meta[3]}
end
if not meta[1] then
  return 0
end

local id, principal = ARGV[1], meta[2]
if principal and KEYS[3] ~= ARGV[2] .. '{' .. principal .. '}' then
  return {'principal', principal}
end
redis.call('DEL', KEYS[1])
if principal then
  redis.call('ZREM', KEYS[2], id .. ':' .. principal)
  redis.call('SREM', KEYS[3], id)
else
  redis.call('ZREM', KEYS[2], id)
end
if ARGV[3] ~= '' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('PUBLISH', ARGV[3], 'D|' .. string.format('%d', now) .. '|' .. id .. '||' .. (principal or ''))
end
return 1
