using System.Buffers;
using System.Text;
using Stickless.Redis.Resp;

namespace Stickless.Redis.Tests.Resp;

public sealed class RespWriterTests
{
    private static ReadOnlyMemory<byte>[] Args(params string[] args) => [.. args.Select(a => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(a))];

    [Theory]
    [InlineData("PING", new string[0], "*1\r\n$4\r\nPING\r\n")]
    [InlineData("SET", new[] { "k", "v" }, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n")]
    [InlineData("SET", new[] { "k", "" }, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n")]
    [InlineData("SET", new[] { "k", "a\r\nb" }, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4\r\na\r\nb\r\n")]
    [InlineData("SET", new[] { "\u00e9", "x" }, "*3\r\n$3\r\nSET\r\n$2\r\n\u00e9\r\n$1\r\nx\r\n")]
    public void WriteCommand_Command_WritesArrayOfBulkStrings(string command, string[] args, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();

        RespWriter.WriteCommand(buffer, command, Args(args));

        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(Encoding.UTF8.GetByteCount(expected), RespWriter.GetCommandLength(command, Args(args)));
    }

    [Fact]
    public void TryWriteCommand_ExactBuffer_WritesAll()
    {
        var args = Args("key", "value");
        var length = (int)RespWriter.GetCommandLength("SET", args);
        var destination = new byte[length];

        Assert.True(RespWriter.TryWriteCommand(destination, "SET", args, out var written));
        Assert.Equal(length, written);
        Assert.Equal("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n", Encoding.UTF8.GetString(destination));
    }

    [Fact]
    public void TryWriteCommand_BufferTooSmallAtAnyPoint_ReturnsFalse()
    {
        var args = Args("key", "value");
        var length = (int)RespWriter.GetCommandLength("SET", args);
        for (var size = 0; size < length; size++)
        {
            Assert.False(RespWriter.TryWriteCommand(new byte[size], "SET", args, out var written), $"size {size}");
            Assert.Equal(0, written);
        }
    }

    [Fact]
    public void WriteCommand_ArgumentLargerThanOneChunk_IsWrittenWholeAndParsesBack()
    {
        var big = new byte[300_000];
        Random.Shared.NextBytes(big);
        var buffer = new ArrayBufferWriter<byte>();

        RespWriter.WriteCommand(buffer, "SET", [Encoding.UTF8.GetBytes("k"), big]);

        var reader = new RespReader(new ReadOnlySequence<byte>(buffer.WrittenMemory));
        Assert.True(reader.TryRead(out var parsed));
        Assert.Equal(3, parsed.Count);
        Assert.True(parsed[2].Memory.Span.SequenceEqual(big));
        Assert.Equal(buffer.WrittenCount, reader.Consumed);
    }

    [Fact]
    public void WriteBulkString_Integer_WritesDecimalDigits()
    {
        var buffer = new ArrayBufferWriter<byte>();

        RespWriter.WriteBulkString(buffer, -1234567890123L);

        Assert.Equal("$14\r\n-1234567890123\r\n", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void WriteCommand_EvalShaCommand_AllocatesNothing()
    {
        var args = Args("0123456789012345678901234567890123456789", "2", "k1", "k2", "a", "b");
        var buffer = new ArrayBufferWriter<byte>(4096);
        RespWriter.WriteCommand(buffer, "EVALSHA", args);
        buffer.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        RespWriter.WriteCommand(buffer, "EVALSHA", args);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
