using System.Text;

namespace Stickless.Memcached.Tests.Store;

public sealed class SessionItemFormatTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EncodeSession_ThenDecode_RoundTripsEveryField()
    {
        var session = new StoredSession
        {
            Id = "ignored",
            CreatedAt = T0,
            LastAccessedAt = T0.AddMinutes(3),
            IdleTimeout = TimeSpan.FromMinutes(20),
            AbsoluteExpiry = T0.AddHours(8),
            Principal = "ünïcode-alice",
            LastVersion = 7,
            Attributes = new Dictionary<string, SessionAttribute>(StringComparer.Ordinal)
            {
                ["cart"] = new(Encoding.UTF8.GetBytes("[1,2]"), 7),
                ["empty"] = new(Array.Empty<byte>(), 3),
                ["line\r\nbreak"] = new(new byte[] { 0, 1, 255 }, 5),
            },
        };

        var item = SessionItemFormat.TryDecode(SessionItemFormat.EncodeSession(session, 42), "the-id");

        Assert.NotNull(item);
        Assert.Equal(SessionItemKind.Session, item.Kind);
        Assert.Equal(42ul, item.Sequence);
        var decoded = item.Session!;
        Assert.Equal("the-id", decoded.Id);
        Assert.Equal(session.CreatedAt, decoded.CreatedAt);
        Assert.Equal(session.LastAccessedAt, decoded.LastAccessedAt);
        Assert.Equal(session.IdleTimeout, decoded.IdleTimeout);
        Assert.Equal(session.AbsoluteExpiry, decoded.AbsoluteExpiry);
        Assert.Equal(session.Principal, decoded.Principal);
        Assert.Equal(7, decoded.LastVersion);
        Assert.Equal(3, decoded.Attributes.Count);
        Assert.Equal(new byte[] { 0, 1, 255 }, decoded.Attributes["line\r\nbreak"].Value.ToArray());
        Assert.Equal(3, decoded.Attributes["empty"].Version);
    }

    [Fact]
    public void EncodeTombstoneAndAlias_ThenDecode_KeepTheirKindAndDeadline()
    {
        var tombstone = SessionItemFormat.TryDecode(SessionItemFormat.EncodeTombstone(T0, 3), "x");
        Assert.Equal(SessionItemKind.Tombstone, tombstone!.Kind);
        Assert.Equal(T0, tombstone.Until);

        var alias = SessionItemFormat.TryDecode(SessionItemFormat.EncodeAlias(T0, [1, 2, 3], 4), "x");
        Assert.Equal(SessionItemKind.Alias, alias!.Kind);
        Assert.Equal([1, 2, 3], alias.Sealed);
    }

    public static TheoryData<string, byte[]> ForeignOrDamagedItems()
    {
        var good = SessionItemFormat.EncodeSession(new StoredSession
        {
            Id = "x",
            CreatedAt = T0,
            LastAccessedAt = T0,
            IdleTimeout = TimeSpan.FromMinutes(1),
            AbsoluteExpiry = T0.AddHours(1),
            Attributes = new Dictionary<string, SessionAttribute> { ["a"] = new("v"u8.ToArray(), 1) },
        }, 1);
        var negativeCount = (byte[])good.Clone();
        negativeCount[56] = 0xFF; negativeCount[57] = 0xFF; negativeCount[58] = 0xFF; negativeCount[59] = 0xFF;
        var hugeValue = (byte[])good.Clone();
        hugeValue[^6] = 0xFF; hugeValue[^5] = 0xFF; hugeValue[^4] = 0x7F;
        var zeroIdle = (byte[])good.Clone();
        Array.Clear(zeroIdle, 36, 8);
        return new TheoryData<string, byte[]>
        {
            { "empty: memcached holds a zero-length value", [] },
            { "another client's item (no magic)", "hello world, not a session"u8.ToArray() },
            { "a future revision this code cannot read", [(byte)'S', (byte)'L', 2, 1, 0, 0, 0, 0, 0, 0, 0, 0] },
            { "an unknown kind", [(byte)'S', (byte)'L', 1, 9, 0, 0, 0, 0, 0, 0, 0, 0] },
            { "a session cut short", good[..(good.Length - 3)] },
            { "trailing bytes after the last attribute", [.. good, 0] },
            { "a negative attribute count", negativeCount },
            { "a value length beyond the item", hugeValue },
            { "a zero idle timeout", zeroIdle },
        };
    }

    [Theory]
    [MemberData(nameof(ForeignOrDamagedItems))]
    public void TryDecode_ForeignOrDamagedItem_IsNullNeverAnException(string why, byte[] value) =>
        Assert.True(SessionItemFormat.TryDecode(value, "x") is null, why);
}
