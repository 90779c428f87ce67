-- Stickless Redis store, layout revision 1 (see README.md): the due members of the expiry index (standalone)
-- or of one expiry bucket (Redis Cluster); the sweeper then checks each session (sweep.lua, or its own slot).
--
-- KEYS[1]  the expiry index <prefix>expiry, or one bucket <prefix>expiry:{b<k>} (sorted set)
-- ARGV[1]  the most members to return
--
-- Reply: {<now ms>, <member>, ...} members whose score (expiry) is at or before now
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now), 'LIMIT', 0, tonumber(ARGV[1]))
local reply = {now}
for i = 1, #due do reply[i + 1] = due[i] end
return reply
