using System.Text;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Tests.Store;

public sealed class SessionKeysTests
{
    private readonly SessionKeys _keys = new("a-hash-key-of-at-least-32-characters!", "sl:");

    [Fact]
    public void PrimaryKey_OfAnId_IsAValidMemcachedKeyWithoutTheId()
    {
        var id = SessionIds.Create();
        var key = Encoding.ASCII.GetString(_keys.PrimaryKey(_keys.HashOf(id)));

        Assert.StartsWith("sl:s:", key, StringComparison.Ordinal);
        Assert.DoesNotContain(id, key, StringComparison.Ordinal);
        Assert.True(MetaRequestWriter.IsValidKey(Encoding.ASCII.GetBytes(key)));
        Assert.Equal(5 + 43, key.Length);
    }

    [Fact]
    public void HashOf_DependsOnTheKey_SoIdsCannotBeLookedUpWithoutIt()
    {
        var id = SessionIds.Create();
        var other = new SessionKeys("another-hash-key-of-at-least-32-chars", "sl:");
        Assert.NotEqual(_keys.HashOf(id), other.HashOf(id));
        Assert.Equal(_keys.HashOf(id), new SessionKeys("a-hash-key-of-at-least-32-characters!", "sl:").HashOf(id));
    }

    [Fact]
    public void Seal_ThenOpen_RoundTripsAndTamperingOrAnotherKeyFails()
    {
        var id = Encoding.ASCII.GetBytes(SessionIds.Create());
        var sealedId = _keys.Seal(id);
        Assert.Equal(id, _keys.Open(sealedId));

        var tampered = (byte[])sealedId.Clone();
        tampered[^1] ^= 1;
        Assert.Null(_keys.Open(tampered));
        Assert.Null(new SessionKeys("another-hash-key-of-at-least-32-chars", "sl:").Open(sealedId));
        Assert.Null(_keys.Open([1, 2, 3]));
    }
}
