-- Stickless Redis store, layout revision 1 (see Scripts/README.md): SWEEP of expired sessions.
-- Redis expires session hashes by itself (PEXPIREAT); this script only turns those expiries into
-- Expired events and prunes the indexes, without keyspace notifications. The store first reads the due
-- members (due.lua), then passes them here with their keys declared. One node at a time sweeps (a SET NX
-- PX lock), but running it twice is harmless: ZREM decides who reports an id.
--
-- KEYS[1]        the expiry index (sorted set)    <prefix>expiry: score = expiry ms, member = <id>[:<principal>]
-- KEYS[2i]       the hash of the i-th member's session, <prefix>{<id>}
-- KEYS[2i + 1]   the i-th member's per-user index, <prefix>user:{<principal>} (its session hash when anonymous)
-- ARGV[1]        the event channel ('' = publish nothing)
-- ARGV[1 + i]    the i-th member, as the index holds it
--
-- Reply: {<expired count>, <due members still alive>}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expired, alive = 0, 0
for i = 1, #ARGV - 1 do
  local m = ARGV[1 + i]
  local sessionKey, userKey = KEYS[2 * i], KEYS[2 * i + 1]
  local colon = string.find(m, ':', 1, true)
  local id, principal = m, nil
  if colon then
    id = string.sub(m, 1, colon - 1)
    principal = string.sub(m, colon + 1)
  end
  -- A hash past its PEXPIREAT reads as missing even before Redis reclaims it.
  if redis.call('EXISTS', sessionKey) == 1 then
    alive = alive + 1
  elseif redis.call('ZREM', KEYS[1], m) == 1 then
    expired = expired + 1
    if principal then
      redis.call('SREM', userKey, id)
    end
    if ARGV[1] ~= '' then
      redis.call('PUBLISH', ARGV[1], 'E|' .. string.format('%d', now) .. '|' .. id .. '||' .. (principal or ''))
    end
  end
end
return {expired, alive}
