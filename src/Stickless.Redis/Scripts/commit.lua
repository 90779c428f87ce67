-- Stickless Redis store, layout revision 1 (see Scripts/README.md): COMMIT of one change set.
-- Atomic (one script), one round trip. Checks everything before writing anything: a refused commit
-- writes nothing. Never recreates a session that is gone (no resurrection): only 'n' creates.
--
-- Every key the script touches is declared (Redis's rule for scripts; Cluster relies on it):
-- KEYS[1]  the session hash                 <prefix>{<id>}
-- KEYS[2]  the expiry index (sorted set)    <prefix>expiry
--          with x r (Cluster rotation): a scratch hash in the session's slot, <prefix>{<id>}:rotating
-- KEYS[3]  the new session hash             <prefix>{<new id>}   (flag r; else KEYS[1])
-- KEYS[4]  the per-user index of the principal the caller believes the session has now,
--          <ARGV[8]>{<principal>} (else KEYS[1]); when the session has another principal and this commit
--          changes the principal or the id, the script answers {'principal', <name>} and writes nothing
-- KEYS[5]  the per-user index of ARGV[4] (flag p; else KEYS[1])
-- With x (Redis Cluster) only KEYS[1] (and KEYS[2] with r) are passed: the store keeps the indexes.
-- ARGV[1]  flags, any of: n = create, t = touch, c = clear attributes first,
--          p = bind principal ARGV[4], u = unbind principal, r = rotate the id to ARGV[7],
--          x = Redis Cluster: touch this slot only, reply 'okx'; with r, apply the change set to the
--              scratch copy, freeze this hash and reply the copy (step 1 of 3, see README.md)
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
--   {'principal', <name>}                            KEYS[4] is not <name>'s index; nothing written
--   {'frozen', <new id>, <grace ms>}                 (cluster) a rotation to <new id> is under way; nothing
--                                                    written. Grace 0: this id is dead (sign-in); else retry
--   with x: {'okx', <now>, <expire at>, <abs>, <expiry moved 0|1>, <old principal|''>, <principal|''>,
--            <N>, <name>, <version> (N pairs), and with r: <field>, <value>, ... (the new session's hash)}
--
-- Versions come from the session's 'gen' counter, so they only grow, even across remove and re-add.
-- Lists that could be long (one entry per attribute) go to redis.call in chunks of 1000: Lua's unpack
-- cannot spread more than about 8000 values.
local key = KEYS[1]
local flags = ARGV[1]
local function has(c) return string.find(flags, c, 1, true) ~= nil end
local function int(n) return string.format('%d', n) end
local isNew, touch, clear, rotate, external = has('n'), has('t'), has('c'), has('r'), has('x')
-- (cluster) A frozen hash lives at most this long: if the rotation's later steps never come, the old id
-- dies by itself. It is dead for every caller from the freeze on (grace 0) or an alias (grace > 0).
local FREEZE_MS = 10000
local CHUNK = 1000
local id, newId, userPrefix, channel = ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local n = tonumber(ARGV[10])
local function userKey(p) return userPrefix .. '{' .. p .. '}' end

-- HMGET (values appended to out) and HSET/HDEL over a list of any length, in chunks.
local function hmget(k, fields, out)
  for i = 1, #fields, CHUNK do
    local part = redis.call('HMGET', k, unpack(fields, i, math.min(i + CHUNK - 1, #fields)))
    for j = 1, #part do out[#out + 1] = part[j] end
  end
  return out
end
local function chunked(command, k, list, step)
  local size = CHUNK * step
  for i = 1, #list, size do
    redis.call(command, k, unpack(list, i, math.min(i + size - 1, #list)))
  end
end

-- 1. Read what the checks need: metadata plus the version of every CAS attribute.
local meta = redis.call('HMGET', key, 'last', 'idle', 'abs', 'principal', 'moved', 'gen', 'frozen', 'fgrace', 'dead')
local casFields, casIndex = {}, {}
for i = 0, n - 1 do
  local b = 11 + i * 4
  if ARGV[b + 2] ~= '' then
    casFields[#casFields + 1] = 'v:' .. ARGV[b]
    casIndex[#casIndex + 1] = b
  end
end
local exists = meta[1] or meta[5] or meta[9]

if meta[5] then
  if isNew then return {'exists'} end
  return {'moved', meta[5]}
end
if isNew and exists then return {'exists'} end
if meta[9] or (not isNew and not exists) then return {'notfound'} end
if meta[7] then return {'frozen', meta[7], meta[8] or '0'} end
if rotate and not external and redis.call('EXISTS', KEYS[3]) == 1 then return {'exists'} end

local oldPrincipal = meta[4]
local principal = oldPrincipal
if has('p') then
  principal = ARGV[4]
  if not external and KEYS[5] ~= userKey(principal) then
    return redis.error_reply('KEYS[5] must be the index of ARGV[4]')
  end
elseif has('u') then
  principal = false
end
local principalChanged = principal ~= oldPrincipal
if not external and oldPrincipal and (principalChanged or rotate) and KEYS[4] ~= userKey(oldPrincipal) then
  return {'principal', oldPrincipal}
end

-- 2. Compare-and-set checks, all before any write.
local versions = hmget(key, casFields, {})
local conflicts = {'conflict'}
local conflictNames = {}
for j = 1, #casIndex do
  local b = casIndex[j]
  local current = tonumber(versions[j] or '0')
  if current ~= tonumber(ARGV[b + 2]) then
    conflicts[#conflicts + 1] = ARGV[b]
    conflicts[#conflicts + 1] = current
    conflicts[#conflicts + 1] = false
    conflictNames[#conflictNames + 1] = 'a:' .. ARGV[b]
  end
end
if #conflictNames > 0 then
  local values = hmget(key, conflictNames, {})
  for j = 1, #conflictNames do
    conflicts[1 + (j - 1) * 3 + 3] = values[j]
  end
  return conflicts
end

-- (cluster rotation) From here on the change set is applied to a scratch copy in this slot; the
-- session's own hash is only frozen, so the old id never holds the new principal or data.
local frozenKey
if rotate and external then
  frozenKey = key
  key = KEYS[2]
  redis.call('COPY', frozenKey, key, 'REPLACE')
end

-- 3. Apply.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local last, idle, abs
local hset = {}
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
  local drop = {}
  for _, f in ipairs(redis.call('HKEYS', key)) do
    local p = string.sub(f, 1, 2)
    if p == 'a:' or p == 'v:' then drop[#drop + 1] = f end
  end
  chunked('HDEL', key, drop, 1)
end

local sets = 0
for i = 0, n - 1 do
  if ARGV[11 + i * 4 + 1] == 's' then sets = sets + 1 end
end
local version = 0
if sets > 0 then
  if isNew then
    hset[#hset + 1] = 'gen'
    hset[#hset + 1] = int(sets)
  else
    version = redis.call('HINCRBY', key, 'gen', sets) - sets
  end
end

local reply = {'ok', now}
local hdel = {}
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

if has('p') then
  hset[#hset + 1] = 'principal'
  hset[#hset + 1] = principal
elseif has('u') and oldPrincipal then
  hdel[#hdel + 1] = 'principal'
end

chunked('HDEL', key, hdel, 2)
chunked('HSET', key, hset, 2)

-- 4. Expiry, expiry index, per-user index, rotation, events.
local expireAt = math.min(last + idle, abs)
local function member(sid, p)
  if p then return sid .. ':' .. p end
  return sid
end
if (isNew or touch or rotate) and not frozenKey then
  redis.call('PEXPIREAT', key, int(expireAt))
end

if external then
  if channel ~= '' and isNew then
    redis.call('PUBLISH', channel, 'C|' .. int(now) .. '|' .. id .. '||' .. (principal or ''))
  end
  local moved = 0
  if isNew or touch or rotate then moved = 1 end
  local out = {'okx', now, expireAt, abs, moved, oldPrincipal or '', principal or '', (#reply - 2) / 2}
  for i = 3, #reply do out[#out + 1] = reply[i] end
  if frozenKey then
    local h = redis.call('HGETALL', key)
    redis.call('DEL', key)
    for i = 1, #h do out[#out + 1] = h[i] end
    redis.call('HSET', frozenKey, 'frozen', newId, 'fgrace', ARGV[5])
    local ttl = redis.call('PTTL', frozenKey)
    if ttl < 0 or ttl > FREEZE_MS then redis.call('PEXPIRE', frozenKey, FREEZE_MS) end
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
  if oldPrincipal then redis.call('SREM', KEYS[4], id) end
end
if isNew or touch or rotate or principalChanged then
  redis.call('ZADD', KEYS[2], int(expireAt), member(finalId, principal))
end
if principal and (principalChanged or rotate) then
  local index = KEYS[4]
  if has('p') then index = KEYS[5] end
  redis.call('SADD', index, finalId)
  -- The index outlives its longest-lived member: its expiry is the latest absolute expiry it has seen.
  local ttl = redis.call('PTTL', index)
  if ttl < 0 or now + ttl < abs then redis.call('PEXPIREAT', index, int(abs)) end
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
