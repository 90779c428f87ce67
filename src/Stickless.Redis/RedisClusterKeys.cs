using System.Globalization;
using System.Text;
using Stickless.Redis.Cluster;

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

    private readonly byte[][] _buckets;

    public RedisClusterKeys(string prefix)
    {
        _buckets = new byte[ExpiryBucketCount][];
        for (var k = 0; k < ExpiryBucketCount; k++)
        {
            _buckets[k] = Encoding.UTF8.GetBytes(prefix + "expiry:{b" + k.ToString(CultureInfo.InvariantCulture) + "}");
        }
    }

    /// <summary>Bucket <paramref name="index"/>.</summary>
    public byte[] Bucket(int index) => _buckets[index];

    /// <summary>The bucket of session <paramref name="id"/>.</summary>
    public byte[] BucketOf(string id) => _buckets[ClusterSlots.GetSlot(Encoding.UTF8.GetBytes(id)) % ExpiryBucketCount];

    /// <summary>The expiry index member of a session: <c>id</c> or <c>id:principal</c> (as in standalone Redis).</summary>
    public static byte[] Member(string id, string? principal) =>
        Encoding.UTF8.GetBytes(string.IsNullOrEmpty(principal) ? id : id + ":" + principal);
}
