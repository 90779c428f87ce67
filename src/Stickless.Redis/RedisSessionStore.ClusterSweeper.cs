using System.Globalization;
using StackExchange.Redis;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    /// <summary>
    /// The sweep in a cluster (the caller holds the one global sweeper lock): for each expiry bucket, read the
    /// due members, ask each session's own slot whether it still exists (PTTL), and for those that are gone
    /// ZREM the member (who removes it reports it, so never twice), prune the per-user index and publish
    /// Expired. A due session that is still alive (a touch whose bucket update was lost) gets its real
    /// expiry as its new score.
    /// </summary>
    private async Task<long> SweepClusterAsync(CancellationToken token)
    {
        long total = 0;
        for (var k = 0; k < RedisClusterKeys.ExpiryBucketCount; k++)
        {
            var bucket = ClusterKeys.Bucket(k);
            for (var round = 0; round < SweepRounds; round++)
            {
                using var call = StartCall(token);
                var due = RedisReply.Items(await EvalAsync(call, RedisSessionScripts.Due, [bucket], [_options.SweepBatchSize]).ConfigureAwait(false), "due");
                if (due.Length < 1)
                {
                    throw Malformed("the due members of an expiry bucket");
                }

                var now = RedisReply.Int64(due[0], "time");
                var members = new string[due.Length - 1];
                var ttls = new Task<TimeSpan?>[members.Length];
                for (var i = 0; i < members.Length; i++)
                {
                    members[i] = RedisReply.String(due[i + 1], "due member") ?? "";
                    ttls[i] = RunAsync(call, "PTTL", static (link, key) => link.Database.KeyTimeToLiveAsync(key, CommandFlags.DemandMaster), _keys.Session(SplitMember(members[i]).Id));
                }

                await Task.WhenAll(ttls).ConfigureAwait(false);
                for (var i = 0; i < members.Length; i++)
                {
                    var ttl = ttls[i].Result;
                    if (ttl is { } alive)
                    {
                        await RunAsync(call, "ZADD", static (link, state) => link.Database.SortedSetAddAsync(state.bucket, state.member, state.score, SortedSetWhen.Exists, CommandFlags.DemandMaster), (bucket, member: (RedisValue)members[i], score: (double)(now + (long)alive.TotalMilliseconds))).ConfigureAwait(false);
                    }
                    else if (await RunAsync(call, "ZREM", static (link, state) => link.Database.SortedSetRemoveAsync(state.bucket, state.member, CommandFlags.DemandMaster), (bucket, member: (RedisValue)members[i])).ConfigureAwait(false))
                    {
                        total++;
                        await ReportExpiredAsync(call, members[i], now).ConfigureAwait(false);
                    }
                }

                if (members.Length < _options.SweepBatchSize)
                {
                    break;
                }
            }
        }

        return total;
    }

    private async Task ReportExpiredAsync(RedisStoreCall call, string member, long now)
    {
        var (id, principal) = SplitMember(member);
        if (principal.Length > 0)
        {
            await SetRemoveAsync(call, _keys.User(principal), id).ConfigureAwait(false);
        }

        if (_options.PublishEvents)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"E|{now}|{id}||{principal}");
            await RunAsync(call, "PUBLISH", static (link, state) => link.Multiplexer.GetSubscriber().PublishAsync(state.channel, state.message, CommandFlags.DemandMaster), (channel: _keys.Channel, message: (RedisValue)message)).ConfigureAwait(false);
        }
    }
}
