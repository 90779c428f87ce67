using System.Globalization;
using Stickless.Redis.Resp;

namespace Stickless.Redis;

public sealed partial class RedisSessionStore
{
    private static readonly byte[] Xx = "XX"u8.ToArray();

    /// <summary>
    /// The sweep in a cluster (the caller holds the one global sweeper lock): for each expiry bucket, read the
    /// due members, ask each session's own slot whether it still exists (PTTL), and for those that are gone
    /// ZREM the member (who removes it reports it, so never twice), prune the per-user index and publish
    /// Expired. A due session that is still alive (a touch whose bucket update was lost) gets its real
    /// expiry as its new score.
    /// </summary>
    private async Task<long> SweepClusterAsync(CancellationToken cancellationToken)
    {
        var batch = RedisArgs.Int(_options.SweepBatchSize);
        long total = 0;
        for (var k = 0; k < RedisClusterKeys.ExpiryBucketCount; k++)
        {
            var bucket = ClusterKeys.Bucket(k);
            for (var round = 0; round < 10; round++)
            {
                var due = await EvalAsync(RedisClusterSessionScripts.Due, [bucket], [batch], cancellationToken).ConfigureAwait(false);
                if (!due.IsAggregate || due.Count < 1)
                {
                    throw Malformed("the due members of an expiry bucket");
                }

                var now = due[0].GetInt64();
                var members = new string[due.Count - 1];
                var ttls = new Task<RespValue>[members.Length];
                for (var i = 0; i < members.Length; i++)
                {
                    members[i] = due[i + 1].GetString() ?? "";
                    ttls[i] = ExecuteAsync("PTTL", [_keys.Session(IdOf(members[i]))], cancellationToken).AsTask();
                }

                await Task.WhenAll(ttls).ConfigureAwait(false);
                for (var i = 0; i < members.Length; i++)
                {
                    var ttl = ttls[i].Result.GetInt64();
                    var member = RedisArgs.Utf8(members[i]);
                    if (ttl >= 0)
                    {
                        await ExecuteAsync("ZADD", [bucket, Xx, RedisArgs.Int(now + ttl), member], cancellationToken).ConfigureAwait(false);
                    }
                    else if (ttl == -2 && (await ExecuteAsync("ZREM", [bucket, member], cancellationToken).ConfigureAwait(false)).GetInt64() == 1)
                    {
                        total++;
                        await ReportExpiredAsync(members[i], now, cancellationToken).ConfigureAwait(false);
                    }
                }

                if (members.Length < _options.SweepBatchSize)
                {
                    break;
                }
            }
        }

        if (total > 0)
        {
            LogSwept(_logger, total);
        }

        return total;
    }

    private async Task ReportExpiredAsync(string member, long now, CancellationToken cancellationToken)
    {
        var id = IdOf(member);
        var principal = member.Length > id.Length ? member[(id.Length + 1)..] : "";
        if (principal.Length > 0)
        {
            await ExecuteAsync("SREM", [_keys.User(principal), RedisArgs.Utf8(id)], cancellationToken).ConfigureAwait(false);
        }

        if (_options.PublishEvents)
        {
            var message = string.Create(CultureInfo.InvariantCulture, $"E|{now}|{id}||{principal}");
            await ExecuteAsync("PUBLISH", [_keys.Channel, RedisArgs.Utf8(message)], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The id of an expiry index member <c>id</c> or <c>id:principal</c> (ids never contain a colon).</summary>
    private static string IdOf(string member)
    {
        var colon = member.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? member : member[..colon];
    }
}
