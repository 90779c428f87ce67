-- Stickless Redis store, layout revision 1 (see Scripts/README.md): SWEEP of expired sessions.
-- Redis expires session hashes by itself (PEXPIREAT); this script only turns those expiries into
-- Expired events and prunes the indexes, without keyspace notifications. One node at a time runs it
-- (a SET NX PX lock), but it is safe to run concurrently: ZREM decides who reports an id.
--
-- KEYS[1]  the expiry index (sorted set)    <prefix>expiry: score = expiry ms, member = <id>[:<principal>]
-- ARGV[1]  the session key prefix: the hash of id I is <ARGV[1]>{I}
-- ARGV[2]  the per-user index prefix: the index of principal P is <ARGV[2]>{P}
-- ARGV[3]  the event channel ('' = publish nothing)
-- ARGV[4]  the most members to look at in one call
--
-- Reply: {<expired count>, <due members still alive>}
--
-- Cluster note: the session and index keys are derived here (not declared): this is for standalone
-- Redis. A cluster sweeper will read due members, check EXISTS per slot, then ZREM and publish.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now), 'LIMIT', 0, tonumber(ARGV[4]))
local expired, alive = 0, 0
for _, m in ipairs(due) do
  local colon = string.find(m, ':', 1, true)
  local id, principal = m, nil
  if colon then
    id = string.sub(m, 1, colon - 1)
    principal = string.sub(m, colon + 1)
  end
  -- A hash past its PEXPIREAT reads as missing even before Redis reclaims it.
  local key = ARGV[1] .. '{' .. id .. '}'
  if redis.call('EXISTS', key) == 0 then
    redis.call('ZREM', KEYS[1], m)
    expired = expired + 1
    if principal then
      redis.call('SREM', ARGV[2] .. '{' .. principal .. '}', id)
    end
    if ARGV[3] ~= '' then
      redis.call('PUBLISH', ARGV[3], 'E|' .. string.format('%d', now) .. '|' .. id .. '||' .. (principal or ''))
    end
  else
    alive = alive + 1
  end
end
return {expired, alive}
