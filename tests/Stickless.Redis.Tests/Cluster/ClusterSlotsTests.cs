using System.Text;
using Stickless.Redis.Cluster;

namespace Stickless.Redis.Tests.Cluster;

public sealed class ClusterSlotsTests
{
    // Expected slots as `redis-cli cluster keyslot` (Redis 7.0) answers them.
    [Theory]
    [InlineData("", 0)] // the empty key hashes to CRC 0
    [InlineData("foo", 12182)]
    [InlineData("bar", 5061)]
    [InlineData("hello", 866)]
    [InlineData("123456789", 12739)] // the CRC16-XMODEM check value 0x31C3, mod 16384
    [InlineData("{user1000}.following", 3443)] // hashes "user1000"
    [InlineData("{user1000}.followers", 3443)] // same tag, same slot
    [InlineData("user1000", 3443)]
    [InlineData("foo{}{bar}", 8363)] // the first tag is empty: the whole key is hashed
    [InlineData("foo{{bar}}zap", 4015)] // the tag is "{bar" (up to the first '}')
    [InlineData("{bar", 4015)]
    [InlineData("foo{bar}{zap}", 5061)] // only the first tag counts: "bar"
    [InlineData("foo{bar", 15278)] // no closing brace: the whole key
    [InlineData("stickless:{abc}", 7638)] // a session key: the slot of its id
    [InlineData("abc", 7638)]
    public void GetSlot_KnownKeys_MatchesRedis(string key, int slot) =>
        Assert.Equal(slot, ClusterSlots.GetSlot(Encoding.UTF8.GetBytes(key)));

    [Fact]
    public void Crc16_CheckString_Is0x31C3() =>
        Assert.Equal(0x31C3, ClusterSlots.Crc16("123456789"u8));

    [Fact]
    public void GetSlot_SessionAndBucketKeys_ShareTheIdSlot()
    {
        var id = SessionIds.Create();
        var keys = new RedisSessionKeys("stickless:");

        Assert.Equal(ClusterSlots.GetSlot(Encoding.UTF8.GetBytes(id)), ClusterSlots.GetSlot(keys.Session(id)));
    }

    [Fact]
    public void BucketOf_ManyIds_UsesEveryBucketAndBucketsSpreadOverSlots()
    {
        var keys = new RedisClusterKeys("stickless:");
        var used = Enumerable.Range(0, 2000).Select(_ => Encoding.UTF8.GetString(keys.BucketOf(SessionIds.Create()))).Distinct().Count();
        var slots = Enumerable.Range(0, RedisClusterKeys.ExpiryBucketCount).Select(k => ClusterSlots.GetSlot(keys.Bucket(k))).Distinct().Count();

        Assert.Equal(RedisClusterKeys.ExpiryBucketCount, used);
        Assert.Equal(RedisClusterKeys.ExpiryBucketCount, slots);
    }
}
