using System.Buffers;
using System.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Tests.Resp;

/// <summary>Allocation budgets of the hot paths (the same replies as the benchmarks), checked on every test run.</summary>
public sealed class RespReaderAllocationTests
{
    private static readonly ReadOnlySequence<byte> Hash = BuildHash();

    [Fact]
    public void TryRead_HashReplyOf24BulkStrings_AllocatesOnlyTheStringsAndTheArray()
    {
        Read(Hash);

        var allocated = Measure(() => Read(Hash));

        // 24 byte[] (about 56 B each with their headers) + one RespValue[24] (about 600 B); 1,896 B measured.
        Assert.InRange(allocated, 1, 2048);
    }

    [Theory]
    [InlineData("+OK\r\n")]
    [InlineData("+PONG\r\n")]
    [InlineData(":1234567\r\n")]
    [InlineData("$-1\r\n")]
    [InlineData("_\r\n")]
    [InlineData("#t\r\n")]
    [InlineData("*0\r\n")]
    public void TryRead_CommonSmallReply_AllocatesNothing(string wire)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(wire));
        Read(buffer);

        Assert.Equal(0, Measure(() => Read(buffer)));
    }

    [Fact]
    public void TrySkip_HashReply_AllocatesNothing()
    {
        Skip(Hash);

        Assert.Equal(0, Measure(() => Skip(Hash)));
    }

    private static void Read(ReadOnlySequence<byte> buffer)
    {
        var reader = new RespReader(buffer);
        Assert.True(reader.TryRead(out _));
    }

    private static void Skip(ReadOnlySequence<byte> buffer)
    {
        var reader = new RespReader(buffer);
        Assert.True(reader.TrySkip());
    }

    private static long Measure(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static ReadOnlySequence<byte> BuildHash()
    {
        var wire = new StringBuilder("*24\r\n");
        for (var i = 0; i < 12; i++)
        {
            var field = $"attribute-{i}";
            var value = new string((char)('a' + i), 20 + (i * 4));
            wire.Append('$').Append(field.Length).Append("\r\n").Append(field).Append("\r\n");
            wire.Append('$').Append(value.Length).Append("\r\n").Append(value).Append("\r\n");
        }
        return new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(wire.ToString()));
    }
}
