using System.Globalization;

namespace Stickless.Lab.Deployment.Redis;

/// <summary>Counts the sessions a Redis server holds, for the dashboard.</summary>
internal static class RedisSessionCount
{
    /// <summary>The store's default key prefix (RedisSessionStoreOptions.KeyPrefix).</summary>
    public const string KeyPrefix = "stickless:";

    /// <summary>The expiry index (a sorted set scored by expiry) of a single-master store.</summary>
    public const string ExpiryIndexKey = KeyPrefix + "expiry";

    /// <summary>Live entries of the expiry index on <paramref name="port"/>: sessions expire in Redis, their index entries are swept later, so only the unexpired ones count.</summary>
    public static async Task<long?> FromExpiryIndexAsync(int port, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return await RedisLabClient.ExecuteAsync(port, ["ZCOUNT", ExpiryIndexKey, now, "+inf"], cancellationToken).ConfigureAwait(false) as long?;
    }

    /// <summary>
    /// Session hashes (<c>stickless:{id}</c>) on <paramref name="port"/>, by <c>SCAN</c>: a cluster keeps no single
    /// index, and SCAN never returns an expired key. Bounded to a few hundred thousand keys.
    /// </summary>
    public static async Task<long> FromKeysAsync(int port, CancellationToken cancellationToken)
    {
        long count = 0;
        var cursor = "0";
        for (var round = 0; round < 200; round++)
        {
            if (await RedisLabClient.ExecuteAsync(port, ["SCAN", cursor, "MATCH", KeyPrefix + "{*", "COUNT", "2000"], cancellationToken).ConfigureAwait(false)
                is not object?[] { Length: 2 } reply || reply[0] is not string next || reply[1] is not object?[] keys)
            {
                throw new IOException("unexpected SCAN reply");
            }

            count += keys.Length;
            cursor = next;
            if (cursor == "0")
            {
                break;
            }
        }

        return count;
    }
}
