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
--          name, op, expected version ('' = blind; 0 = must not exist), value, where op is
--          's' set (value = the new value), 'r' remove, or a commutative operation (never compare-and-set):
--          'i' increment (value = the delta, decimal), 'a' add to set, 'd' remove from set (value = the member,
--          a JSON string or integer); the rules are Stickless.AttributeOperations' (see below)
--
-- Reply:
--   {'ok', <now ms>, <S>, <name>, <new version> (S pairs), <O>, <name>, <version>, <value> (O triples)}
--                                                    committed: the new version of every attribute written
--                                                    (sets and operations that changed something), then what
--                                                    every operation's attribute holds now (version 0 and value
--                                                    false: it does not exist)
--   {'notfound'}                                     the session does not exist; nothing written
--   {'exists'}                                       create (or rotation target) found the id taken
--   {'moved', <new id>}                              the id is a grace alias of <new id>; nothing written
--   {'conflict', <name>, <version>, <value>, ...}    a compare-and-set failed, or an operation met a value of
--                                                    the wrong shape (or an increment would overflow); version 0
--                                                    and value nil mean the attribute does not exist; nothing written
--   {'principal', <name>}                            KEYS[4] is not <name>'s index; nothing written
--   {'frozen', <new id>, <grace ms>}                 (cluster) a rotation to <new id> is under way; nothing
--                                                    written. Grace 0: this id is dead (sign-in); else retry
--   with x: {'okx', <now>, <expire at>, <abs>, <expiry moved 0|1>, <old principal|''>, <principal|''>,
--            <S>, <name>, <version> (S pairs), <O>, <name>, <version>, <value> (O triples),
--            and with r: <field>, <value>, ... (the new session's hash)}
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

-- Commutative operations, by the rules of Stickless.AttributeOperations: a counter is a JSON integer (64-bit:
-- added as decimal strings, since Lua's numbers are doubles); a set is a JSON array whose members (JSON strings
-- or integers) compare by value, kept in insertion order, other elements kept as they are.
local function trim(x) return string.match(x, '^%s*(.-)%s*$') end
local function parseInteger(x)
  local sign, digits = string.match(x, '^%s*(%-?)(%d+)%s*$')
  if not digits or (#digits > 1 and string.sub(digits, 1, 1) == '0') then return nil end
  if sign == '-' and digits ~= '0' then return -1, digits end
  return 1, digits
end
local function compareDigits(a, b)
  if #a ~= #b then return #a < #b and -1 or 1 end
  if a == b then return 0 end
  return a < b and -1 or 1
end
local function addDigits(a, b)
  local out, carry, i, j = {}, 0, #a, #b
  while i > 0 or j > 0 or carry > 0 do
    local d = carry + (i > 0 and tonumber(string.sub(a, i, i)) or 0) + (j > 0 and tonumber(string.sub(b, j, j)) or 0)
    table.insert(out, 1, tostring(d % 10))
    carry, i, j = math.floor(d / 10), i - 1, j - 1
  end
  return table.concat(out)
end
local function subtractDigits(a, b) -- a >= b
  local out, borrow, i, j = {}, 0, #a, #b
  while i > 0 do
    local d = tonumber(string.sub(a, i, i)) - borrow - (j > 0 and tonumber(string.sub(b, j, j)) or 0)
    if d < 0 then d, borrow = d + 10, 1 else borrow = 0 end
    table.insert(out, 1, tostring(d))
    i, j = i - 1, j - 1
  end
  return string.match(table.concat(out), '^0*(%d-%d)$')
end
local function addIntegers(sa, da, sb, db)
  local sign, digits
  if sa == sb then
    sign, digits = sa, addDigits(da, db)
  else
    local c = compareDigits(da, db)
    if c == 0 then return '0' end
    if c > 0 then sign, digits = sa, subtractDigits(da, db) else sign, digits = sb, subtractDigits(db, da) end
  end
  if compareDigits(digits, sign < 0 and '9223372036854775808' or '9223372036854775807') > 0 then return nil end
  if sign < 0 then return '-' .. digits end
  return digits
end
-- The raw text of each element of a JSON array, or nil when the value is not a JSON array.
local function arrayElements(x)
  if string.match(x, '^%s*(.)') ~= '[' or not pcall(cjson.decode, x) then return nil end
  local elements, depth, start, inString, escaped = {}, 0, nil, false, false
  for i = 1, #x do
    local c = string.sub(x, i, i)
    if inString then
      if escaped then escaped = false elseif c == '\\' then escaped = true elseif c == '"' then inString = false end
    elseif c == '"' then
      inString = true
      if depth == 1 and not start then start = i end
    elseif c == '[' or c == '{' then
      depth = depth + 1
      if depth == 2 and not start then start = i end
    elseif c == ']' or c == '}' then
      if depth == 1 and start then elements[#elements + 1] = trim(string.sub(x, start, i - 1)) end
      depth = depth - 1
    elseif c == ',' and depth == 1 then
      elements[#elements + 1] = trim(string.sub(x, start, i - 1))
      start = nil
    elseif depth == 1 and not start and not string.find(c, '%s') then
      start = i
    end
  end
  return elements
end
-- What a set member is compared by: its integer value or its decoded string; nil for anything else.
local function memberKey(raw)
  local sign, digits = parseInteger(raw)
  if digits then return (sign < 0 and 'n-' or 'n') .. digits end
  if string.match(raw, '^%s*"') then
    local ok, text = pcall(cjson.decode, raw)
    if ok and type(text) == 'string' then return 's' .. text end
  end
  return nil
end
-- Applies one operation: 'changed', new value | 'unchanged' | 'refused' (wrong shape, overflow).
local function applyOperation(op, stored, exists, argument)
  if op == 'i' then
    local sa, da = 1, '0'
    if exists then
      sa, da = parseInteger(stored)
      if not da then return 'refused' end
    end
    local sb, db = parseInteger(argument)
    local sum = db and addIntegers(sa, da, sb, db)
    if not sum then return 'refused' end
    return 'changed', sum
  end
  local key = memberKey(argument)
  if not key then return 'refused' end
  if not exists then
    if op == 'd' then return 'unchanged' end
    return 'changed', '[' .. argument .. ']'
  end
  local elements = arrayElements(stored)
  if not elements then return 'refused' end
  local kept, found = {}, false
  for _, element in ipairs(elements) do
    if memberKey(element) == key then
      if op == 'a' then return 'unchanged' end
      found = true
    else
      kept[#kept + 1] = element
    end
  end
  if not found and op == 'd' then return 'unchanged' end
  if op == 'a' then kept[#kept + 1] = argument end
  return 'changed', '[' .. table.concat(kept, ',') .. ']'
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

-- Operations: read what they apply to and work out the new values, refusing before any write.
local opIndex, opFields = {}, {}
for i = 0, n - 1 do
  local b = 11 + i * 4
  local op = ARGV[b + 1]
  if op == 'i' or op == 'a' or op == 'd' then
    opIndex[#opIndex + 1] = b
    opFields[#opFields + 1] = 'a:' .. ARGV[b]
    opFields[#opFields + 1] = 'v:' .. ARGV[b]
  end
end
local opCurrent = hmget(key, opFields, {})
local operations = {}
for j = 1, #opIndex do
  local b = opIndex[j]
  local value, held = opCurrent[2 * j - 1], opCurrent[2 * j]
  if clear or isNew or not value then value, held = false, false end
  local outcome, result = applyOperation(ARGV[b + 1], value or '', value ~= false, ARGV[b + 3])
  if outcome == 'refused' then
    return {'conflict', ARGV[b], tonumber(held or '0'), value}
  end
  operations[b] = {outcome, result, value, held}
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

local written = 0
for i = 0, n - 1 do
  local b = 11 + i * 4
  local op = ARGV[b + 1]
  if op == 's' or (operations[b] and operations[b][1] == 'changed') then written = written + 1 end
end
local version = 0
if written > 0 then
  if isNew then
    hset[#hset + 1] = 'gen'
    hset[#hset + 1] = int(written)
  else
    version = redis.call('HINCRBY', key, 'gen', written) - written
  end
end

local versionsOut, operationsOut = {}, {}
local hdel = {}
for i = 0, n - 1 do
  local b = 11 + i * 4
  local name, op, operation = ARGV[b], ARGV[b + 1], operations[b]
  local value
  if op == 's' then
    value = ARGV[b + 3]
  elseif operation and operation[1] == 'changed' then
    value = operation[2]
  end
  if value then
    version = version + 1
    hset[#hset + 1] = 'a:' .. name
    hset[#hset + 1] = value
    hset[#hset + 1] = 'v:' .. name
    hset[#hset + 1] = int(version)
    versionsOut[#versionsOut + 1] = name
    versionsOut[#versionsOut + 1] = version
    if operation then
      operationsOut[#operationsOut + 1] = name
      operationsOut[#operationsOut + 1] = version
      operationsOut[#operationsOut + 1] = value
    end
  elseif operation then
    operationsOut[#operationsOut + 1] = name
    operationsOut[#operationsOut + 1] = tonumber(operation[4] or '0')
    operationsOut[#operationsOut + 1] = operation[3]
  elseif op == 'r' and not clear and not isNew then
    hdel[#hdel + 1] = 'a:' .. name
    hdel[#hdel + 1] = 'v:' .. name
  end
end
local function appendResults(out)
  out[#out + 1] = #versionsOut / 2
  for i = 1, #versionsOut do out[#out + 1] = versionsOut[i] end
  out[#out + 1] = #operationsOut / 3
  for i = 1, #operationsOut do out[#out + 1] = operationsOut[i] end
  return out
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
  local out = appendResults({'okx', now, expireAt, abs, moved, oldPrincipal or '', principal or ''})
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

return appendResults({'ok', now})
