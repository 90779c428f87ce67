using System.Globalization;
using StackExchange.Redis;

namespace Stickless.Redis;

/// <summary>
/// Keys only Redis Cluster uses. The expiry index is split into <see cref="ExpiryBucketCount"/> sorted sets
/// <c>&lt;prefix&gt;expiry:{b&lt;k&gt;}</c>, whose hash tags spread them over the slots (and so the shards); a
/// session's bucket is its id's slot modulo the count, so every node finds it without a lookup.
/// </summary>
internal sealed class RedisClusterKeys
{
    /// <summary>The number of expiry buckets.</summary>
    public const int ExpiryBucketCount = 16;

    private readonly RedisKey[] _buckets;

    public RedisClusterKeys(string prefix)
    {
        _buckets = new RedisKey[ExpiryBucketCount];
        for (var k = 0; k < ExpiryBucketCount; k++)
        {
            _buckets[k] = prefix + "expiry:{b" + k.ToString(CultureInfo.InvariantCulture) + "}";
        }
    }

    /// <summary>Bucket <paramref name="index"/>.</summary>
    public RedisKey Bucket(int index) => _buckets[index];

    /// <summary>The bucket of the session whose hash is <paramref name="sessionKey"/> (its slot is its id's: the id is the hash tag).</summary>
    public RedisKey BucketOf(IConnectionMultiplexer multiplexer, RedisKey sessionKey) => _buckets[multiplexer.HashSlot(sessionKey) % ExpiryBucketCount];

    /// <summary>The expiry index member of a session: <c>id</c> or <c>id:principal</c> (as in standalone Redis).</summary>
    public static RedisValue Member(string id, string? principal) => string.IsNullOrEmpty(principal) ? id : id + ":" + principal;
}
