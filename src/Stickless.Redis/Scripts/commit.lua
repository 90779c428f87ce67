-- Stickless Redis store, layout revision 1 (see Scripts/README.md): COMMIT of one change set.
-- Atomic (one script), one round trip. Checks everything before writing anything: a refused commit
-- writes nothing. Never recreates a session that is gone (no resurrection): only 'n' creates.
--
-- KEYS[1]  the session hash                 <prefix>{<id>}
-- KEYS[2]  the expiry index (sorted set)    <prefix>expiry
-- KEYS[3]  the new session hash             <prefix>{<new id>}   (only with flag 'r')
-- ARGV[1]  flags, any of: n = create, t = touch, c = clear attributes first,
--          p = bind principal ARGV[4], u = unbind principal, r = rotate the id to ARGV[7],
--          x = Redis Cluster: touch KEYS[1] only (the caller keeps the indexes; KEYS[2] and KEYS[3] are
--              not passed), reply 'okx'; with r, freeze this hash instead of moving it (see below)
-- ARGV[2]  idle timeout, ms (create only)
-- ARGV[3]  absolute timeout left, ms (create only): absolute expiry = server now + this
-- ARGV[4]  the principal (flag p)
-- ARGV[5]  grace for the old id after a rotation, ms (0 = dead at once)
-- ARGV[6]  the session id
-- ARGV[7]  the new session id (flag r)
-- ARGV[8]  the per-user index prefix: the index of principal P is <ARGV[8]>{P}
-- ARGV[9]  the event channel ('' = publish nothing)
-- ARGV[10] N, the number of attribute changes, followed by N groups of 4 arguments:
--          name, op ('s' = set, 'r' = remove), expected version ('' = blind; 0 = must not exist), value
--
-- Reply:
--   {'ok', <now ms>, <name>, <new version>, ...}     committed; the new version of every set attribute
--   {'notfound'}                                     the session does not exist; nothing written
--   {'exists'}                                       create (or rotation target) found the id taken
--   {'moved', <new id>}                              the id is a grace alias of <new id>; nothing written
--   {'conflict', <name>, <version>, <value>, ...}    a compare-and-set failed; version 0 and value nil
--                                                    mean the attribute does not exist; nothing written
--   {'frozen', <new id>}                             (cluster) the session is being rotated to <new id>;
--                                                    nothing written: retry shortly
--   with x: {'okx', <now>, <expire at>, <abs>, <expiry moved 0|1>, <old principal|''>, <principal|''>,
--            <N>, <name>, <version> (N pairs), and with r: <field>, <value>, ... (the frozen hash)}
--
-- Versions come from the session's 'gen' counter, so they only grow, even across remove and re-add.
-- Cluster: without x, KEYS[1] and KEYS[3] are in different slots and the per-user index keys are derived
-- here (not declared), which only standalone Redis (and Sentinel) accepts. With x the script touches
-- KEYS[1] alone; the store updates the indexes and runs the rotation's other steps (see README.md).
local key = KEYS[1]
local flags = ARGV[1]
local function has(c) return string.find(flags, c, 1, true) ~= nil end
local function int(n) return string.format('%d', n) end
local isNew, touch, clear, rotate, external = has('n'), has('t'), has('c'), has('r'), has('x')
-- (cluster) A frozen hash lives at most this long: if the rotation's later steps never come, the old id
-- dies by itself instead of lingering read-only.
local FREEZE_MS = 10000
local id, newId, userPrefix, channel = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local n = tonumber(ARGV[10])

-- 1. Read what the checks need, in one command: metadata plus the version of every CAS attribute.
local fetch = {'HMGET', key, 'last', 'idle', 'abs', 'principal', 'moved', 'gen', 'frozen'}
local casIndex = {}
for i = 0, n - 1 do
  local b = 11 + i * 4
  if ARGV[b + 2] ~= '' then
    fetch[#fetch + 1] = 'v:' .. ARGV[b]
    casIndex[#casIndex + 1] = b
  end
end
local meta = redis.call(unpack(fetch))
local exists = meta[1] or meta[5]

if meta[5] then
  if isNew then return {'exists'} end
  return {'moved', meta[5]}
end
if isNew and exists then return {'exists'} end
if not isNew and not exists then return {'notfound'} end
if meta[7] then return {'frozen', meta[7]} end
if rotate and not external and redis.call('EXISTS', KEYS[3]) == 1 then return {'exists'} end

-- 2. Compare-and-set checks, all before any write.
local conflicts = {'conflict'}
local conflictNames = {}
for j = 1, #casIndex do
  local b = casIndex[j]
  local current = tonumber(meta[7 + j] or '0')
  if current ~= tonumber(ARGV[b + 2]) then
    conflicts[#conflicts + 1] = ARGV[b]
    conflicts[#conflicts + 1] = current
    conflicts[#conflicts + 1] = false
    conflictNames[#conflictNames + 1] = 'a:' .. ARGV[b]
  end
end
if #conflictNames > 0 then
  local values = redis.call('HMGET', key, unpack(conflictNames))
  for j = 1, #conflictNames do
    conflicts[1 + (j - 1) * 3 + 3] = values[j]
  end
  return conflicts
end

-- 3. Apply.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last, idle, abs
local hset = {'HSET', key}
if isNew then
  last, idle, abs = now, tonumber(ARGV[2]), now + tonumber(ARGV[3])
  for _, v in ipairs({'rev', '1', 'created', int(now), 'last', int(now), 'idle', int(idle), 'abs', int(abs)}) do
    hset[#hset + 1] = v
  end
else
  last, idle, abs = tonumber(meta[1]), tonumber(meta[2]), tonumber(meta[3])
  if touch then
    last = now
    hset[#hset + 1] = 'last'
    hset[#hset + 1] = int(now)
  end
end

if clear and not isNew then
  local fields = redis.call('HKEYS', key)
  local drop = {}
  for _, f in ipairs(fields) do
    local p = string.sub(f, 1, 2)
    if p == 'a:' or p == 'v:' then drop[#drop + 1] = f end
  end
  for i = 1, #drop, 1000 do
    redis.call('HDEL', key, unpack(drop, i, math.min(i + 999, #drop)))
  end
end

local sets = 0
for i = 0, n - 1 do
  if ARGV[11 + i * 4 + 1] == 's' then sets = sets + 1 end
end
local version = 0
if sets > 0 then
  if isNew then
    version = 0
    hset[#hset + 1] = 'gen'
    hset[#hset + 1] = int(sets)
  else
    version = redis.call('HINCRBY', key, 'gen', sets) - sets
  end
end

local reply = {'ok', now}
local hdel = {'HDEL', key}
for i = 0, n - 1 do
  local b = 11 + i * 4
  local name = ARGV[b]
  if ARGV[b + 1] == 's' then
    version = version + 1
    hset[#hset + 1] = 'a:' .. name
    hset[#hset + 1] = ARGV[b + 3]
    hset[#hset + 1] = 'v:' .. name
    hset[#hset + 1] = int(version)
    reply[#reply + 1] = name
    reply[#reply + 1] = version
  elseif not clear and not isNew then
    hdel[#hdel + 1] = 'a:' .. name
    hdel[#hdel + 1] = 'v:' .. name
  end
end

local oldPrincipal = meta[4]
local principal = oldPrincipal
if has('p') then
  principal = ARGV[4]
  hset[#hset + 1] = 'principal'
  hset[#hset + 1] = principal
elseif has('u') then
  principal = false
  if oldPrincipal then hdel[#hdel + 1] = 'principal' end
end

if #hdel > 2 then redis.call(unpack(hdel)) end
if #hset > 2 then redis.call(unpack(hset)) end

-- 4. Expiry, expiry index, per-user index, rotation, events.
local expireAt = math.min(last + idle, abs)
local function member(sid, p)
  if p then return sid .. ':' .. p end
  return sid
end
local principalChanged = principal ~= oldPrincipal
if isNew or touch or rotate then
  redis.call('PEXPIREAT', key, int(expireAt))
end

if external then
  -- Redis Cluster: this slot only. A rotation freezes the hash: later commits answer 'frozen', loads
  -- still read it; the store copies it to the new id, then deletes it or leaves the grace alias.
  if rotate then
    redis.call('HSET', key, 'frozen', newId)
    local ttl = redis.call('PTTL', key)
    if ttl < 0 or ttl > FREEZE_MS then redis.call('PEXPIRE', key, FREEZE_MS) end
  end
  if channel ~= '' and isNew then
    redis.call('PUBLISH', channel, 'C|' .. int(now) .. '|' .. id .. '||' .. (principal or ''))
  end
  local moved = 0
  if isNew or touch or rotate then moved = 1 end
  local out = {'okx', now, expireAt, abs, moved, oldPrincipal or '', principal or '', (#reply - 2) / 2}
  for i = 3, #reply do out[#out + 1] = reply[i] end
  if rotate then
    local h = redis.call('HGETALL', key)
    for i = 1, #h, 2 do
      if h[i] ~= 'frozen' then
        out[#out + 1] = h[i]
        out[#out + 1] = h[i + 1]
      end
    end
  end
  return out
end

local finalId = id
if rotate then
  finalId = newId
  redis.call('COPY', key, KEYS[3])
  redis.call('DEL', key)
  local grace = math.min(tonumber(ARGV[5]), expireAt - now)
  if grace > 0 then
    redis.call('HSET', key, 'moved', newId)
    redis.call('PEXPIRE', key, int(grace))
  end
end

if principalChanged or rotate then
  if not isNew then redis.call('ZREM', KEYS[2], member(id, oldPrincipal)) end
  if oldPrincipal then redis.call('SREM', userPrefix .. '{' .. oldPrincipal .. '}', id) end
end
if isNew or touch or rotate or principalChanged then
  redis.call('ZADD', KEYS[2], int(expireAt), member(finalId, principal))
end
if principal and (principalChanged or rotate) then
  local userKey = userPrefix .. '{' .. principal .. '}'
  redis.call('SADD', userKey, finalId)
  -- The index outlives its longest-lived member: its expiry is the latest absolute expiry it has seen.
  local ttl = redis.call('PTTL', userKey)
  if ttl < 0 or now + ttl < abs then redis.call('PEXPIREAT', userKey, int(abs)) end
end

if channel ~= '' then
  local p = principal or ''
  if isNew then
    redis.call('PUBLISH', channel, 'C|' .. int(now) .. '|' .. id .. '||' .. p)
  end
  if rotate then
    redis.call('PUBLISH', channel, 'R|' .. int(now) .. '|' .. id .. '|' .. newId .. '|' .. p)
  end
end

return reply
