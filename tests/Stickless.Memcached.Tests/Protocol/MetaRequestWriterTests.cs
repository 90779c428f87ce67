using System.Text;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Tests.Protocol;

public sealed class MetaRequestWriterTests
{
    [Fact]
    public void TryWriteGet_AllFlagsAndTouch_WritesTouchBeforeTtl()
    {
        var buffer = new byte[512];
        Assert.True(MetaRequestWriter.TryWriteGet(buffer, "s:abc"u8, MetaGetFlags.Value | MetaGetFlags.Cas | MetaGetFlags.ClientFlags | MetaGetFlags.Ttl, 60, 7, out var n));
        Assert.Equal("mg s:abc T60 v c f t O7\r\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void TryWriteSet_CasStore_AlwaysCarriesTtl()
    {
        var buffer = new byte[512];
        Assert.True(MetaRequestWriter.TryWriteSet(buffer, "s:abc"u8, "hello"u8, new MetaSetOptions(MetaSetMode.Set, 1200, ClientFlags: 3, Cas: 99, ReturnCas: true), 8, out var n));
        Assert.Equal("ms s:abc 5 T1200 F3 C99 c MS O8\r\nhello\r\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void TryWriteSet_Add_UsesModeE()
    {
        var buffer = new byte[512];
        Assert.True(MetaRequestWriter.TryWriteSet(buffer, "k"u8, ""u8, new MetaSetOptions(MetaSetMode.Add, 5), 1, out var n));
        Assert.Equal("ms k 0 T5 ME O1\r\n\r\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void TryWriteDelete_WithCas_WritesCompare()
    {
        var buffer = new byte[512];
        Assert.True(MetaRequestWriter.TryWriteDelete(buffer, "b:x"u8, 42, 9, out var n));
        Assert.Equal("md b:x C42 O9\r\n", Encoding.ASCII.GetString(buffer, 0, n));
    }

    [Fact]
    public void TryWriteSet_DestinationTooSmall_ReturnsFalse()
    {
        var buffer = new byte[10];
        Assert.False(MetaRequestWriter.TryWriteSet(buffer, "key"u8, "value"u8, new MetaSetOptions(MetaSetMode.Set, 10), 1, out _));
    }

    public static TheoryData<string, byte[]> BadKeys => new()
    {
        { "empty: memcached answers CLIENT_ERROR before reading the data block", [] },
        { "251 bytes: over KEY_MAX_LENGTH, refused before the data is swallowed (desync)", Encoding.ASCII.GetBytes(new string('k', 251)) },
        { "a space would split the key into two tokens", "a b"u8.ToArray() },
        { "CR LF would end the command line early", "a\r\nmn"u8.ToArray() },
        { "a control byte", [(byte)'a', 0x01] },
        { "a non-ASCII byte", [(byte)'a', 0xC3, 0xA9] },
        { "DEL", [0x7F] },
    };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public void TryWriteAny_InvalidKey_ThrowsBeforeWriting(string why, byte[] key)
    {
        var buffer = new byte[1024];
        Assert.False(MetaRequestWriter.IsValidKey(key), why);
        Assert.Throws<ArgumentException>(() => MetaRequestWriter.TryWriteGet(buffer, key, MetaGetFlags.Value, 0, 1, out _));
        Assert.Throws<ArgumentException>(() => MetaRequestWriter.TryWriteSet(buffer, key, "v"u8, new MetaSetOptions(MetaSetMode.Set, 10), 1, out _));
        Assert.Throws<ArgumentException>(() => MetaRequestWriter.TryWriteDelete(buffer, key, 0, 1, out _));
    }

    [Theory]
    [InlineData(0, "no T would store an item that never expires")]
    [InlineData(-1, "a negative TTL expires the item at once")]
    [InlineData(2_592_001, "over 30 days memcached reads the number as a Unix time")]
    public void TryWriteSet_TtlOutOfRange_Throws(int ttl, string why)
    {
        var buffer = new byte[512];
        var ex = Assert.ThrowsAny<ArgumentException>(() => MetaRequestWriter.TryWriteSet(buffer, "k"u8, "v"u8, new MetaSetOptions(MetaSetMode.Set, ttl), 1, out _));
        Assert.NotNull(ex.Message);
        Assert.NotEmpty(why);
    }

    [Fact]
    public void IsValidKey_250PrintableBytes_IsValid() =>
        Assert.True(MetaRequestWriter.IsValidKey(Encoding.ASCII.GetBytes(new string('k', 250))));
}
