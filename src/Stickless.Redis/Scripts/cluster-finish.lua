-- Stickless Redis store, layout revision 1 (see README.md): ROTATION step 3 of 3 in Redis Cluster.
-- On the old id's frozen hash: once the new hash exists, delete the old one or leave the grace alias,
-- and publish Renewed; or, when step 2 found the new id taken, thaw the old hash.
--
-- KEYS[1]  the old session hash             <prefix>{<old id>}
-- ARGV[1]  'done' or 'undo'
-- ARGV[2]  the new id (the hash must be frozen towards it)
-- ARGV[3]  the session's expiry, unix ms (server clock)
-- ARGV[4]  grace for the old id, ms (0 = dead at once; never past the session's expiry)
-- ARGV[5]  the event channel ('' = publish nothing)
-- ARGV[6]  the old id
-- ARGV[7]  the principal ('' = anonymous)
--
-- Reply: 1 done, 0 the hash was not frozen towards ARGV[2] (gone, expired): nothing written
if redis.call('HGET', KEYS[1], 'frozen') ~= ARGV[2] then
  return 0
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expireAt = tonumber(ARGV[3])
if ARGV[1] == 'undo' then
  redis.call('HDEL', KEYS[1], 'frozen', 'fgrace')
  redis.call('PEXPIREAT', KEYS[1], ARGV[3])
  return 1
end
redis.call('DEL', KEYS[1])
local grace = math.min(tonumber(ARGV[4]), expireAt - now)
if grace > 0 then
  redis.call('HSET', KEYS[1], 'moved', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], string.format('%d', grace))
end
if ARGV[5] ~= '' then
  redis.call('PUBLISH', ARGV[5], 'R|' .. string.format('%d', now) .. '|' .. ARGV[6] .. '|' .. ARGV[2] .. '|' .. ARGV[7])
end
return 1
