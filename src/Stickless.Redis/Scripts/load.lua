-- Stickless Redis store, layout revision 1 (see Scripts/README.md): LOAD.
-- Reads a session and, when the touch throttle says so, moves its idle expiry, in one round trip.
-- A load that does not touch writes nothing.
--
-- KEYS[1]  the session hash                 <prefix>{<id>}
-- KEYS[2]  the expiry index (sorted set)    <prefix>expiry; absent in Redis Cluster, where the store
--          updates its expiry bucket (another slot) itself after a touch
-- ARGV[1]  touch-after, in milliseconds: touch when (server now - last) >= this
-- ARGV[2]  the session id (the expiry index member is "<id>" or "<id>:<principal>")
--
-- Reply:
--   nil                                   no such session (never issued, deleted or expired)
--   {'moved', <new id>}                   the id was rotated away and is inside its grace period
--   {'frozen', <new id>, <grace ms>}      (cluster) a rotation to <new id> is under way: with grace 0 the
--                                         id is already dead (nothing returned); else follow <new id>
--   {'ok', <now ms>, <touched 0|1>, <field>, <value>, ...}
--                                         every field of the hash (HGETALL order); "last" is the value
--                                         before the touch: when touched, last accessed = <now ms>
--
-- Time is the server's (TIME), the same clock that runs PEXPIREAT: app nodes' clocks may disagree.
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then
  return false
end

local last, idle, abs, principal, moved, frozen, fgrace, dead
for i = 1, #h, 2 do
  local f = h[i]
  if f == 'last' then last = tonumber(h[i + 1])
  elseif f == 'idle' then idle = tonumber(h[i + 1])
  elseif f == 'abs' then abs = tonumber(h[i + 1])
  elseif f == 'principal' then principal = h[i + 1]
  elseif f == 'moved' then moved = h[i + 1]
  elseif f == 'frozen' then frozen = h[i + 1]
  elseif f == 'fgrace' then fgrace = h[i + 1]
  elseif f == 'dead' then dead = true
  end
end

if moved then
  return {'moved', moved}
end
-- A frozen hash (cluster rotation step 1 done) is never read as a session: the rotation may have bound a
-- new principal, which only the new id may carry. A tombstone (a delete that met a rotation) is nothing.
if frozen then
  return {'frozen', frozen, fgrace or '0'}
end
if dead then
  return false
end

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local touched = 0
if last and idle and abs and now - last >= tonumber(ARGV[1]) then
  local expireAt = math.min(now + idle, abs)
  local member = ARGV[2]
  if principal then member = member .. ':' .. principal end
  redis.call('HSET', KEYS[1], 'last', string.format('%d', now))
  redis.call('PEXPIREAT', KEYS[1], string.format('%d', expireAt))
  if KEYS[2] then redis.call('ZADD', KEYS[2], string.format('%d', expireAt), member) end
  touched = 1
end

local reply = {'ok', now, touched}
for i = 1, #h do
  reply[i + 3] = h[i]
end
return reply
