using System.Buffers;
using System.Text;
using Stickless.Memcached.Protocol;

namespace Stickless.Memcached.Tests.Protocol;

public sealed class MetaReplyReaderTests
{
    private static readonly MetaReaderLimits SmallLimits = new(MaxLineLength: 64, MaxValueLength: 100, MaxStatsLength: 200);

    public static TheoryData<string, string, MetaReplyShape, MetaStatus> GoodReplies => new()
    {
        { "a hit with value, CAS, flags, TTL and opaque", "VA 5 c99 f7 t60 O12\r\nhello\r\n", MetaReplyShape.Meta, MetaStatus.Value },
        { "a hit with an empty value", "VA 0 O1\r\n\r\n", MetaReplyShape.Meta, MetaStatus.Value },
        { "a value that itself contains CRLF and looks like a reply", "VA 8 O1\r\nEN\r\nHD\r\n\r\n", MetaReplyShape.Meta, MetaStatus.Value },
        { "a hit without flags", "VA 2\r\nhi\r\n", MetaReplyShape.Meta, MetaStatus.Value },
        { "a stored ms with its new CAS", "HD c1234 O3\r\n", MetaReplyShape.Meta, MetaStatus.Header },
        { "a bare HD", "HD\r\n", MetaReplyShape.Meta, MetaStatus.Header },
        { "a miss echoes the opaque from 1.6.18", "EN O4\r\n", MetaReplyShape.Meta, MetaStatus.Miss },
        { "add found the item", "NS O5\r\n", MetaReplyShape.Meta, MetaStatus.NotStored },
        { "CAS mismatch", "EX O6\r\n", MetaReplyShape.Meta, MetaStatus.Exists },
        { "CAS on a missing item", "NF O7\r\n", MetaReplyShape.Meta, MetaStatus.NotFound },
        { "the no-op fence", "MN\r\n", MetaReplyShape.Meta, MetaStatus.NoOp },
        { "unknown flags the store did not ask for are skipped", "HD k/abc s12 l3 h1 O8\r\n", MetaReplyShape.Meta, MetaStatus.Header },
        { "a stale item with its win marks", "VA 1 W X Z O9\r\nx\r\n", MetaReplyShape.Meta, MetaStatus.Value },
        { "an unknown command", "ERROR\r\n", MetaReplyShape.Meta, MetaStatus.Error },
        { "a refused request", "CLIENT_ERROR bad command line format\r\n", MetaReplyShape.Meta, MetaStatus.ClientError },
        { "too large for the cache", "SERVER_ERROR object too large for cache\r\n", MetaReplyShape.Meta, MetaStatus.ServerError },
        { "stats lines ended by END", "STAT pid 1\r\nSTAT uptime 5\r\nEND\r\n", MetaReplyShape.Stats, MetaStatus.Stats },
        { "empty stats", "END\r\n", MetaReplyShape.Stats, MetaStatus.Stats },
        { "the version", "VERSION 1.6.18\r\n", MetaReplyShape.Version, MetaStatus.Version },
        { "flush_all", "OK\r\n", MetaReplyShape.Ok, MetaStatus.Ok },
        { "an error answers any shape", "SERVER_ERROR out of memory\r\n", MetaReplyShape.Stats, MetaStatus.ServerError },
    };

    [Theory]
    [MemberData(nameof(GoodReplies))]
    public void TryRead_GoodReply_ParsesWholeReply(string why, string wire, MetaReplyShape shape, MetaStatus expected)
    {
        var reader = new MetaReplyReader(Sequence(wire), MetaReaderLimits.Default);
        Assert.True(reader.TryRead(shape, out var reply), why);
        Assert.Equal(expected, reply.Status);
        Assert.Equal(Encoding.ASCII.GetByteCount(wire), reader.Consumed);
    }

    [Theory]
    [MemberData(nameof(GoodReplies))]
    public void TryRead_GoodReplySplitAtEveryByte_WaitsThenParses(string why, string wire, MetaReplyShape shape, MetaStatus expected)
    {
        var bytes = Encoding.ASCII.GetBytes(wire);
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var partial = new MetaReplyReader(new ReadOnlySequence<byte>(bytes, 0, cut), MetaReaderLimits.Default);
            Assert.False(partial.TryRead(shape, out _), $"{why}: complete after {cut} of {bytes.Length} bytes");
            Assert.Equal(0, partial.Consumed);

            // The same bytes in two segments (a reply split across TCP reads).
            var whole = new MetaReplyReader(TwoSegments(bytes, cut), MetaReaderLimits.Default);
            Assert.True(whole.TryRead(shape, out var reply), why);
            Assert.Equal(expected, reply.Status);
        }
    }

    [Fact]
    public void TryRead_HitWithFlags_ReturnsEveryFlagAndTheValue()
    {
        var reader = new MetaReplyReader(Sequence("VA 5 c18446744073709551615 f4294967295 t-1 O4294967295\r\nhello\r\n"), MetaReaderLimits.Default);
        Assert.True(reader.TryRead(MetaReplyShape.Meta, out var reply));
        Assert.Equal(ulong.MaxValue, reply.Cas);
        Assert.Equal(uint.MaxValue, reply.ClientFlags);
        Assert.Equal(-1, reply.Ttl);
        Assert.Equal(uint.MaxValue, reply.Opaque);
        Assert.Equal("hello", Encoding.ASCII.GetString(reply.Data.ToArray()));
    }

    [Fact]
    public void TryRead_PipelinedReplies_ReadsEachInOrder()
    {
        var reader = new MetaReplyReader(Sequence("HD O1\r\nVA 1 O2\r\nx\r\nEN O3\r\nMN\r\n"), MetaReaderLimits.Default);
        var seen = new List<(MetaStatus, uint?)>();
        while (reader.TryRead(MetaReplyShape.Meta, out var reply))
        {
            seen.Add((reply.Status, reply.Opaque));
        }

        Assert.Equal([(MetaStatus.Header, 1u), (MetaStatus.Value, 2u), (MetaStatus.Miss, 3u), (MetaStatus.NoOp, null)], seen);
    }

    public static TheoryData<string, string, MetaReplyShape> MalformedReplies => new()
    {
        { "a status memcached never sends", "OK\r\n", MetaReplyShape.Meta },
        { "garbage", "\u0001\u0002garbage\r\n", MetaReplyShape.Meta },
        { "a one-letter status", "H\r\n", MetaReplyShape.Meta },
        { "a status glued to its flags", "HDc1\r\n", MetaReplyShape.Meta },
        { "a line ended by LF alone", "HD\n", MetaReplyShape.Meta },
        { "a trailing space", "HD \r\n", MetaReplyShape.Meta },
        { "two spaces between flags", "HD c1  O2\r\n", MetaReplyShape.Meta },
        { "a VA without length", "VA\r\n", MetaReplyShape.Meta },
        { "a negative VA length", "VA -1\r\n", MetaReplyShape.Meta },
        { "a VA length that is not a number", "VA 1x\r\nx\r\n", MetaReplyShape.Meta },
        { "a VA length beyond 64 bits", "VA 99999999999999999999999\r\n", MetaReplyShape.Meta },
        { "a VA larger than the item size limit, before any byte of it arrives", "VA 101\r\n", MetaReplyShape.Meta },
        { "value bytes not followed by CRLF (truncated or longer than declared)", "VA 2 O1\r\nhello\r\n", MetaReplyShape.Meta },
        { "a CAS that is not a number", "HD cabc\r\n", MetaReplyShape.Meta },
        { "a CAS beyond 64 bits", "HD c18446744073709551616\r\n", MetaReplyShape.Meta },
        { "client flags beyond 32 bits", "HD f4294967296\r\n", MetaReplyShape.Meta },
        { "a TTL below -1", "HD t-2\r\n", MetaReplyShape.Meta },
        { "an opaque the client never sends (not decimal)", "HD Oabc\r\n", MetaReplyShape.Meta },
        { "an empty opaque", "HD O\r\n", MetaReplyShape.Meta },
        { "a flag that is not a letter", "HD 5\r\n", MetaReplyShape.Meta },
        { "MN with flags", "MN O1\r\n", MetaReplyShape.Meta },
        { "a line longer than the limit", "HD " + new string('k', 80) + "\r\n", MetaReplyShape.Meta },
        { "a line that never ends", new string('x', 70), MetaReplyShape.Meta },
        { "a stats reply with a foreign line", "STAT a 1\r\nHD\r\nEND\r\n", MetaReplyShape.Stats },
        { "a stats reply longer than its limit", string.Concat(Enumerable.Repeat("STAT name 1234567890\r\n", 20)) + "END\r\n", MetaReplyShape.Stats },
        { "a version reply without version", "VERSION \r\n", MetaReplyShape.Version },
        { "a meta reply where the version was asked", "HD\r\n", MetaReplyShape.Version },
        { "anything but OK to flush_all", "HD\r\n", MetaReplyShape.Ok },
    };

    [Theory]
    [MemberData(nameof(MalformedReplies))]
    public void TryRead_MalformedReply_Throws(string why, string wire, MetaReplyShape shape)
    {
        var exception = Record.Exception(() =>
        {
            var reader = new MetaReplyReader(Sequence(wire), SmallLimits);
            reader.TryRead(shape, out _);
        });
        Assert.True(exception is MetaProtocolException, $"{why}: got {exception?.GetType().Name ?? "no exception"}");
    }

    [Fact]
    public void TryRead_VaDeclaringHugeLength_ThrowsWithoutWaitingForTheBytes()
    {
        // A hostile server cannot make the client buffer (or allocate) a gigabyte.
        var reader = new MetaReplyReader(Sequence("VA 1073741824 O1\r\n"), MetaReaderLimits.Default);
        try
        {
            reader.TryRead(MetaReplyShape.Meta, out _);
            Assert.Fail("a 1 GiB value was accepted");
        }
        catch (MetaProtocolException)
        {
        }
    }

    [Fact]
    public void TryRead_TruncatedValue_WaitsWithoutConsuming()
    {
        var reader = new MetaReplyReader(Sequence("VA 10 O1\r\nabc"), MetaReaderLimits.Default);
        Assert.False(reader.TryRead(MetaReplyShape.Meta, out _));
        Assert.Equal(0, reader.Consumed);
    }

    [Fact]
    public void TryRead_ErrorMessages_AreKept()
    {
        var reader = new MetaReplyReader(Sequence("SERVER_ERROR out of memory storing object\r\nCLIENT_ERROR\r\n"), MetaReaderLimits.Default);
        Assert.True(reader.TryRead(MetaReplyShape.Meta, out var server));
        Assert.Equal("out of memory storing object", Encoding.ASCII.GetString(server.Data.ToArray()));
        Assert.True(reader.TryRead(MetaReplyShape.Meta, out var client));
        Assert.Equal(MetaStatus.ClientError, client.Status);
        Assert.True(client.Data.IsEmpty);
    }

    private static ReadOnlySequence<byte> Sequence(string text) => new(Encoding.Latin1.GetBytes(text));

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int cut)
    {
        var first = new Segment(bytes.AsMemory(0, cut));
        var last = first.Append(bytes.AsMemory(cut));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
